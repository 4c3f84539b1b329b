# Notices from the outbox (bot/views/notices.py): sent by the bot on its own, in the payer's language.

notice-invoice-issued =
    🧾 Выставлен счёт № { $number } — { $person }.
    К оплате: <b>{ $total }</b> до { $due } включительно.
    Счета и оплата: /invoices
notice-invoice-issued-paid =
    🧾 Выставлен счёт № { $number } — { $person }.
    Он полностью покрыт депозитом: платить ничего не нужно.
    Счета: /invoices
notice-access-restricted-franchise =
    ⚠️ С { $since } доступ ограничен — { $person }: клиники по франшизе недоступны до оплаты просроченных счетов ({ $invoices }).
    Счета и оплата: /invoices
notice-access-restricted-emergency =
    ⚠️ С { $since } доступ ограничен — { $person }: только экстренная помощь до оплаты просроченных счетов ({ $invoices }).
    Счета и оплата: /invoices
notice-access-restored =
    ✅ С { $on } доступ восстановлен — { $person }: просроченных счетов больше нет.
notice-person-unknown = застрахованный по вашему полису

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
notice-invoice-marked-paid =
    ✅ Счёт № { $number } — { $person } отмечен оплаченным: получено { $amount } (оплата вне бота).
    Счета: /invoices
notice-invoice-cancelled =
    ✖️ Счёт № { $number } — { $person } отменён: { $amount } платить не нужно.
    Счета: /invoices
notice-access-restored =
    ✅ С { $on } доступ восстановлен — { $person }: просроченных счетов больше нет.
notice-dispute-accepted =
    ✅ Спор по счёту № { $number } решён в вашу пользу — { $person }: оспоренная услуга списана.
    Осталось оплатить: <b>{ $total }</b> до { $due } включительно.
    Счета и оплата: /invoices
notice-dispute-accepted-overdue =
    ✅ Спор по счёту № { $number } решён в вашу пользу — { $person }: оспоренная услуга списана.
    Осталось оплатить: <b>{ $total }</b>; срок оплаты ({ $due }) уже прошёл — оплатите счёт, чтобы не ограничивать доступ.
    Счета и оплата: /invoices
notice-dispute-accepted-paid =
    ✅ Спор по счёту № { $number } решён в вашу пользу — { $person }: оспоренная услуга списана, платить по счёту больше ничего не нужно.
    Счета: /invoices
notice-dispute-rejected =
    ✖️ Спор по счёту № { $number } отклонён — { $person }. Ответ страховой — в деталях счёта.
    К оплате: <b>{ $total }</b> до { $due } включительно (срок продлён на время рассмотрения).
    Счета и оплата: /invoices
notice-dispute-rejected-overdue =
    ✖️ Спор по счёту № { $number } отклонён — { $person }. Ответ страховой — в деталях счёта.
    К оплате: <b>{ $total }</b>; срок оплаты ({ $due }, с учётом рассмотрения) уже прошёл — счёт просрочен.
    Счета и оплата: /invoices
notice-person-unknown = застрахованный по вашему полису
notice-payment-succeeded =
    ✅ Платёж № { $number } на <b>{ $amount }</b> получен. Оплачены: { $invoices }.
    Платежи: /payments
notice-payment-succeeded-refund =
    ✅ Платёж № { $number } на <b>{ $amount }</b> получен. Оплачены: { $invoices }.
    Часть его счетов уже была оплачена: <b>{ $refund }</b> вернётся на карту.
    Платежи: /payments
notice-payment-succeeded-all-refund =
    ℹ️ Платёж № { $number } на <b>{ $amount }</b> получен, но его счета уже были оплачены: <b>{ $refund }</b> вернётся на карту.
    Платежи: /payments
notice-payment-canceled =
    ✖️ Платёж № { $number } на { $amount } не прошёл: { $reason }. Счета снова не оплачены ({ $invoices }).
    Оплатить ещё раз — кнопкой ниже; счета: /invoices
notice-payment-refunded =
    ↩️ { $amount } возвращено на карту по платежу № { $number } ({ $invoices }).
    Платежи: /payments
notice-reminder-due-soon =
    ⏰ Счёт № { $number } — { $person }: <b>{ $total }</b> нужно оплатить до { $due } включительно.
    Счета и оплата: /invoices
notice-reminder-due-today =
    ⏰ Сегодня последний день оплаты счёта № { $number } — { $person }: <b>{ $total }</b>.
    Счета и оплата: /invoices
notice-reminder-overdue =
    ⚠️ Счёт № { $number } — { $person } просрочен с { $due }: <b>{ $total }</b>. Пока он не оплачен, доступ к клиникам ограничен.
    Счета и оплата: /invoices
notice-dispute-deadline-soon = 🕑 Сотрудникам: на оспаривание № { $dispute } по счёту № { $number } нужно ответить до { $deadline }.
notice-dispute-deadline-late = ⏰ Сотрудникам: оспаривание № { $dispute } по счёту № { $number } просрочено: срок ответа был { $deadline }.
notice-policy-ended =
    ℹ️ Полис { $person } с { $on } исключён из списка вашего работодателя: страхование по нему закончилось. Вопросы: /requests
notice-invoice-issued-autopay =
    🧾 Выставлен счёт № { $number } — { $person }.
    К оплате: <b>{ $total }</b> до { $due } включительно. Эта сумма будет автоматически списана с вашей сохранённой карты — делать ничего не нужно.
    Счета: /invoices
notice-payment-succeeded-autopay =
    ✅ <b>{ $amount }</b> списано автоматически с карты •••• { $last4 } (платёж № { $number }). Оплачены: { $invoices }.
    Платежи: /payments
notice-card-bound =
    ✅ Карта { $card_type } •••• { $last4 } (действует до { $valid }) привязана. Проверочная блокировка снята — ничего не списано.
    Новые счета по франшизе будут списываться с неё автоматически. Карты: /policies → полис → «Карта для автосписаний».
notice-card-bound-autopay-off =
    ✅ Карта { $card_type } •••• { $last4 } (действует до { $valid }) привязана. Проверочная блокировка снята — ничего не списано.
    Автоматические списания выключены: их можно включить на экране карт (/policies → полис → «Карта для автосписаний»).
notice-card-not-bound =
    ✖️ Карта не привязана: { $reason }. Деньги не списаны.
    Попробуйте ещё раз или добавьте другую карту: /policies → полис → «Карта для автосписаний».
notice-autopay-failed =
    ⚠️ Не удалось списать <b>{ $total }</b> с карты •••• { $last4 } в оплату { $count ->
        [1] счёта
       *[other] счетов
    } { $invoices }: { $reason }.
    Повторять списание я не буду: { $count ->
        [1] счёт остаётся неоплаченным — оплатите его
       *[other] счета остаются неоплаченными — оплатите их
    } кнопкой ниже. Чтобы следующие счета оплачивались автоматически, проверьте карту или привяжите другую: /policies → полис → «Карта для автосписаний».
notice-autopay-failed-no-card =
    ⚠️ Не удалось автоматически оплатить { $count ->
        [1] счёт
       *[other] счета
    } { $invoices } на <b>{ $total }</b>: { $reason }.
    { $count ->
        [1] Счёт остаётся неоплаченным — оплатите его
       *[other] Счета остаются неоплаченными — оплатите их
    } кнопкой ниже. Чтобы следующие счета оплачивались автоматически, привяжите карту: /policies → полис → «Карта для автосписаний».
notice-autopay-reason-no-card = нет сохранённой карты
notice-card-expiring-soon =
    ⏳ Срок действия карты { $card_type } •••• { $last4 } истекает { $on }. После этого автоматические списания с неё не пройдут.
    Привяжите новую карту: /policies → полис → «Карта для автосписаний».
notice-card-expiring-today =
    ⏳ Сегодня, { $on }, — последний день действия карты { $card_type } •••• { $last4 }. Дальше автоматические списания с неё не пройдут.
    Привяжите новую карту: /policies → полис → «Карта для автосписаний».
notice-pay-button = 💳 Оплатить
notice-pay-again-button = 💳 Оплатить снова
notice-invoice-issued-email-needed =
    🧾 Выставлен счёт № { $number } — { $person }.
    К оплате: <b>{ $total }</b> до { $due } включительно. Списать его с карты автоматически нельзя: для чека нужен ваш e-mail. Укажите его в /settings или оплатите счёт кнопкой «Оплатить» в /pay — бот спросит e-mail.
notice-payment-checking = 🔎 Платёж № { $number } на { $amount } ({ $invoices }) проверяют сотрудники: платёжный сервис сообщил о нём не то, что мы ожидали. Платить ещё раз не нужно — мы напишем, когда разберёмся.
notice-support-answer =
    💬 <b>Ответ поддержки</b> на № { $number } ({ $kind }):

    { $text }
notice-support-answer-gone = (текст ответа больше недоступен)
notice-reply-button = ↩️ Ответить
notice-queue-new = 🆕 Сотрудникам: в очереди новый элемент — { $kind } № { $number }.
notice-queue-reopened = ↩️ Сотрудникам: пользователь ответил, снова открыт элемент — { $kind } № { $number }.
notice-open-item-button = Открыть в очереди
notice-staff-removed = Роль участника { $user } отозвана: удалите его из группы.
notice-message-copied = Вложение к обращению: откройте его в чате с поддержкой.
notice-desk-topic-changed = Сотрудникам: элемент очереди изменился — { $kind } № { $number }.
notice-dispute-written = 💬 <b>Сообщение от поддержки</b> по вашему спору № { $number } (счёт № { $invoice }) — ниже. Спор ещё рассматривается; ответить можно кнопкой.
notice-broadcast = { $text }
notice-broadcast-report =
    📣 Рассылка № { $number } завершена.
    Доставлено: { $sent }
    Заблокировали бота: { $blocked }
    Не удалось отправить: { $failed }

## Режим мини-приложения (bot/views/notice_pages.py): что случилось, и кнопка «Открыть» к странице; без данных.

notice-page-invoice-issued = 🧾 У вас новый счёт.
notice-page-invoice-marked-paid = ✅ Ваш счёт отмечен оплаченным.
notice-page-invoice-cancelled = ✖️ Ваш счёт отменён: платить по нему не нужно.
notice-page-invoice-reminder = ⏰ Напоминание: ваш счёт ждёт оплаты.
notice-page-access-restricted = ⚠️ Доступ ограничен из-за просроченных счетов.
notice-page-access-restored = ✅ Доступ восстановлен: просроченных счетов больше нет.
notice-page-policy-ended = ℹ️ Ваш полис закончился.
notice-page-dispute-answered = ⚖️ По вашему оспариванию есть ответ.
notice-page-dispute-written = 💬 Поддержка написала вам по оспариванию.
notice-page-support-answer = 💬 У вас ответ от поддержки.
notice-page-message-copied = 💬 Поддержка прислала вам сообщение.
notice-page-payment-succeeded = ✅ Ваш платёж прошёл.
notice-page-payment-canceled = ✖️ Ваш платёж не прошёл.
notice-page-payment-refunded = ↩️ Деньги по вашему платежу возвращены на карту.
notice-page-payment-checking = 🔎 Мы проверяем ваш платёж.
notice-page-card-bound = 💳 Карта сохранена.
notice-page-card-not-bound = ✖️ Карта не сохранена.
notice-page-card-expiring = 💳 Срок действия вашей сохранённой карты скоро закончится.
notice-page-autopay-failed = ⚠️ Автоматическое списание не прошло: счёт ждёт оплаты.

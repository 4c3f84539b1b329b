# Notices from the outbox (bot/views/notices.py): sent by the bot on its own, in the payer's language.

notice-invoice-issued =
    🧾 Invoice No. { $number } issued — { $person }.
    To pay: <b>{ $total }</b> by { $due } inclusive.
    Invoices and payment: /invoices
notice-invoice-issued-paid =
    🧾 Invoice No. { $number } issued — { $person }.
    It is fully covered by the deposit: nothing to pay.
    Invoices: /invoices
notice-access-restricted-franchise =
    ⚠️ Access restricted since { $since } — { $person }: franchise clinics are closed until the overdue invoices are paid ({ $invoices }).
    Invoices and payment: /invoices
notice-access-restricted-emergency =
    ⚠️ Access restricted since { $since } — { $person }: emergency care only until the overdue invoices are paid ({ $invoices }).
    Invoices and payment: /invoices
notice-access-restored =
    ✅ Access restored since { $on } — { $person }: no overdue invoices any more.
notice-person-unknown = the person insured under your policy

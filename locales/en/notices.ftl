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
notice-invoice-marked-paid =
    ✅ Invoice No. { $number } — { $person } is marked paid: { $amount } received outside the bot.
    Invoices: /invoices
notice-invoice-cancelled =
    ✖️ Invoice No. { $number } — { $person } is cancelled: you do not need to pay its { $amount }.
    Invoices: /invoices
notice-access-restored =
    ✅ Access restored since { $on } — { $person }: no overdue invoices any more.
notice-dispute-accepted =
    ✅ The dispute over invoice No. { $number } is settled in your favour — { $person }: the disputed service is written off.
    Left to pay: <b>{ $total }</b> by { $due } inclusive.
    Invoices and payment: /invoices
notice-dispute-accepted-overdue =
    ✅ The dispute over invoice No. { $number } is settled in your favour — { $person }: the disputed service is written off.
    Left to pay: <b>{ $total }</b>; the due date ({ $due }) has passed — please pay to keep your access.
    Invoices and payment: /invoices
notice-dispute-accepted-paid =
    ✅ The dispute over invoice No. { $number } is settled in your favour — { $person }: the disputed service is written off, nothing is left to pay.
    Invoices: /invoices
notice-dispute-rejected =
    ✖️ The dispute over invoice No. { $number } is rejected — { $person }. The insurer's answer is in the invoice's details.
    To pay: <b>{ $total }</b> by { $due } inclusive (the due date moved by the time the dispute took).
    Invoices and payment: /invoices
notice-dispute-rejected-overdue =
    ✖️ The dispute over invoice No. { $number } is rejected — { $person }. The insurer's answer is in the invoice's details.
    To pay: <b>{ $total }</b>; the due date ({ $due }, moved by the time the dispute took) has passed — the invoice is overdue.
    Invoices and payment: /invoices
notice-person-unknown = the person insured under your policy
notice-payment-succeeded =
    ✅ Payment No. { $number } for <b>{ $amount }</b> received. Paid: { $invoices }.
    Payments: /payments
notice-payment-succeeded-refund =
    ✅ Payment No. { $number } for <b>{ $amount }</b> received. Paid: { $invoices }.
    Some of its invoices had already been paid: <b>{ $refund }</b> goes back to your card.
    Payments: /payments
notice-payment-succeeded-all-refund =
    ℹ️ Payment No. { $number } for <b>{ $amount }</b> received, but its invoices had already been paid: <b>{ $refund }</b> goes back to your card.
    Payments: /payments
notice-payment-canceled =
    ✖️ Payment No. { $number } for { $amount } did not go through: { $reason }. The invoices are unpaid again ({ $invoices }).
    To try again, press the button below; invoices: /invoices
notice-payment-refunded =
    ↩️ { $amount } returned to your card from payment No. { $number } ({ $invoices }).
    Payments: /payments
notice-reminder-due-soon =
    ⏰ Invoice No. { $number } — { $person }: <b>{ $total }</b> is due by { $due } inclusive.
    Invoices and payment: /invoices
notice-reminder-due-today =
    ⏰ Today is the last day to pay invoice No. { $number } — { $person }: <b>{ $total }</b>.
    Invoices and payment: /invoices
notice-reminder-overdue =
    ⚠️ Invoice No. { $number } — { $person } is overdue since { $due }: <b>{ $total }</b>. Until it is paid, access to clinics is restricted.
    Invoices and payment: /invoices
notice-dispute-deadline-soon = 🕑 Staff: the dispute No. { $dispute } over invoice No. { $number } must be answered by { $deadline }.
notice-dispute-deadline-late = ⏰ Staff: the dispute No. { $dispute } over invoice No. { $number } is late: its deadline was { $deadline }.
notice-policy-ended =
    ℹ️ The policy of { $person } is no longer in your employer's list since { $on }: the insurance under it has ended. Questions: /requests
notice-invoice-issued-autopay =
    🧾 Invoice No. { $number } issued — { $person }.
    To pay: <b>{ $total }</b> by { $due } inclusive. The amount will be charged automatically to your saved card — nothing to do.
    Invoices: /invoices
notice-payment-succeeded-autopay =
    ✅ <b>{ $amount }</b> charged automatically to card •••• { $last4 } (payment No. { $number }). Paid: { $invoices }.
    Payments: /payments
notice-card-bound =
    ✅ Card { $card_type } •••• { $last4 } (valid until { $valid }) is bound. The check hold is released — nothing was charged.
    New deductible invoices will be charged to it automatically. Cards: /policies → a policy → "Card for automatic charges".
notice-card-bound-autopay-off =
    ✅ Card { $card_type } •••• { $last4 } (valid until { $valid }) is bound. The check hold is released — nothing was charged.
    Automatic charges are off: turn them on in the cards screen (/policies → a policy → "Card for automatic charges").
notice-card-not-bound =
    ✖️ The card is not bound: { $reason }. Nothing was charged.
    Try again or add another card: /policies → a policy → "Card for automatic charges".
notice-autopay-failed =
    ⚠️ We could not charge <b>{ $total }</b> to card •••• { $last4 } for { $count ->
        [1] invoice
       *[other] invoices
    } { $invoices }: { $reason }.
    The charge will not be retried: { $count ->
        [1] the invoice stays unpaid — pay it
       *[other] the invoices stay unpaid — pay them
    } with the button below. For the next invoices to be paid automatically, check the card or bind another one: /policies → a policy → "Card for automatic charges".
notice-autopay-failed-no-card =
    ⚠️ We could not pay { $count ->
        [1] invoice
       *[other] invoices
    } { $invoices } of <b>{ $total }</b> automatically: { $reason }.
    { $count ->
        [1] The invoice stays unpaid — pay it
       *[other] The invoices stay unpaid — pay them
    } with the button below. For the next invoices to be paid automatically, bind a card: /policies → a policy → "Card for automatic charges".
notice-autopay-reason-no-card = there is no saved card
notice-card-expiring-soon =
    ⏳ Card { $card_type } •••• { $last4 } expires on { $on }. After that, automatic charges to it will not go through.
    Bind a new card: /policies → a policy → "Card for automatic charges".
notice-card-expiring-today =
    ⏳ Today, { $on }, is the last day card { $card_type } •••• { $last4 } is valid. After it, automatic charges to it will not go through.
    Bind a new card: /policies → a policy → "Card for automatic charges".
notice-pay-button = 💳 Pay
notice-pay-again-button = 💳 Pay again
notice-invoice-issued-email-needed =
    🧾 Invoice No. { $number } issued — { $person }.
    To pay: <b>{ $total }</b> by { $due } inclusive. It cannot be charged to your card automatically: the receipt needs your e-mail. Add it in /settings, or pay the invoice with the "Pay" button in /pay — the bot will ask for the e-mail.
notice-payment-checking = 🔎 Our staff are checking payment No. { $number } for { $amount } ({ $invoices }): the payment service reported it differently from what we expected. No need to pay again — we will write once it is sorted out.
notice-support-answer =
    💬 <b>Answer from support</b> to No. { $number } ({ $kind }):

    { $text }
notice-support-answer-gone = (the answer's text is no longer available)
notice-reply-button = ↩️ Reply
notice-queue-new = 🆕 Staff: a new item in the queue — { $kind } No. { $number }.
notice-queue-reopened = ↩️ Staff: the user replied, an item reopened — { $kind } No. { $number }.
notice-open-item-button = Open in the queue
notice-staff-removed = The role of member { $user } was revoked: remove them from the group.
notice-message-copied = An attachment to a request: open it in the chat with support.
notice-desk-topic-changed = Staff: a queue item changed — { $kind } No. { $number }.
notice-dispute-written = 💬 <b>A message from support</b> about your dispute No. { $number } (invoice No. { $invoice }) follows. The dispute is still being reviewed; use the button to reply.
notice-broadcast = { $text }
notice-broadcast-report =
    📣 Broadcast No. { $number } has finished.
    Delivered: { $sent }
    Blocked the bot: { $blocked }
    Could not be sent: { $failed }

## The Mini App mode (bot/views/notice_pages.py): what happened, and an Open button to its page; no data.

notice-page-invoice-issued = 🧾 You have a new invoice.
notice-page-invoice-marked-paid = ✅ An invoice of yours is marked paid.
notice-page-invoice-cancelled = ✖️ An invoice of yours is cancelled: you do not need to pay it.
notice-page-invoice-reminder = ⏰ A reminder: an invoice of yours is waiting to be paid.
notice-page-access-restricted = ⚠️ Access is restricted for overdue invoices.
notice-page-access-restored = ✅ Access is restored: no overdue invoices any more.
notice-page-policy-ended = ℹ️ A policy of yours has ended.
notice-page-dispute-answered = ⚖️ Your dispute has an answer.
notice-page-dispute-written = 💬 Support wrote to you about your dispute.
notice-page-support-answer = 💬 You have an answer from support.
notice-page-message-copied = 💬 Support sent you a message.
notice-page-payment-succeeded = ✅ Your payment went through.
notice-page-payment-canceled = ✖️ Your payment did not go through.
notice-page-payment-refunded = ↩️ Money from your payment is returned to your card.
notice-page-payment-checking = 🔎 We are checking your payment.
notice-page-card-bound = 💳 A card was saved.
notice-page-card-not-bound = ✖️ The card was not saved.
notice-page-card-expiring = 💳 Your saved card expires soon.
notice-page-autopay-failed = ⚠️ The automatic charge did not go through: the invoice waits to be paid.

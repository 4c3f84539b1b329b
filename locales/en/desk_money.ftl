# The admin's money actions on the desk: an invoice's and a payment's details, the plan to confirm

desk-money-invoice-title = 🧾 <b>Invoice No. { $number }</b> · { $status }
desk-money-invoice-dates = Issued { $issued }, due { $due }
desk-money-invoice-amounts = Co-pay { $copay }, deposit used { $deposit }, credited { $credited }; left to pay <b>{ $total }</b>
desk-money-invoice-paid = Received { $paid }, refunded { $refunded }
desk-money-invoice-people = Insured person #{ $insured }, payer #{ $payer }
desk-money-invoice-paid-at = Paid { $at }, { $how }
desk-money-paid-how-yookassa = through YooKassa
desk-money-paid-how-offline = outside the bot (marked by staff)
desk-money-paid-how-deposit = from the deposit
desk-money-paid-how-credit = credited by a dispute
desk-money-paid-how-unknown = how is not recorded
desk-money-invoice-reference = Reference: { $reference }
desk-money-invoice-cancelled = Cancelled { $at }: { $reason }
desk-money-payment-title = 💳 <b>Payment No. { $id }</b> · { $status }
desk-money-payment-line = { $amount }, { $at }, YooKassa <code>{ $provider }</code>
desk-money-payment-refunds = Refunded { $refunded }; left to refund { $left }
desk-money-payment-invoices = Invoices: { $invoices }
desk-money-payment-anomaly-open = ⚠️ Anomaly waiting in the queue: { $reason }
desk-money-payment-anomaly-closed = Anomaly closed: { $reason }
desk-queue-payment-open = 💳 The payment and its money actions

desk-money-act-paid = ✅ Mark paid offline
desk-money-act-cancel = ✖️ Cancel the invoice
desk-money-act-refund = ↩️ Refund part of it
desk-money-act-refund-full = ↩️ Refund all that is left
desk-money-act-dismiss = 🗂 Dismiss the anomaly with a comment
desk-money-drop = Cancel

desk-money-prompt-paid = Type the payment's reference in your next message: where and how it was paid (for example, a transfer at the clinic's desk and its receipt number), up to 100 characters.
desk-money-prompt-cancel = Type the reason for cancelling the invoice in your next message (up to 500 characters).
desk-money-prompt-refund = Type the amount to refund in roubles in your next message, for example <code>150</code> or <code>150,50</code>. At most { $left }.
desk-money-prompt-dismiss = Type your comment in your next message: why no money action is needed (up to 500 characters).
desk-money-example-paid = transfer at the clinic's desk, receipt 1742
desk-money-example-cancel = billed twice by the clinic, see invoice 2026/10/4
desk-money-example-refund = 150,50
desk-money-example-dismiss = checked in the YooKassa dashboard: the payer was never charged

desk-money-confirm-paid = <b>Mark paid offline?</b> These invoices become paid:
desk-money-confirm-cancel = <b>Cancel the invoice?</b>
desk-money-confirm-refund = <b>Refund from payment No. { $payment }?</b> Given back per invoice:
desk-money-confirm-dismiss = <b>Dismiss the anomaly of payment No. { $payment }?</b> No invoice and no money changes.
desk-money-change = • { $number }: { $before } → { $after }, { $amount }
desk-money-total = Total: <b>{ $amount }</b>
desk-money-typed-paid = Reference: { $text }
desk-money-typed-cancel = Reason: { $text }
desk-money-typed-dismiss = Comment: { $text }
desk-money-then-paid = The payer is notified; if nothing of the insured person is overdue any more, their access is restored at once.
desk-money-then-cancel = The amount leaves the totals and the overdue rules; the payer is notified, and access is restored if nothing else is overdue.
desk-money-then-refund = The refund goes to YooKassa with its receipt; the invoices are updated and the payer notified once YooKassa confirms it.
desk-money-then-dismiss = The anomaly leaves the queue with your comment.

desk-money-done-paid = ✅ Marked paid: { $amount }.
desk-money-done-cancel = ✅ Invoice cancelled ({ $amount } no longer owed).
desk-money-done-dismiss = ✅ Anomaly dismissed.
desk-money-done-refund-succeeded = ✅ Refund of { $amount } confirmed by YooKassa.
desk-money-done-refund-pending = ⏳ Refund of { $amount } sent to YooKassa; it is recorded once YooKassa confirms it.
desk-money-dropped = Nothing was done.
desk-money-refused-not-found = ⚠️ There is no such invoice or payment.
desk-money-refused-nothing = ⚠️ Nothing to do: the invoice is not unpaid any more (or the anomaly is settled already).
desk-money-refused-not-refundable = ⚠️ This payment cannot be refunded: it did not go through, or everything has been given back already.
desk-money-refused-too-much = ⚠️ That is more than is left to refund.
desk-money-refused-changed = ⚠️ Nothing was done: the invoices changed since the plan was shown. Look at them again.
desk-money-refused-unavailable = ⚠️ Payments are not configured: refunds are unavailable.

error-money-empty = No amount was typed.
error-money-invalid = This is not an amount in roubles.
error-money-too_many_decimals = An amount has at most two digits of kopecks.
error-money-negative = An amount cannot be negative.
error-money-too_large = The amount is too large.
error-money-zero = The amount must be more than zero.

# Texts of documents at the payment provider (receipt items, the payment's description): always in Russian.
receipt-item = Payment of invoice { $number } (DMS deductible)
payment-description = Payment of DMS invoices: { $numbers }
binding-description = Card check for automatic payment of DMS invoices (nothing is charged)
binding-receipt-item = Card check (the amount is returned)

# Paying invoices: the payment screen, its outcome, /pay, /payments.
pay-title = <b>💳 Pay invoices</b>
pay-entry = No. { $number } — { $name }: <b>{ $total }</b>, due by { $due }
pay-total = Total: <b>{ $total }</b>
pay-entries-more = … and { $count } more
pay-more = Only { $count } invoices fit in one payment: the ones due first are here, the others come next time.
pay-nothing = Nothing to pay: no unpaid invoices of yours. Invoices being paid or disputed are in /invoices.
payment-title = <b>💳 Payment No. { $number }</b> — { $amount }
    Invoices: { $invoices }
payment-open-page = Open the payment page and pay there by card. When the bank confirms the payment, I will write here and the invoices will be marked paid.
payment-existing = This payment is already under way: open its page to pay, or check it if you have already paid.
payment-unreachable = The payment service did not answer in time. The invoices are reserved for this payment: press "Try again" in a minute — you will not be charged twice.
payment-page-button = 💳 Go to the payment page
payment-check-button = 🔄 I have paid — check
payment-retry-button = 🔁 Try again
payment-succeeded = ✅ Payment received. The invoices are paid.
payment-canceled = ✖️ The payment did not go through: { $reason }. The invoices are unpaid again — you can pay them from /invoices.
payments-button = 📜 My payments
payments-invoices-button = 🧾 My invoices
payment-refused-unavailable = Payment in the bot is not available right now. Please pay by the bank details in the insurer's letter.
payment-refused-not-found = This payment is not available.
payment-refused-nothing-selected = Select the invoices to pay first.
payment-refused-too-many = One payment takes at most 80 invoices: select fewer.
payment-refused-not-payable = These invoices can no longer be paid: some are paid, being paid or disputed. Open /invoices again.
payment-refused-nothing-to-pay = There is nothing to pay on these invoices.
payment-refused-provider-refused = The payment service refused this payment; nothing was charged. Please try again later or write to support in /requests.
payment-refused-unreachable = The payment service did not answer. Please try again in a minute.

payment-status-pending = ⏳ waiting for payment
payment-status-succeeded = ✅ paid
payment-status-canceled = ✖️ did not go through
payment-status-failed = ✖️ not created

refund-status-pending = ⏳ in progress
refund-status-succeeded = ✅ returned
refund-status-canceled = ✖️ canceled
refund-status-failed = ✖️ failed

payment-reason-3d-secure-failed = the card's confirmation code (3-D Secure) was not passed
payment-reason-call-issuer = the bank declined it: please call your bank
payment-reason-canceled-by-merchant = the payment was canceled
payment-reason-card-expired = the card has expired
payment-reason-country-forbidden = the bank does not allow payments from this country
payment-reason-expired-on-confirmation = the time to pay ran out
payment-reason-expired-on-capture = the time to confirm the payment ran out
payment-reason-fraud-suspected = the bank suspected fraud and blocked it
payment-reason-general-decline = the bank declined it
payment-reason-identification-required = the wallet needs identification
payment-reason-insufficient-funds = not enough money on the card
payment-reason-internal-timeout = the payment service had a technical failure
payment-reason-invalid-card-number = the card number is wrong
payment-reason-invalid-csc = the card's security code (CVC) is wrong
payment-reason-issuer-unavailable = the card's bank did not answer
payment-reason-payment-method-limit-exceeded = the card's limit is exceeded
payment-reason-payment-method-restricted = payments by this card are restricted
payment-reason-permission-revoked = the permission to charge the card was withdrawn
payment-reason-other = the payment was declined

payments-title = <b>📜 My payments</b>
payments-empty = No payments yet. Unpaid invoices are paid from /invoices or /pay.
payments-entry =
    <b>No. { $number }</b>, { $at } — <b>{ $amount }</b> · { $status }
    Invoices: { $invoices }
payments-entry-reason = Reason: { $reason }
payments-refund = ↩️ Refund of { $amount } on { $at } ({ $invoices }) · { $status }
payments-refund-double = ↩️ Refund of { $amount } on { $at } — these invoices were already paid ({ $invoices }) · { $status }
payments-entry-receipt = 🧾 The receipt was sent by the payment service to your phone or e-mail.
payments-check-button = 🔄 Check payment No. { $number }

# Paying without a phone or e-mail for the receipt; an automatic charge under way; a payment set aside.
pay-email-prompt =
    🧾 Paying needs an e-mail: YooKassa sends the receipt to it.
    Type your e-mail address — it will be kept in /settings.
pay-email-taken = This address is used by another user. Type another one.
payment-refused-needs-email = Paying needs an e-mail for the receipt: add it in /settings or press "Pay" again.
payment-autopay-under-way = ⏳ Your saved card is being charged for this payment right now (automatic payment). No need to pay it by hand: I will write when the bank answers.
payment-checking = 🔎 Our staff are checking this payment: the payment service reported it differently from what we expected. No need to pay again — we will write once it is sorted out.

# The popup of "I paid — check": what the bank says now (at most 200 characters).
payment-check-waiting = ⏳ The bank has not confirmed the payment yet. If you have paid, wait a minute and check again; if not, open the payment page.
payment-check-paid = ✅ Paid: the bank has confirmed the payment.
payment-check-declined = ✖️ The payment did not go through: { $reason }.
payment-check-unreachable = The payment service did not answer just now. Try again in a minute — you will not be charged twice.
payment-check-staff = 🔎 Our staff are checking this payment. No need to pay again.

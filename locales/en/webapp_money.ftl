# The Mini App's money and conversation pages (bot/web/webapp/money.py, conversations.py): plain text, the
# templates escape it.
webapp-money-back = ‹ Back
webapp-money-pages = Pages
webapp-money-downloads = Downloads
webapp-money-download-csv = ⬇️ CSV
webapp-money-download-xlsx = ⬇️ Excel (XLSX)
webapp-money-limit = At most { $limit } characters.
webapp-money-no-answer-yet = No answer yet.

webapp-money-payments-title = My payments
webapp-money-payments-empty = No payments yet. Unpaid invoices are paid from their pages in My invoices.
webapp-money-at = Date
webapp-money-amount = Amount
webapp-money-invoices = Invoices
webapp-money-refund = Refund
webapp-money-receipt = Receipt
webapp-money-receipt-sent = sent by the payment service
webapp-money-payment-open = Open the payment
payments-export-number = Payment number
payments-export-at = Date and time
payments-export-amount = Amount, ₽
payments-export-status = Status
payments-export-invoices = Invoices

webapp-money-cards-title = Cards for automatic charges
webapp-money-back-cards = ‹ Cards
webapp-money-card-remove = Remove the card •••• { $last4 }
webapp-money-card-removed = The card is removed: it will not be charged any more.
webapp-money-autopay = Automatic charges
webapp-money-autopay-on = Automatic charges are on.
webapp-money-autopay-off = Automatic charges are off: invoices are paid by hand.
webapp-money-autopay-turn-on = Turn automatic charges on
webapp-money-autopay-turn-off = Turn automatic charges off
webapp-money-autopay-saved = Saved.
webapp-money-card-add = Add a card
webapp-money-bind-existing = A card check is already under way: here is its page again.
webapp-money-bind-text = Enter the card's details on YooKassa's page. To check the card, YooKassa holds { $amount } on it and releases it at once — nothing is charged. The card appears here once it is bound.
webapp-money-bind-go = Go to YooKassa's page

webapp-money-disputes-title = My disputes
webapp-money-disputes-empty = No disputes. An unpaid invoice's service is disputed from the invoice's page.
webapp-money-back-disputes = ‹ My disputes
webapp-money-dispute-title = Dispute: invoice No. { $number }, service of { $date }
webapp-money-dispute-status-open = under review
webapp-money-dispute-status-accepted = accepted: the deductible of this service is written off
webapp-money-dispute-status-rejected = rejected
webapp-money-opened = Opened
webapp-money-deadline = Answer due by
webapp-money-late = late
webapp-money-answered = Answered
webapp-money-your-reason = Your reason
webapp-money-insurer-answer = The insurer's answer
webapp-money-to-invoice = Invoice No. { $number }
webapp-money-dispute-start = ⚖️ Dispute a service
webapp-money-dispute-form-title = Dispute a service of invoice No. { $number }
webapp-money-dispute-line = The service
webapp-money-dispute-reason = Why do you dispute it?
webapp-money-dispute-send = Send the dispute

webapp-money-requests-title = My requests
webapp-money-requests-empty = You have no requests yet.
webapp-money-back-requests = ‹ My requests
webapp-money-request-title = Request No. { $number }: { $kind }
webapp-money-created = Created
webapp-money-preferred-time = When to call
webapp-money-your-text = Your text
webapp-money-conversation = Answers
webapp-money-from-support = Support
webapp-money-from-you = You
webapp-money-request-new-title = A new request
webapp-money-request-new-callback = Request a call back
webapp-money-request-new-curator = Ask the curator doctor
webapp-money-request-new-add-clinic = Add a clinic
webapp-money-request-new-personal-data = Change personal data
webapp-money-request-field-callback = When is it convenient to take a call? We call the number given at registration.
webapp-money-request-field-curator = Your question to the curator doctor
webapp-money-request-field-add-clinic = Which clinic, and where?
webapp-money-request-field-personal-data = What has changed?
webapp-money-request-send = Send the request
webapp-money-request-close = Close the request

# The chat in the Mini App mode: a line and a button that opens the page.
pages-payments = <b>💸 My payments</b>
    Your payments open as a page.
pages-payment = <b>💳 Your payment</b>
    Its state is on its page.
pages-cards = <b>💳 Cards for automatic charges</b>
    Your cards and automatic charges open as a page.
pages-requests = <b>📨 My requests</b>
    Your requests, the answers and new requests open as a page.
pages-request = <b>📨 Your request</b>
    The request and its answer open as a page.
pages-dispute = <b>⚖️ Disputes</b>
    A service of the invoice is disputed on the invoice's page.

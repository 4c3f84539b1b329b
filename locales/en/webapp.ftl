# The Mini App's pages (bot/web/webapp/): plain text, the templates escape it.
webapp-opening = Opening…
webapp-reopen = This page opens from the bot: press the button in the chat again.
webapp-invoices-title = My invoices
webapp-invoices-empty = No invoices yet. When a clinic bills the services you received, the invoice appears here.
webapp-invoice-title = Invoice No. { $number }
webapp-number = Invoice
webapp-issued = Issued
webapp-insured = Insured person
webapp-status = Status
webapp-due = Due by
webapp-copay = Co-payment
webapp-deposit = From the deposit
webapp-credited = Credited after a dispute
webapp-total = To pay
webapp-services = Services
webapp-service-date = Date
webapp-clinic = Clinic
webapp-service = Service
webapp-cost = Cost
webapp-pay = Pay { $total }
webapp-back = ‹ My invoices
webapp-payment-title = Payment No. { $number }
webapp-payment-go = Go to the payment page
webapp-payment-status-pending = Waiting for the payment.
webapp-payment-status-succeeded = Paid. Thank you!
webapp-payment-status-canceled = The payment was cancelled; nothing was charged.
webapp-payment-status-failed = The payment service refused this payment; nothing was charged.
webapp-refused-form = The form has expired: open the page again.

# The chat in the Mini App mode: a line and a button that opens the page.
pages-open-button = Open
pages-invoices = <b>🧾 My invoices</b>
    Your invoices, their services and payment open as a page.

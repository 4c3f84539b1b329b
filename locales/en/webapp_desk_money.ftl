# The money actions on the desk's pages (bot/web/webapp/desk_money.py): plain text, the templates escape it.
webapp-desk-money-invoice-title = Invoice No. { $number }
webapp-desk-money-payment-title = Payment No. { $number }
webapp-desk-money-back = ‹ Record
webapp-desk-money-amount = Amount to refund in roubles, e.g. 150 or 150.50; at most { $left }
webapp-desk-money-field-paid = Reference: where and how it was paid (e.g. a transfer at the clinic's desk and the receipt's number)
webapp-desk-money-field-cancel = Why the invoice is cancelled
webapp-desk-money-field-dismiss = Comment: why no money action is needed
webapp-desk-money-links = Invoices and payments: details and actions

# The Mini App mode: the chat carries a number and an Open button only.
pages-desk-money = The invoice or payment, with its actions, opens as a page.

# My invoices: the invoice table, details, selection for payment, export.

menu-invoices = 🧾 My invoices

invoices-title = <b>🧾 My invoices</b>
invoices-empty = No invoices yet. When a clinic bills the services you received, the invoice appears here.
invoices-entry =
    { $mark }<b>No. { $number }</b>, issued { $issued } — { $name } ({ $category })
    Deductible (co-payment): { $copay } · from the deposit: { $deposit } · to pay: <b>{ $total }</b>
    Due by { $due } · { $status }
invoices-entry-settled =
    { $mark }<b>No. { $number }</b>, issued { $issued } — { $name } ({ $category })
    Deductible (co-payment): { $copay } · from the deposit: { $deposit } · { $status }
invoices-hint = 📄 — the invoice's details; check ☐ unpaid invoices to pay them together.
invoices-selected = Invoices selected: { $count }, to pay <b>{ $total }</b>
invoices-details-button = 📄 { $number }
invoices-select-button = ☐ Select { $number }
invoices-unselect-button = ☑️ Selected { $number }
invoices-pay-button = 💳 Pay { $total }
invoices-not-selectable = This invoice cannot be selected for payment: it is already paid, cancelled, disputed or being paid.
invoices-back-button = ‹ My invoices
invoices-export-csv-button = ⬇️ CSV
invoices-export-xlsx-button = ⬇️ Excel (XLSX)
invoices-export-caption-all = All your invoices
invoices-export-caption-one = Invoice No. { $number }: services

invoice-category-own = yours
invoice-category-relative = relative
invoice-category-child = child

invoice-status-new = 🆕 unpaid
invoice-status-pending = ⏳ being paid
invoice-status-paid = ✅ paid
invoice-status-overdue = ⚠️ overdue
invoice-status-disputed = ❓ disputed
invoice-status-cancelled = ✖️ cancelled
invoice-status-refunded = ↩️ refunded

invoice-title = <b>Invoice No. { $number }</b>, issued { $issued }
invoice-insured = Insured person: { $name } ({ $category })
invoice-status = Status: { $status }
invoice-due = Due by: { $due }
invoice-copay = Deductible (co-payment): { $amount }
invoice-deposit = Covered by the deposit: { $amount }
invoice-credited = Credited after a dispute: { $amount }
invoice-total = <b>To pay: { $amount }</b>
invoice-lines-title = <b>Services</b>
invoice-line =
    { $date } · { $clinic }
    { $service }: quantity { $quantity }, cost { $cost }, deductible { $copay }
invoice-lines-more = …and { $count } more (every service is in the CSV or Excel export).
invoice-hidden-service = medical services

invoice-export-number = Invoice number
invoice-export-issued = Invoice date
invoice-export-insured = Insured person
invoice-export-category = Category
invoice-export-copay = Deductible (co-payment), RUB
invoice-export-deposit = From the deposit, RUB
invoice-export-credited = Credited after a dispute, RUB
invoice-export-total = To pay, RUB
invoice-export-due = Due by
invoice-export-status = Status
invoice-export-service-date = Service date
invoice-export-clinic = Clinic
invoice-export-service = Service
invoice-export-quantity = Quantity
invoice-export-cost = Cost, RUB
invoice-pay-button = 💳 Pay { $total }
invoice-paid = ✅ Paid <b>{ $amount }</b> on { $at }, by card on the payment page (payment No. { $number }).
invoice-paid-automatic = ✅ Paid <b>{ $amount }</b> on { $at }: charged automatically to card •••• { $card } (payment No. { $number }).
invoice-paid-covered = ✅ Nothing was left to pay: the deposit or a dispute covered it all.
invoice-paid-offline = ✅ Paid <b>{ $amount }</b> outside the bot (at the clinic or by bank transfer); recorded by the insurer on { $at }.

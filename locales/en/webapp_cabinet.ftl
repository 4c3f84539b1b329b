# The cabinet as Mini App pages (bot/web/webapp/cabinet.py): plain text, the templates escape it.
webapp-cabinet-policies-title = My policies
webapp-cabinet-policies-empty = No policies: this page shows the policies of an insured person registered in the bot.
webapp-cabinet-policy-title = Policy No. { $number }
webapp-cabinet-insured = Insured
webapp-cabinet-program = Programme
webapp-cabinet-contract = Contract
webapp-cabinet-validity = Valid
webapp-cabinet-validity-range = from { $start } to { $end }
webapp-cabinet-status = Status
webapp-cabinet-franchise = Deductible
webapp-cabinet-debt = Debt (past its due date)
webapp-cabinet-to-pay = To pay (not yet due)
webapp-cabinet-card = Card for automatic charges
webapp-cabinet-card-none = none saved
webapp-cabinet-autopay = Automatic charges
webapp-cabinet-autopay-on = on
webapp-cabinet-autopay-off = off
webapp-cabinet-memo = Memo for the clinic (PDF)
webapp-cabinet-more = For this policy
webapp-cabinet-clinics-link = Clinics of the policy
webapp-cabinet-franchise-link = Deductible
webapp-cabinet-services-link = Services rendered
webapp-cabinet-invoices-link = Invoices to pay
webapp-cabinet-back-policies = ‹ My policies
webapp-cabinet-back-policy = ‹ To the policy
webapp-cabinet-back-franchise = ‹ Deductible
webapp-cabinet-to-policy = Open policy No. { $number }
webapp-cabinet-clinics-title = Clinics of policy No. { $number }
webapp-cabinet-search-label = Part of a clinic's name, or a city
webapp-cabinet-search-button = Search
webapp-cabinet-search-found = Search “{ $query }”: { $count ->
    [one] { $count } clinic found
   *[other] { $count } clinics found
}.
webapp-cabinet-show-all = All clinics
webapp-cabinet-phone = Phone
webapp-cabinet-booking = Book online
webapp-cabinet-other-clinics = Clinics of your other policies
webapp-cabinet-franchise-title = Deductible
webapp-cabinet-share = Your share of the cost of services
webapp-cabinet-terms = Terms
webapp-cabinet-consent = I agree, activate
webapp-cabinet-services-title = Services rendered
webapp-cabinet-services-whose = Whose services
webapp-cabinet-services-none = No services: this page shows the services of an insured person registered in the bot.
webapp-cabinet-service-date = Date
webapp-cabinet-clinic = Clinic
webapp-cabinet-quantity = Quantity
webapp-cabinet-cost = Cost
webapp-cabinet-copay = Deductible (co-pay)
webapp-cabinet-invoice = Invoice

# The chat in the Mini App mode: a line and a button that opens the page.
pages-policies = <b>📄 My policies</b>
    Your policies, your relatives' and the memo for the clinic open as a page.
pages-clinics = <b>🏥 Clinics</b>
    The clinics of your policy and their search open as a page.
pages-franchise = <b>💳 Deductible</b>
    The terms and the activation of the deductible open as a page.
pages-services = <b>🩺 Services rendered</b>
    The history of services opens as a page.
pages-child-added = ✅ The child's policy is added: it is on the page of your policies, its invoices on the invoices page.

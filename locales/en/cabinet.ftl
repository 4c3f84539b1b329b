# The cabinet: texts shared by the sections (menu, pages, statuses, input errors).

menu-policies = 📄 My policies
menu-clinics = 🏥 Clinics
menu-franchise = 💳 Deductible
menu-requests = ✉️ Requests
menu-settings = ⚙️ Settings

cabinet-not-yours = This is not available. Open the section again from /menu.
cabinet-page = Page { $number } of { $count }
cabinet-page-previous = ‹ Back
cabinet-page-next = Next ›

cabinet-invalid =
    { $problem }
    Example: { $example }
cabinet-example-search = <code>smile</code> or <code>Moscow</code>
cabinet-example-email = <code>ivanova@example.ru</code>
cabinet-example-code = <code>123456</code>
cabinet-example-callback = <code>tomorrow 10 to 12 am</code>
cabinet-example-curator = <code>Which tests should I take before seeing the endocrinologist?</code>
cabinet-example-add-clinic = <code>Zdorovye clinic, Kazan, 1 Baumana St.</code>
cabinet-example-support = <code>I cannot register: the bot does not find my policy</code>
cabinet-example-personal-data = <code>My surname is now Petrova, passport 1234 567890</code>

error-search-too_short = The search is too short: type at least 2 letters.
error-search-too_long = The search is too long (100 characters at most).
error-request-empty = The text is empty.
error-request-too_long = The text is too long: { $length } { $length ->
        [one] character
       *[other] characters
    }, the limit is { $max } (an emoji counts as two, as in Telegram). Please shorten it.
error-code-format = The code is the 6 digits from the e-mail.

policy-status-active = ✅ active
policy-status-not-started = ⏳ not started yet
policy-status-expired = ⛔ expired
policy-status-removed = ⛔ not active: you are no longer on the employer's list
policy-status-restricted-franchise = ⚠️ restricted: clinics under the deductible are unavailable until the invoice is paid
policy-status-restricted-emergency = ⚠️ restricted: emergency help only until the invoice is paid

franchise-status-not-required = not required
franchise-status-not-activated = not activated — clinics under the deductible are unavailable
franchise-status-scheduled = activated, in force from { $date }
franchise-status-active = in force since { $date }
franchise-status-suspended = suspended until the invoice is paid

# Settings: language, notifications, e-mail; a relative's services on her invoices.

settings-title = <b>⚙️ Settings</b>
settings-language = Language: { $language }
settings-email = E-mail: { $email }
settings-email-none = E-mail: not set
settings-notifications = <b>Notifications</b>
settings-on = on
settings-off = off
settings-notify-invoices-line = • new invoices: { $state }
settings-notify-reminders-line = • payment reminders: { $state }
settings-notify-news-line = • the insurer's news: { $state }
settings-notify-invoices-button = 🔔 New invoices: { $state }
settings-notify-reminders-button = 🔔 Reminders: { $state }
settings-notify-news-button = 🔔 News: { $state }
settings-language-button = 🌐 Change the language
settings-email-button = ✉️ Change the e-mail
settings-back-button = ‹ Settings
settings-sharing-title = <b>Services on your invoices</b>
settings-sharing-line = • show the service names to the policy holder ({ $holder }): { $state }
settings-sharing-note = Service names are data about your health; the policy holder sees the dates, clinics and amounts anyway.
settings-sharing-button = 👁 Show services to the holder: { $state }
settings-sharing-holder-changed = The policy holder has changed. Check the setting again.

settings-email-prompt = Type the new e-mail address. We will send a confirmation code to it.
settings-email-code-sent = The code is sent to { $email }. Type it here: it is valid for 5 minutes.
settings-email-refused-same = This is your current address. Type another one.
settings-email-refused-taken = This address is used by another user. Type another one.
settings-email-refused-cooldown = A code has been sent already. You can ask for a new one in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }; meanwhile, type the code from the last e-mail.
settings-email-refused-destination-daily-cap = Too many codes were sent to this address today. Try again tomorrow.
settings-email-refused-user-daily-cap = You have asked for too many codes today. Try again tomorrow.
settings-email-refused-delivery-failed = The e-mail could not be sent. Ask for a code again in a minute.
settings-email-changed = ✅ The e-mail is changed.
settings-email-code-wrong = Wrong code. Tries left: { $tries }.
settings-email-code-burned = Too many wrong tries: this code no longer works. Ask for a new one.
settings-email-code-expired = The code has expired. Ask for a new one.
settings-email-code-missing = The code is not found or already used. Ask for a new one.
settings-email-code-taken = Meanwhile another user has taken this address. Give another one.
settings-email-resend-button = Send the code again
settings-email-subject = E-mail confirmation code
settings-email-body =
    Your code to confirm the address in the DMS bot: { $code }
    The code is valid for 5 minutes. If you did not change your address, just delete this e-mail.

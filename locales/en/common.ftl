# Common texts: greeting, help, menu, language, errors.

start-hello = Hello, { $name }!
# The Mini App mode: no name from the user's Telegram profile in the chat.
start-hello-anonymous = Hello!
start-greeting =
    { $hello }
    This is the personal cabinet of people insured under voluntary medical insurance (DMS).

    Here you can:
    • see your policies and clinics;
    • activate the deductible (co-payment);
    • receive and pay invoices;
    • write to support and to the curator doctor.

    To begin, register: you will need your policy number (or your full name and date of birth) and the mobile phone number your employer's list holds.

help-registered =
    <b>What the bot can do</b>
    /menu — main menu
    /policies — my policies
    /clinics — clinics
    /invoices — my invoices
    /pay — pay my unpaid invoices
    /payments — my payments
    /requests — requests, a question to support among them
    /settings — settings
    /language — language
    /cancel — cancel the current action
    /delete_me — delete my data

    For questions about your policy, write to support in "Requests" or ask your company's HR.
help-unregistered =
    <b>What the bot can do</b>
    This is the personal cabinet of people insured under voluntary medical insurance (DMS): policies, clinics, the deductible, invoices and requests to the insurer.

    You are not registered yet. To begin, send /start or press "Start": you will need your policy number (or your full name and date of birth) and the mobile phone number your employer's list holds.

    /start — register
    /language — language
    /cancel — cancel the current action
    /delete_me — delete my data

    Cannot register? Write to support: no registration is needed for that.
help-staff = <i>You are on the insurer's staff: the staff commands are in /admin.</i>

menu-title = <b>Main menu</b>
menu-unregistered = You are not registered yet. Send /start to begin.

cancel-done = Action cancelled.
cancel-nothing = Nothing to cancel.
cancel-way-on = What next? Use the button below.

unknown-command = There is no such command. See /help for the list.
unknown-text = I did not understand that. Use the buttons or /help.
unknown-text-offer =
    I did not understand that: here I follow the buttons and commands (/help).
    If it is a question, send it to support with the button below; the answer will come here, in the bot.
unknown-file = I do not read messages like this. Use the buttons or /help; write a question to support as text.

language-choose = Choose your language:
language-set = The language is now English.
language-name-ru = Русский
language-name-en = English

error-unavailable = The service is temporarily unavailable. Please try again in a minute.

error-incident =
    Something went wrong; we are looking into it.
    Incident code: <code>{ $incident }</code> — give it to support if the error happens again.

button-back = ‹ Back
button-cancel = Cancel
button-menu = Main menu
button-start = ▶️ Start

commands-menu = Main menu
commands-help = Help
commands-language = Language
commands-cancel = Cancel the current action
menu-language = 🌐 Language
menu-help = ❓ Help
button-stale = This button is out of date. Open /menu.

delete-me-ask =
    Delete your account in the bot? Your consents will be withdrawn; the link to your policy, the phone and e-mail you gave, your settings, requests, questions and saved cards will be deleted. Your payments stay in the accounts without your contacts.
    The policy itself and the insurer's data are not affected. You can register again at any time.
delete-me-confirm = 🗑 Delete my data
delete-me-kept = All right, nothing was deleted.
delete-me-done = Your account is deleted. To use the bot again, send /start.
delete-me-nothing = You have no data in the bot.

# The bot was added to a group: one neutral line, then it leaves.
group-private-only = I work in private messages only, so that your data is seen by you alone. Write to me: { $link }

# The commands of the "/" menu (setMyCommands)
command-start = start: registration or a greeting
command-menu = main menu
command-policies = my policies
command-clinics = clinics
command-invoices = my invoices
command-pay = pay unpaid invoices
command-payments = my payments
command-requests = requests, including a question to support
command-settings = settings
command-language = language
command-help = what the bot can do
command-cancel = cancel the current action
command-delete_me = delete my data
screen-unchanged = Nothing has changed: the screen is up to date.

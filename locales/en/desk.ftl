# The support desk (staff only)
desk-admin-title = <b>Staff desk</b> (role: { $role ->
        [admin] administrator
       *[support] support
    })
desk-command-admin = this menu
desk-command-find = find a person: phone, policy, name, e-mail, Telegram id, invoice number, payment id
desk-command-queue = the queue: requests, questions, disputes, payment anomalies
desk-command-stats = statistics: registrations, refusals, invoices, payments, the queue, notices
desk-command-audit = the log of staff actions
desk-command-import = load a registry, programs, clinics, deposits or bills file
desk-command-export = export a register for the insurer: payments, refunds, invoices, activations, suspensions, disputes, requests
desk-command-broadcast = send a message to everyone registered, or to a segment
desk-command-roles = grant and revoke staff roles
desk-role-admin = administrator
desk-role-support = support
desk-role-user = user

# roles
desk-roles-title = <b>Staff</b>
desk-roles-member-configured = • <code>{ $id }</code> — { $role }, from the configuration (not revocable in the bot)
desk-roles-member-granted = • <code>{ $id }</code> — { $role }, granted by <code>{ $by }</code> on { $at }
desk-roles-more = …and { $count } more
desk-roles-help =
    Grant a role: <code>/roles grant ID support</code> or <code>/roles grant ID admin</code>, ID being the member's Telegram id (digits).
    Revoke: with a button below or <code>/roles revoke ID</code>.
desk-roles-example = <code>/roles grant 123456789 support</code> or <code>/roles revoke 123456789</code>
desk-roles-revoke-button = Revoke the role of { $id }
desk-roles-confirm-grant =
    Grant <code>{ $id }</code> the role “{ $role }”? Now: { $current }.
    They will get this role's staff commands in their menu.
desk-roles-confirm-revoke =
    Revoke the role “{ $role }” of <code>{ $id }</code>?
    They become an ordinary user; the staff commands leave their menu.
desk-roles-grant-yes = Grant
desk-roles-revoke-yes = Revoke
desk-roles-cancel = Cancel
desk-roles-back = Back to the staff list
desk-roles-granted = Done: <code>{ $id }</code> has the role “{ $role }”.
desk-roles-list-later = The staff commands will appear in their menu once they send the bot /admin.
desk-roles-revoked = Done: the role is revoked, <code>{ $id }</code> is an ordinary user now.
desk-roles-refused-configured = The role of <code>{ $id }</code> comes from the configuration (ADMIN_IDS / SUPPORT_IDS): it cannot be changed in the bot.
desk-roles-refused-self = You cannot change your own role: another administrator can.
desk-roles-refused-not-stored = <code>{ $id }</code> has no role granted in the bot: nothing to revoke.
desk-roles-refused-unchanged = <code>{ $id }</code> already has the role “{ $role }”.
error-telegram_id-invalid = A Telegram id is a number: digits only, no signs or spaces.
error-role-invalid = The role is <code>support</code> or <code>admin</code>.
error-grant-usage = A Telegram id and a role are needed, separated by a space.
error-roles-usage = /roles has no such command.

# audit
desk-audit-title = <b>Audit log</b>
desk-audit-filter-all = All entries: { $count }, newest first.
desk-audit-filter-telegram = Telegram id <code>{ $id }</code>: what they did and what was done to them and their record — { $count }, newest first.
desk-audit-filter-person = Insured person #{ $id } (by policy number): what was done to them and their account, and what the account did — { $count }, newest first.
desk-audit-empty = No entries.
desk-audit-system = system
desk-audit-who = by: { $who }
desk-audit-no-person = No insured person has this policy number. Check the number; type a Telegram id in digits only.
desk-audit-example = <code>/audit</code>, <code>/audit 123456789</code> (a Telegram id) or <code>/audit AB098765432/10</code> (a policy number; one of digits only with №: <code>/audit №45678</code>)
audit-action-consent = consent given or withdrawn
audit-action-registration-submit = registration submitted
audit-action-registration-key-failed = failed registration attempt on a key
audit-action-registration-refused = registration refused
audit-action-registration-linked = account linked to an insured person
audit-action-language-set = language chosen
audit-action-notifications-set = notifications changed
audit-action-services-sharing-set = holder's view of service names changed
audit-action-email-changed = e-mail changed
audit-action-account-deleted = account deleted (/delete_me)
audit-action-child-add = child's policy added
audit-action-invoice-payer-adopted = a parent took over a child's invoice
audit-action-franchise-activated = franchise activated
audit-action-request-created = request created
audit-action-request-closed = request closed
audit-action-support-asked = question to support
audit-action-support-refused = question to support not accepted
audit-action-dispute-opened = service line disputed
audit-action-payment-started = payment started
audit-action-payment-succeeded = payment succeeded
audit-action-payment-canceled = payment canceled
audit-action-payment-failed = payment failed
audit-action-payment-anomaly = payment anomaly
audit-action-refund-requested = refund requested
audit-action-refund-succeeded = refund succeeded
audit-action-refund-canceled = refund canceled
audit-action-refund-failed = refund failed
audit-action-refund-anomaly = refund anomaly
audit-action-card-binding-started = card binding started
audit-action-card-bound = card bound
audit-action-card-not-bound = card not bound
audit-action-card-removed = card removed
audit-action-card-autopay = automatic charges changed
audit-action-autopay-started = automatic charge started
audit-action-autopay-skipped = automatic charge skipped
audit-action-bills-import = clinic bills imported
audit-action-billing-daily = daily billing run
audit-action-registry-key-collision = registry policy keys collided
audit-action-dispute-answered = staff answered a dispute
audit-action-role-granted = staff role granted
audit-action-role-revoked = staff role revoked
audit-action-desk-find = search on the desk (/find)
audit-action-record-viewed = full record viewed
audit-action-invite-resent = invite sent again
audit-action-dialog-reset = stuck dialog reset
audit-action-registration-lock-lifted = registration lock lifted
audit-action-account-unlinked = account unlinked from the insured person
audit-action-user-blocked = Telegram user blocked
audit-action-user-unblocked = Telegram user unblocked
audit-action-account-erased = account erased on request
audit-action-account-expired = unfinished registration erased after its retention period


# find
desk-find-usage =
    <b>/find TEXT</b> — find a person. TEXT may be:
    • a phone in any form: <code>+7 916 555-12-34</code>, <code>89165551234</code>
    • a policy or personnel number in any form: <code>456/78</code>, <code>AB 098765432-10</code>, <code>T-0042</code>
    • a name, with or without a birth date: <code>Sokolova</code>, <code>Соколова Дарья 09.04.1984</code>
    • an e-mail: <code>sokolova@example.ru</code>
    • a Telegram id: <code>123456789</code>
    • an invoice number: <code>2026/11/3</code>
    • a YooKassa payment id: <code>2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f</code>
desk-find-nothing =
    Nobody found. Try another form, for example:
    <code>/find +7 916 555-12-34</code>, <code>/find 456/78</code>, <code>/find Соколова 09.04.1984</code>,
    <code>/find sokolova@example.ru</code>, <code>/find 2026/11/3</code>, or a YooKassa payment id.
desk-find-title = <b>Found: { $count }</b> (masked; press a name for the full record, the view is logged)
desk-find-registered = registered
desk-find-blocked = ⛔ blocked
desk-back-to-list = « Back to the list

# record
desk-record-title = <b>{ $name }</b> · record #{ $id }
desk-record-tab-person = Person
desk-record-tab-registration = Registration
desk-record-tab-money = Invoices and payments
desk-record-tab-requests = Requests and disputes
desk-record-born = Born: { $date }
desk-record-policy = Policy: <code>{ $number }</code>, program { $program }
desk-record-validity = Valid { $start } – { $end }
desk-record-removed = (removed from the list on { $date })
desk-record-category = Category: { $category }
desk-record-personnel = Personnel number: <code>{ $number }</code>
desk-record-employer = Employer: { $employer }, contract { $contract }
desk-record-contacts = In the registry: { $phone }, { $email }
desk-record-relatives = <b>Relatives</b>
desk-relation-holder = holder: { $name }, <code>{ $number }</code>, { $date }
desk-relation-relative = relative: { $name }, <code>{ $number }</code>, { $date }
desk-relation-child = child added: { $name }, <code>{ $number }</code>, { $date }
desk-relation-parent = added by parent: { $name }, <code>{ $number }</code>, { $date }
desk-record-no-account = <b>Account:</b> none (not registered)
desk-record-account = <b>Account:</b> Telegram id <code>{ $telegram }</code>, registered { $since }, language { $language }
desk-record-account-contacts = Account's contacts: { $phone }, { $email }
desk-record-blocked = ⛔ Telegram id <code>{ $telegram }</code> blocked on { $at } by { $by }
desk-record-consents = <b>Consents</b>
desk-record-consent = { $kind } (version { $version }): { $granted ->
        [yes] given
       *[no] refused
    } { $at }
desk-record-locks = <b>Registration keys today</b>
desk-record-lock = { $kind ->
        [number] number
       *[person] name and birth date
    }: { $failures } failed{ $locked ->
        [yes] , 🔒 locked
       *[no] {""}
    }
desk-record-submissions = The account user's submissions today: { $count }
desk-record-attempts = <b>Registration attempts</b>
desk-record-attempt = { $at } { $action }: { $reason } (Telegram id { $telegram }){ $locked ->
        [yes] , 🔒 key locked
       *[no] {""}
    }
desk-record-none = none
desk-record-invoices = <b>Invoices</b>
desk-record-invoice = <code>{ $number }</code> { $status }, issued { $issued }, due { $due }, co-pay { $copay }, paid { $paid } (insured #{ $insured }, payer #{ $payer })
desk-record-payments = <b>Payments</b>
desk-record-payment = #{ $id } { $kind } { $status } { $amount }, { $at }, YooKassa <code>{ $provider }</code>
desk-record-refund =     refund { $status } { $amount }, YooKassa <code>{ $provider }</code>
desk-record-requests = <b>Open requests</b>
desk-record-request = № { $number } { $kind }, { $at }
desk-record-disputes = <b>Open disputes</b>
desk-record-dispute = #{ $id } on invoice <code>{ $invoice }</code>, answer due { $deadline }

# actions
desk-action-invite = ✉️ Send the invite again
desk-action-reset = ↺ Reset the stuck dialog
desk-action-lift = 🔓 Lift the registration lock
desk-action-unlink = Unlink the account
desk-action-block = ⛔ Block the Telegram user
desk-action-unblock = Unblock
desk-action-erase = 🗑 Erase the account on request
desk-back-to-record = « Back to the record
desk-confirm-yes = Yes, do it
desk-confirm-no = Cancel
desk-confirm-invite = Send a new personal invite link? It goes by e-mail to the address in the registry (with none there, the link is shown to an administrator). The action is logged.
desk-confirm-reset = Reset this person's dialog? Whatever they were typing in the bot (registration, a form) is dropped, and they start again from /start or /menu. The action is logged.
desk-confirm-lift = Lift today's registration lock? The failed attempts on this person's number and name are reset, and so are today's submissions of the users who tried them. The attempts stay in the log.
desk-confirm-unlink = Unlink the Telegram account from this person? They lose access to the cabinet and can register again (the recovery path). Saved cards are forgotten. The action is logged.
desk-confirm-block = Block this Telegram user? The bot will answer them one line a day ("access suspended") and nothing else, even after they delete their data. The action is logged.
desk-confirm-unblock = Unblock this Telegram user? The bot answers them as before. The action is logged.
desk-confirm-erase = Erase the account at the person's request? The account, its consents and requests are deleted, as with /delete_me; the registry row stays. This cannot be undone. The action is logged.
desk-done-invite-emailed = ✅ A new invite was sent to { $email }.
desk-done-invite-shown = ✅ No e-mail in the registry. The new invite link (pass it on yourself; its showing is logged):
    { $link }
desk-done-reset = ✅ The dialog is reset.
desk-done-lift = ✅ The registration lock is lifted.
desk-done-unlink = ✅ The account is unlinked: the person can register again.
desk-done-block = ✅ The Telegram user is blocked.
desk-done-unblock = ✅ The Telegram user is unblocked.
desk-done-erase = ✅ The account is erased.
desk-not-done-not-applicable = Nothing to do: the record has changed. Open it again.
desk-not-done-no-email = There is no e-mail in the registry for this person: ask an administrator to send the link.
desk-not-done-delivery-failed = The e-mail to { $email } could not be sent. Try again later.
desk-blocked-line = Access to the bot is suspended. Please contact your HR department or the insurer.
desk-invite-mail-subject = Your personal link to the insurance cabinet
desk-invite-mail-body =
    Hello!

    Your personal link to register in the insurance cabinet bot (valid for 30 days, single use):
    { $link }
audit-action-desk-taken = a staff member took a queue item
audit-action-desk-released = a staff member released a queue item
audit-action-desk-taken-over = a queue item taken over from another staff member
audit-action-desk-muted = new-item notices of the queue turned off or on
audit-action-anomaly-checked = payment anomaly checked
audit-action-invoice-marked-paid = invoice marked paid outside the bot
audit-action-invoice-cancelled = invoice cancelled
audit-action-anomaly-settled = payment anomaly settled
audit-action-anomaly-dismissed = payment anomaly dismissed with a comment
audit-action-request-answered = support answered a request
audit-action-request-replied = the user replied to support: the request reopened
audit-action-desk-closed = a request or a question closed without an answer
audit-action-dispute-written = support wrote to the user about a dispute
audit-action-dispute-replied = the user replied to support about a dispute
audit-action-import-started = an import from the chat started
audit-action-import-finished = an import from the chat ended
audit-action-import-interrupted = an import was cut off by a restart
audit-action-export-written = a register exported for the insurer
audit-action-broadcast-started = a broadcast started
audit-action-broadcast-stopped = a broadcast was stopped
audit-action-broadcast-done = a broadcast finished

# queue
desk-queue-kind-request = request
desk-queue-kind-question = question to support
desk-queue-kind-dispute = invoice dispute
desk-queue-kind-anomaly = payment anomaly
desk-queue-kind-refund = refund anomaly
desk-queue-title-request = Request No. { $number } · { $subject }
desk-queue-title-question = Question No. { $number }
desk-queue-title-dispute = Dispute No. { $number } · invoice { $subject }
desk-queue-title-anomaly = Payment No. { $number } · { $subject }
desk-queue-title-refund = Refund No. { $number } · { $subject }
desk-queue-age-minutes = { $n } min
desk-queue-age-hours = { $n } h
desk-queue-age-days = { $n } d
desk-queue-not-registered = not registered
desk-queue-waits = waiting { $age }
desk-queue-reopened = ↩️ replied to the answer
desk-queue-due = answer due { $date }
desk-queue-late = 🔴 late
desk-queue-taken = 🔒 taken by { $by } ({ $at })
desk-queue-filter-all = All
desk-queue-filter-request = Requests
desk-queue-filter-question = Questions
desk-queue-filter-dispute = Disputes
desk-queue-filter-anomaly = Anomalies
desk-queue-filter-refund = Refunds
desk-queue-heading = <b>Queue</b> — { $filter }: { $count } (oldest first)
desk-queue-muted-line = 🔕 New-item notices are off.
desk-queue-empty = The queue is empty.
desk-queue-mute = 🔕 Stop new-item notices
desk-queue-unmute = 🔔 Send new-item notices
desk-queue-who = Who: { $who }
desk-queue-since = Arrived: { $at }, waiting { $age }
desk-queue-deadline = Answer by: { $date }
desk-queue-dispute-line = Service on { $date }, its co-pay { $copay }
desk-queue-payment = Payment No. { $id }, YooKassa <code>{ $provider }</code>, { $amount }, status { $status }, reason: { $reason }; invoices: { $invoices }
desk-queue-refund = Refund No. { $id }, YooKassa <code>{ $provider }</code>, { $amount }, status { $status }, reason: { $reason }
desk-queue-preferred-time = Preferred time for the call: { $time }
desk-queue-closed = ✅ Closed.
desk-queue-taken-by = 🔒 Taken by { $by } on { $at }
desk-queue-nobody = Nobody has taken it.
desk-queue-text = <b>The user wrote:</b>
desk-queue-conversation = <b>Conversation:</b>
desk-queue-said-staff = — support, { $at }: { $text }
desk-queue-said-user = — the user, { $at }: { $text }
desk-queue-act-take = ✋ Take
desk-queue-act-release = Release
desk-queue-act-take-over = Take over from { $by }
desk-queue-act-answer = ✍️ Answer
desk-queue-act-accept = ✅ Accept the dispute
desk-queue-act-reject = ✖️ Reject the dispute
desk-queue-act-checked = ✔️ Checked
desk-queue-act-close = 🗄 Close without an answer
desk-queue-record = 👤 The person's record
desk-queue-back = « Back to the queue
desk-queue-back-to-item = « Back to the queue item
desk-queue-prompt-answer = Write the answer to No. { $number } in one message. It goes to the user from support, and the item closes.
desk-queue-prompt-accept = Write a comment on the decision: dispute No. { $number } will be accepted and the service's co-pay credited.
desk-queue-prompt-reject = Write a comment on the decision: dispute No. { $number } will be rejected, the due date moved by the days it was held.
desk-queue-preview-answer =
    Answer to No. { $number }:

    { $text }
desk-queue-preview-accept =
    Accept dispute No. { $number } with the comment:

    { $text }
desk-queue-preview-reject =
    Reject dispute No. { $number } with the comment:

    { $text }
desk-queue-send-answer = Send the answer
desk-queue-send-accept = Accept the dispute
desk-queue-send-reject = Reject the dispute
desk-queue-draft-drop = Cancel
desk-queue-draft-dropped = The answer was not sent.
desk-queue-draft-cancelled = Cancelled: the answer to No. { $number } was not sent.
desk-queue-done-take = ✅ You took this item.
desk-queue-done-release = ✅ You released this item.
desk-queue-done-take-over = ✅ Taken over: the item is yours now.
desk-queue-done-answer = ✅ The answer is sent to the user.
desk-queue-done-accept = ✅ The dispute is accepted; the user will be told.
desk-queue-done-reject = ✅ The dispute is rejected; the user will be told.
desk-queue-done-checked = ✅ Marked as checked.
desk-queue-done-close = ✅ Closed without an answer.
desk-queue-refused-not-found = This item is not in the queue any more.
desk-queue-refused-taken = Not done: another staff member has taken the item.
desk-queue-refused-not-held = Take the item first.
desk-queue-refused-changed = The invoice changed while you were answering. Open the dispute again.
desk-queue-refused-other = Not done: the item has changed. Open it again.
desk-queue-gone = This item is not in the queue any more.
desk-queue-example = Hello! The clinic is added to your programme from 01.12.

# imports from the chat (/import)
desk-import-example = Send the file with a caption such as <code>registry</code>, <code>registry --full</code> or <code>bills --issued-on 2026-12-01</code>, or type <code>/import registry</code> and then send the file. Kinds: registry, programs, clinics, deposits, bills.
desk-import-bad-no-kind = Which file is it?
desk-import-bad-unknown-kind = There is no kind of file “{ $value }”.
desk-import-bad-unknown-option = There is no option “{ $value }”.
desk-import-bad-bad-date = “{ $value }” is not a date: write it as YYYY-MM-DD.
desk-import-bad-full-registry-only = --full applies to the registry only.
desk-import-bad-issued-on-bills-only = --issued-on applies to bills only.
desk-import-send-file = Send the CSV or XLSX file now: it will be imported as <code>{ $ask }</code>.
desk-import-too-big = The file is over 20 MB, more than a bot may download from Telegram. Import it on the server: <code>python -m bot import { $kind } FILE</code>.
desk-import-busy = An import of { $kind } is already running: started by { $who } at { $at }. Send the file again when it has finished.
desk-import-started = Importing <code>{ $ask }</code> from { $name }…
desk-import-progress = Importing <code>{ $ask }</code>: { $rows } rows read, { $percent }%…
desk-import-refused = The file was not imported (<code>{ $ask }</code>), nothing was written: { $reason }
desk-import-failed = The import <code>{ $ask }</code> failed on our side; what it wrote is in the audit log. Try again or use the command line.
desk-import-no-storage = The import <code>{ $ask }</code> stopped: the database could not write ({ $reason ->
        [disk-full] its disk is full
        [read-only] it is read-only
        [disk-failed] its disk failed
        [cannot-open] its file cannot be opened
       *[locked] another process kept it locked
    }); what it wrote before is in the audit log. Tell the administrators; try again once they have fixed it.
desk-import-done = Imported <code>{ $ask }</code>.
desk-import-summary = imported { $imported }, updated { $updated }, unchanged { $unchanged }, rejected { $rejected }
desk-import-invoices = invoices issued { $count }
desk-import-see-report = Issues: { $count }, every one in the report below.
desk-import-report-caption = Issues of the import <code>{ $ask }</code>
desk-import-interrupted = The import of { $kind } you started at { $at } was cut off by a restart of the bot. Rows written before the stop stay; send the file again to finish it (rows already imported come out unchanged).
desk-import-stopped = The import <code>{ $ask }</code> was interrupted: the bot is stopping. Rows written before the stop stay; send the file again to finish it (rows already imported come out unchanged).

# registers for the insurer (/export)
desk-export-example = For example: <code>/export payments --since 2026-10-01</code>, or <code>/export invoices --since 2026-10-01 xlsx</code> for an Excel workbook. Registers: payments, refunds, invoices, activations, suspensions, disputes, requests.
desk-export-bad-no-kind = Which register?
desk-export-bad-unknown-kind = There is no register “{ $value }”.
desk-export-bad-no-since = Say from which day: <code>--since YYYY-MM-DD</code>.
desk-export-bad-bad-date = “{ $value }” is not a date: write it as YYYY-MM-DD.
desk-export-bad-unknown-option = There is no option “{ $value }”.
desk-export-caption = Register <code>{ $kind }</code> since { $since }: { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    }.
desk-export-too-big = The register is over 50 MB, more than a bot may send. Write it on the server: <code>python -m bot export { $kind } --since { $since } FILE</code>.

# A queue item's topic in the staff's forum group: its kind and number only.
desk-topic-name = { $kind } No. { $number }
desk-topic-reply-hint = Reply in this topic: the answer goes to the user from support.
desk-topic-verdict-accept = Dispute No. { $number } will be accepted. Reply in this topic with a comment on the decision: it goes to the user. Changed your mind? /cancel in the chat with the bot.
desk-topic-verdict-reject = Dispute No. { $number } will be rejected. Reply in this topic with a comment on the decision: it goes to the user. Changed your mind? /cancel in the chat with the bot.

# /broadcast
desk-broadcast-ask-text =
    📣 <b>Broadcast</b>. Type the message: plain text, up to { $max } characters; it is sent exactly as typed.
    Only people whose settings turn news on get broadcasts.
desk-broadcast-example = The list of clinics has been updated: see /clinics.
desk-broadcast-ask-screen = Add a button that opens a screen of the bot?
desk-broadcast-no-screen = No button
desk-broadcast-ask-segment = Who should get it?
desk-broadcast-segment-all = Everyone registered
desk-broadcast-segment-contract = One contract
desk-broadcast-segment-employer = One employer
desk-broadcast-segment-unpaid = People with unpaid invoices
desk-broadcast-segment-ending = People whose policy ends this month
desk-broadcast-ask-contract = Type the contract number exactly as the registry has it.
desk-broadcast-ask-employer = Type the employer's name exactly as the registry has it.
desk-broadcast-value-example = Д-2026/001
desk-broadcast-sample = 👇 The message as recipients will see it:
desk-broadcast-preview =
    📣 <b>Broadcast</b> to: { $segment }
    Recipients now (news turned on): <b>{ $count }</b>
    It goes out after the service notices, between { $start }:00 and { $end }:00 operator time.
desk-broadcast-nobody = Nobody in this segment has news turned on: there is no one to send it to.
desk-broadcast-send = ✅ Send to { $count }
desk-broadcast-cancel = Cancel
desk-broadcast-dropped = The broadcast was cancelled; nothing was sent.
desk-broadcast-queuing-number = 📣 Broadcast No. { $number }: writing the recipients to the queue…
desk-broadcast-queuing = Still writing the recipients to the queue.
desk-broadcast-progress = 📣 Broadcast No. { $number }: { $status ->
        [stopped] stopped
        [done] finished
       *[running] under way
    }
desk-broadcast-counts = Recipients: { $total }. Delivered: { $sent }, blocked the bot: { $blocked }, could not be sent: { $failed }.
desk-broadcast-cancelled = Dropped by the stop: { $count }.
desk-broadcast-refresh = 🔄 Refresh
desk-broadcast-stop = ⏹ Stop
error-broadcast-one_line = It should be one line.

# /stats
desk-stats-title = <b>Statistics</b>
desk-stats-registered = Registered users: { $count }
desk-stats-week = <b>Week of { $first } – { $last }</b>
desk-stats-registrations = Registrations: { $count }
desk-stats-refusals = Registration refusals: { $count }
desk-stats-entry = • { $what }: { $count }
desk-stats-way-policy = with a policy number
desk-stats-way-personal = with personal details, no number
desk-stats-way-invite = with an invite link
desk-stats-reason-not-found = details not on the list
desk-stats-reason-ambiguous = several people match
desk-stats-reason-ask-hr = neither the phone nor the e-mail matches the list
desk-stats-reason-already-linked = policy already linked to another account
desk-stats-reason-phone-taken = phone used by another account
desk-stats-reason-email-taken = e-mail used by another account
desk-stats-reason-under-18 = under 18
desk-stats-reason-policy-not-active = policy not in force
desk-stats-reason-wrong-policy = not the policy number the invite was for
desk-stats-invoices = <b>Invoices and money</b>
desk-stats-invoices-issued = Invoices issued: { $count }, { $amount }
desk-stats-invoices-paid = Paid: { $count }, { $amount }
desk-stats-invoices-overdue = Overdue: { $count }, { $amount }
desk-stats-invoices-cancelled = Cancelled: { $count }, { $amount }
desk-stats-payments = Payments: { $count }, { $amount }
desk-stats-refunds = Refunds: { $count }, { $amount }
desk-stats-waiting = <b>Waiting for staff</b>
desk-stats-disputes = Disputes awaiting an answer: { $open }, of which late: { $late }
desk-stats-requests = Requests awaiting an answer: { $requests }; questions to support: { $questions }
desk-stats-outbox = Notices waiting to be sent: { $count }
desk-stats-outbox-oldest = ; the oldest since { $since } ({ $age })

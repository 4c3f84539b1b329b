# The support desk (staff only)
desk-admin-title = <b>Staff desk</b> (role: { $role ->
        [admin] administrator
       *[support] support
    })
desk-command-admin = this menu
desk-command-find = find a person: phone, policy, name, e-mail, Telegram id, invoice number, payment id
desk-command-audit = the log of staff actions
desk-command-roles = grant and revoke staff roles

# find
desk-find-usage =
    <b>/find TEXT</b> — find a person. TEXT may be:
    • a phone in any form: <code>+7 916 100-00-01</code>, <code>89161000001</code>
    • a policy or personnel number in any form: <code>123/14</code>, <code>AM 012345678-13</code>, <code>T-1001</code>
    • a name, with or without a birth date: <code>Ivanov</code>, <code>Иванов Иван 15.03.1985</code>
    • an e-mail: <code>ivanov@example.ru</code>
    • a Telegram id: <code>5001</code>
    • an invoice number: <code>2026/11/3</code>
    • a YooKassa payment id: <code>2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f</code>
desk-find-nothing =
    Nobody found. Try another form, for example:
    <code>/find +7 916 100-00-01</code>, <code>/find 123/14</code>, <code>/find Иванов 15.03.1985</code>,
    <code>/find ivanov@example.ru</code>, <code>/find 2026/11/3</code>, or a YooKassa payment id.
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
desk-record-consent = { $kind } v{ $version }: { $granted ->
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

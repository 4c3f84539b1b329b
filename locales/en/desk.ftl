# The support desk (staff only)
desk-admin-title = <b>Staff desk</b> (role: { $role ->
        [admin] administrator
       *[support] support
    })
desk-command-admin = this menu
desk-command-find = find a person: phone, policy, name, e-mail, Telegram id, invoice number, payment id
desk-command-audit = the log of staff actions
desk-command-roles = grant and revoke staff roles
desk-role-admin = administrator
desk-role-support = support
desk-role-user = user

# roles
desk-roles-title = <b>Staff</b>
desk-roles-member-configured = • <code>{ $id }</code> — { $role }, from the configuration (not revocable in the bot)
desk-roles-member-granted = • <code>{ $id }</code> — { $role }, granted by <code>{ $by }</code> { $at }
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
desk-audit-example = <code>/audit</code>, <code>/audit 123456789</code> (a Telegram id) or <code>/audit AM012345689/13</code> (a policy number; one of digits only with №: <code>/audit №12314</code>)
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

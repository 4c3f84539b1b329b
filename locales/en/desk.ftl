# The support desk (staff only)
desk-admin-title = <b>Staff desk</b> (role: { $role ->
        [admin] administrator
       *[support] support
    })
desk-command-admin = this menu
desk-command-find = find a person: phone, policy, name, e-mail, Telegram id, invoice number, payment id
desk-command-audit = the log of staff actions
desk-command-roles = grant and revoke staff roles

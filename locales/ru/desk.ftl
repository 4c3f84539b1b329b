# The support desk (staff only)
desk-admin-title = <b>Рабочее место сотрудника</b> (роль: { $role ->
        [admin] администратор
       *[support] поддержка
    })
desk-command-admin = это меню
desk-command-find = найти человека: телефон, полис, ФИО, e-mail, Telegram id, номер счёта, id платежа
desk-command-audit = журнал действий сотрудников
desk-command-roles = выдать и отозвать роли сотрудников

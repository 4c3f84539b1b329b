# The support desk (staff only)
desk-admin-title = <b>Рабочее место сотрудника</b> (роль: { $role ->
        [admin] администратор
       *[support] поддержка
    })
desk-command-admin = это меню
desk-command-find = найти человека: телефон, полис, ФИО, e-mail, Telegram id, номер счёта, id платежа
desk-command-audit = журнал действий сотрудников
desk-command-roles = выдать и отозвать роли сотрудников
desk-role-admin = администратор
desk-role-support = поддержка
desk-role-user = пользователь

# roles
desk-roles-title = <b>Сотрудники</b>
desk-roles-member-configured = • <code>{ $id }</code> — { $role }, из конфигурации (в боте не отзывается)
desk-roles-member-granted = • <code>{ $id }</code> — { $role }, выдал <code>{ $by }</code> { $at }
desk-roles-more = …и ещё { $count }
desk-roles-help =
    Выдать роль: <code>/roles grant ID support</code> или <code>/roles grant ID admin</code>, где ID — Telegram id сотрудника (цифры).
    Отозвать: кнопкой ниже или <code>/roles revoke ID</code>.
desk-roles-example = <code>/roles grant 123456789 support</code> или <code>/roles revoke 123456789</code>
desk-roles-revoke-button = Отозвать роль у { $id }
desk-roles-confirm-grant =
    Выдать <code>{ $id }</code> роль «{ $role }»? Сейчас: { $current }.
    Сотрудник получит служебные команды этой роли в своём меню.
desk-roles-confirm-revoke =
    Отозвать у <code>{ $id }</code> роль «{ $role }»?
    Он станет обычным пользователем, служебные команды пропадут из его меню.
desk-roles-grant-yes = Выдать
desk-roles-revoke-yes = Отозвать
desk-roles-cancel = Отмена
desk-roles-back = К списку сотрудников
desk-roles-granted = Готово: у <code>{ $id }</code> роль «{ $role }».
desk-roles-list-later = Служебные команды появятся в его меню, когда он напишет боту /admin.
desk-roles-revoked = Готово: роль отозвана, <code>{ $id }</code> теперь обычный пользователь.
desk-roles-refused-configured = Роль <code>{ $id }</code> задана в конфигурации (ADMIN_IDS / SUPPORT_IDS): в боте её не изменить.
desk-roles-refused-self = Свою роль изменить нельзя: это может сделать другой администратор.
desk-roles-refused-not-stored = У <code>{ $id }</code> нет роли, выданной в боте: отзывать нечего.
desk-roles-refused-unchanged = У <code>{ $id }</code> уже роль «{ $role }».
error-telegram_id-invalid = Telegram id — это число из цифр, без знаков и пробелов.
error-role-invalid = Роль — <code>support</code> (поддержка) или <code>admin</code> (администратор).
error-grant-usage = Нужны Telegram id и роль через пробел.
error-roles-usage = Такой команды у /roles нет.

# audit
desk-audit-title = <b>Журнал действий</b>
desk-audit-filter-all = Все записи: { $count }, новые сверху.
desk-audit-filter-telegram = Telegram id <code>{ $id }</code>: его действия и действия с ним и его записью — { $count }, новые сверху.
desk-audit-filter-person = Застрахованный #{ $id } (по номеру полиса): действия с ним, его аккаунтом и самого аккаунта — { $count }, новые сверху.
desk-audit-empty = Записей нет.
desk-audit-system = система
desk-audit-who = кто: { $who }
desk-audit-no-person = Застрахованного с таким номером полиса нет. Проверьте номер; Telegram id пишите только цифрами.
desk-audit-example = <code>/audit</code>, <code>/audit 123456789</code> (Telegram id) или <code>/audit АМ012345689/13</code> (номер полиса; из одних цифр — с №: <code>/audit №12314</code>)
audit-action-consent = согласие дано или отозвано
audit-action-registration-submit = заявка на регистрацию
audit-action-registration-key-failed = неудачная попытка регистрации по ключу
audit-action-registration-refused = в регистрации отказано
audit-action-registration-linked = аккаунт привязан к застрахованному
audit-action-language-set = выбран язык
audit-action-notifications-set = изменены уведомления
audit-action-services-sharing-set = изменён доступ держателя к названиям услуг
audit-action-email-changed = изменён e-mail
audit-action-account-deleted = аккаунт удалён (/delete_me)
audit-action-child-add = добавлен полис ребёнка
audit-action-invoice-payer-adopted = родитель принял счёт ребёнка к оплате
audit-action-franchise-activated = подключена франшиза
audit-action-request-created = создано обращение
audit-action-request-closed = обращение закрыто
audit-action-support-asked = вопрос в поддержку
audit-action-support-refused = вопрос в поддержку не принят
audit-action-dispute-opened = открыт спор по услуге
audit-action-payment-started = начат платёж
audit-action-payment-succeeded = платёж прошёл
audit-action-payment-canceled = платёж отменён
audit-action-payment-failed = платёж не удался
audit-action-payment-anomaly = расхождение в платеже
audit-action-refund-requested = запрошен возврат
audit-action-refund-succeeded = возврат прошёл
audit-action-refund-canceled = возврат отменён
audit-action-refund-failed = возврат не удался
audit-action-refund-anomaly = расхождение в возврате
audit-action-card-binding-started = начата привязка карты
audit-action-card-bound = карта привязана
audit-action-card-not-bound = карта не привязана
audit-action-card-removed = карта удалена
audit-action-card-autopay = изменено автосписание
audit-action-autopay-started = начато автосписание
audit-action-autopay-skipped = автосписание пропущено
audit-action-bills-import = импорт счетов клиник
audit-action-billing-daily = ежедневный расчёт счетов
audit-action-registry-key-collision = совпали ключи полисов в реестре
audit-action-dispute-answered = сотрудник ответил на спор
audit-action-role-granted = выдана роль сотрудника
audit-action-role-revoked = отозвана роль сотрудника

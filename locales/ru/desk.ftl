# The support desk (staff only)
desk-admin-title = <b>Рабочее место сотрудника</b> (роль: { $role ->
        [admin] администратор
       *[support] поддержка
    })
desk-command-admin = это меню
desk-command-find = найти человека: телефон, полис, ФИО, e-mail, Telegram id, номер счёта, id платежа
desk-command-audit = журнал действий сотрудников
desk-command-roles = выдать и отозвать роли сотрудников

# find
desk-find-usage =
    <b>/find ТЕКСТ</b> — найти человека. ТЕКСТ может быть:
    • телефоном в любом виде: <code>+7 916 100-00-01</code>, <code>89161000001</code>
    • номером полиса или табельным номером в любом виде: <code>123/14</code>, <code>АМ 012345678-13</code>, <code>T-1001</code>
    • ФИО с датой рождения или без: <code>Иванов</code>, <code>Иванов Иван 15.03.1985</code>
    • e-mail: <code>ivanov@example.ru</code>
    • Telegram id: <code>5001</code>
    • номером счёта: <code>2026/11/3</code>
    • id платежа ЮKassa: <code>2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f</code>
desk-find-nothing =
    Никого не нашлось. Попробуйте другой вид запроса, например:
    <code>/find +7 916 100-00-01</code>, <code>/find 123/14</code>, <code>/find Иванов 15.03.1985</code>,
    <code>/find ivanov@example.ru</code>, <code>/find 2026/11/3</code> или id платежа ЮKassa.
desk-find-title = <b>Найдено: { $count }</b> (данные скрыты; нажмите на имя, чтобы открыть карточку — просмотр записывается в журнал)
desk-find-registered = зарегистрирован
desk-find-blocked = ⛔ заблокирован
desk-back-to-list = « К списку

# record
desk-record-title = <b>{ $name }</b> · карточка №{ $id }
desk-record-tab-person = Человек
desk-record-tab-registration = Регистрация
desk-record-tab-money = Счета и платежи
desk-record-tab-requests = Обращения и споры
desk-record-born = Дата рождения: { $date }
desk-record-policy = Полис: <code>{ $number }</code>, программа { $program }
desk-record-validity = Действует { $start } – { $end }
desk-record-removed = (исключён из списка { $date })
desk-record-category = Категория: { $category }
desk-record-personnel = Табельный номер: <code>{ $number }</code>
desk-record-employer = Работодатель: { $employer }, договор { $contract }
desk-record-contacts = В списке: { $phone }, { $email }
desk-record-relatives = <b>Родственники</b>
desk-relation-holder = держатель полиса: { $name }, <code>{ $number }</code>, { $date }
desk-relation-relative = родственник: { $name }, <code>{ $number }</code>, { $date }
desk-relation-child = добавленный ребёнок: { $name }, <code>{ $number }</code>, { $date }
desk-relation-parent = добавлен родителем: { $name }, <code>{ $number }</code>, { $date }
desk-record-no-account = <b>Учётная запись:</b> нет (не зарегистрирован)
desk-record-account = <b>Учётная запись:</b> Telegram id <code>{ $telegram }</code>, зарегистрирован { $since }, язык { $language }
desk-record-account-contacts = Контакты учётной записи: { $phone }, { $email }
desk-record-blocked = ⛔ Telegram id <code>{ $telegram }</code> заблокирован { $at }, кем: { $by }
desk-record-consents = <b>Согласия</b>
desk-record-consent = { $kind } v{ $version }: { $granted ->
        [yes] дано
       *[no] отказ
    } { $at }
desk-record-locks = <b>Ключи регистрации сегодня</b>
desk-record-lock = { $kind ->
        [number] номер
       *[person] ФИО и дата рождения
    }: неудачных попыток { $failures }{ $locked ->
        [yes] , 🔒 заблокирован
       *[no] {""}
    }
desk-record-submissions = Попыток пользователя учётной записи сегодня: { $count }
desk-record-attempts = <b>Попытки регистрации</b>
desk-record-attempt = { $at } { $action }: { $reason } (Telegram id { $telegram }){ $locked ->
        [yes] , 🔒 ключ заблокирован
       *[no] {""}
    }
desk-record-none = нет
desk-record-invoices = <b>Счета</b>
desk-record-invoice = <code>{ $number }</code> { $status }, выставлен { $issued }, оплатить до { $due }, доплата { $copay }, оплачено { $paid } (застрахованный №{ $insured }, плательщик №{ $payer })
desk-record-payments = <b>Платежи</b>
desk-record-payment = №{ $id } { $kind } { $status } { $amount }, { $at }, ЮKassa <code>{ $provider }</code>
desk-record-refund =     возврат { $status } { $amount }, ЮKassa <code>{ $provider }</code>
desk-record-requests = <b>Открытые обращения</b>
desk-record-request = № { $number } { $kind }, { $at }
desk-record-disputes = <b>Открытые споры</b>
desk-record-dispute = №{ $id } по счёту <code>{ $invoice }</code>, ответить до { $deadline }

# actions
desk-action-invite = ✉️ Отправить приглашение снова
desk-action-reset = ↺ Сбросить зависший диалог
desk-action-lift = 🔓 Снять блокировку регистрации
desk-action-unlink = Отвязать учётную запись
desk-action-block = ⛔ Заблокировать пользователя Telegram
desk-action-unblock = Разблокировать
desk-action-erase = 🗑 Удалить учётную запись по просьбе
desk-back-to-record = « К карточке
desk-confirm-yes = Да, выполнить
desk-confirm-no = Отмена
desk-confirm-invite = Отправить новую персональную ссылку? Она уйдёт письмом на адрес из списка застрахованных (если адреса нет, ссылка будет показана администратору). Действие записывается в журнал.
desk-confirm-reset = Сбросить диалог этого человека? Всё, что он вводил в боте (регистрация, форма), будет сброшено, и он начнёт заново с /start или /menu. Действие записывается в журнал.
desk-confirm-lift = Снять сегодняшнюю блокировку регистрации? Неудачные попытки по номеру и ФИО этого человека обнулятся, как и сегодняшние попытки пользователей, которые их вводили. Попытки остаются в журнале.
desk-confirm-unlink = Отвязать учётную запись Telegram от этого человека? Он потеряет доступ к кабинету и сможет зарегистрироваться заново (так восстанавливают доступ). Сохранённые карты будут забыты. Действие записывается в журнал.
desk-confirm-block = Заблокировать этого пользователя Telegram? Бот будет отвечать ему одной строкой в день («доступ приостановлен») и больше ничем, даже после удаления его данных. Действие записывается в журнал.
desk-confirm-unblock = Разблокировать этого пользователя Telegram? Бот снова будет ему отвечать. Действие записывается в журнал.
desk-confirm-erase = Удалить учётную запись по просьбе человека? Учётная запись, согласия и обращения удаляются, как по /delete_me; запись в списке застрахованных остаётся. Отменить нельзя. Действие записывается в журнал.
desk-done-invite-emailed = ✅ Новое приглашение отправлено на { $email }.
desk-done-invite-shown = ✅ В списке нет e-mail. Новая ссылка-приглашение (передайте её сами; показ записан в журнал):
    { $link }
desk-done-reset = ✅ Диалог сброшен.
desk-done-lift = ✅ Блокировка регистрации снята.
desk-done-unlink = ✅ Учётная запись отвязана: человек может зарегистрироваться заново.
desk-done-block = ✅ Пользователь Telegram заблокирован.
desk-done-unblock = ✅ Пользователь Telegram разблокирован.
desk-done-erase = ✅ Учётная запись удалена.
desk-not-done-not-applicable = Делать нечего: карточка изменилась. Откройте её заново.
desk-not-done-no-email = В списке нет e-mail этого человека: попросите администратора отправить ссылку.
desk-not-done-delivery-failed = Письмо на { $email } не отправилось. Попробуйте позже.
desk-blocked-line = Доступ к боту приостановлен. Обратитесь в отдел кадров или в страховую компанию.
desk-invite-mail-subject = Ваша персональная ссылка в кабинет застрахованного
desk-invite-mail-body =
    Здравствуйте!

    Ваша персональная ссылка для регистрации в боте — кабинете застрахованного (действует 30 дней, одноразовая):
    { $link }

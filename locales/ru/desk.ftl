# The support desk (staff only)
desk-admin-title = <b>Рабочее место сотрудника</b> (роль: { $role ->
        [admin] администратор
       *[support] поддержка
    })
desk-command-admin = это меню
desk-command-find = найти человека: телефон, полис, ФИО, e-mail, Telegram id, номер счёта, id платежа
desk-command-queue = очередь: обращения, вопросы, споры, аномалии платежей
desk-command-stats = статистика: регистрации, отказы, счета, платежи, очередь, уведомления
desk-command-audit = журнал действий сотрудников
desk-command-import = загрузить файл: реестр, программы, клиники, депозиты или счета клиник
desk-command-export = выгрузить реестр для страховщика: платежи, возвраты, счета, активации, ограничения, споры, обращения
desk-command-broadcast = рассылка: сообщение всем зарегистрированным или их части
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
desk-audit-example = <code>/audit</code>, <code>/audit 123456789</code> (Telegram id) или <code>/audit АБ098765432/10</code> (номер полиса; из одних цифр — с №: <code>/audit №45678</code>)
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
audit-action-desk-find = поиск на рабочем месте (/find)
audit-action-record-viewed = просмотр полной карточки
audit-action-invite-resent = приглашение отправлено повторно
audit-action-dialog-reset = сброшен зависший диалог
audit-action-registration-lock-lifted = снята блокировка регистрации
audit-action-account-unlinked = аккаунт отвязан от застрахованного
audit-action-user-blocked = пользователь Telegram заблокирован
audit-action-user-unblocked = пользователь Telegram разблокирован
audit-action-account-erased = аккаунт удалён по просьбе
audit-action-account-expired = незавершённая регистрация удалена по истечении срока хранения


# find
desk-find-usage =
    <b>/find ТЕКСТ</b> — найти человека. ТЕКСТ может быть:
    • телефоном в любом виде: <code>+7 916 555-12-34</code>, <code>89165551234</code>
    • номером полиса или табельным номером в любом виде: <code>456/78</code>, <code>АБ 098765432-10</code>, <code>T-0042</code>
    • ФИО с датой рождения или без: <code>Соколова</code>, <code>Соколова Дарья 09.04.1984</code>
    • e-mail: <code>sokolova@example.ru</code>
    • Telegram id: <code>123456789</code>
    • номером счёта: <code>2026/11/3</code>
    • id платежа ЮKassa: <code>2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f</code>
desk-find-nothing =
    Никого не нашлось. Попробуйте другой вид запроса, например:
    <code>/find +7 916 555-12-34</code>, <code>/find 456/78</code>, <code>/find Соколова 09.04.1984</code>,
    <code>/find sokolova@example.ru</code>, <code>/find 2026/11/3</code> или id платежа ЮKassa.
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
desk-record-consent = { $kind } (редакция { $version }): { $granted ->
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
audit-action-desk-taken = сотрудник взял элемент очереди
audit-action-desk-released = сотрудник отпустил элемент очереди
audit-action-desk-taken-over = элемент очереди перехвачен у другого сотрудника
audit-action-desk-muted = уведомления о новых элементах очереди выключены или включены
audit-action-anomaly-checked = аномалия платежа проверена
audit-action-invoice-marked-paid = счёт отмечен оплаченным вне бота
audit-action-invoice-cancelled = счёт отменён
audit-action-anomaly-settled = аномалия платежа урегулирована
audit-action-anomaly-dismissed = аномалия платежа закрыта с комментарием
audit-action-request-answered = поддержка ответила на обращение
audit-action-request-replied = пользователь ответил поддержке: обращение снова открыто
audit-action-desk-closed = обращение или вопрос закрыты без ответа
audit-action-dispute-written = поддержка написала пользователю по спору
audit-action-dispute-replied = пользователь ответил поддержке по спору
audit-action-import-started = начата загрузка файла из чата
audit-action-import-finished = загрузка файла из чата завершена
audit-action-import-interrupted = загрузка файла прервана перезапуском
audit-action-export-written = выгружен реестр для страховщика
audit-action-broadcast-started = начата рассылка
audit-action-broadcast-stopped = рассылка остановлена
audit-action-broadcast-done = рассылка завершена

# queue
desk-queue-kind-request = обращение
desk-queue-kind-question = вопрос в поддержку
desk-queue-kind-dispute = спор по счёту
desk-queue-kind-anomaly = аномалия платежа
desk-queue-kind-refund = аномалия возврата
desk-queue-title-request = Обращение № { $number } · { $subject }
desk-queue-title-question = Вопрос № { $number }
desk-queue-title-dispute = Спор № { $number } · счёт { $subject }
desk-queue-title-anomaly = Платёж № { $number } · { $subject }
desk-queue-title-refund = Возврат № { $number } · { $subject }
desk-queue-age-minutes = { $n } мин
desk-queue-age-hours = { $n } ч
desk-queue-age-days = { $n } дн.
desk-queue-not-registered = не зарегистрирован
desk-queue-waits = ждёт { $age }
desk-queue-reopened = ↩️ ответил на ответ
desk-queue-due = ответ до { $date }
desk-queue-late = 🔴 просрочен
desk-queue-taken = 🔒 взял { $by } ({ $at })
desk-queue-filter-all = Все
desk-queue-filter-request = Обращения
desk-queue-filter-question = Вопросы
desk-queue-filter-dispute = Споры
desk-queue-filter-anomaly = Аномалии
desk-queue-filter-refund = Возвраты
desk-queue-heading = <b>Очередь</b> — { $filter }: { $count } (сначала старые)
desk-queue-muted-line = 🔕 Уведомления о новых элементах выключены.
desk-queue-empty = Очередь пуста.
desk-queue-mute = 🔕 Не присылать уведомления о новых
desk-queue-unmute = 🔔 Присылать уведомления о новых
desk-queue-who = Кто: { $who }
desk-queue-since = Поступило: { $at }, ждёт { $age }
desk-queue-deadline = Ответить до: { $date }
desk-queue-dispute-line = Услуга от { $date }, доплата по ней { $copay }
desk-queue-payment = Платёж № { $id }, ЮKassa <code>{ $provider }</code>, { $amount }, статус { $status }, причина: { $reason }; счета: { $invoices }
desk-queue-refund = Возврат № { $id }, ЮKassa <code>{ $provider }</code>, { $amount }, статус { $status }, причина: { $reason }
desk-queue-preferred-time = Удобное время звонка: { $time }
desk-queue-closed = ✅ Закрыто.
desk-queue-taken-by = 🔒 Взял { $by } в { $at }
desk-queue-nobody = Никто не взял.
desk-queue-text = <b>Текст пользователя:</b>
desk-queue-conversation = <b>Переписка:</b>
desk-queue-said-staff = — поддержка, { $at }: { $text }
desk-queue-said-user = — пользователь, { $at }: { $text }
desk-queue-act-take = ✋ Взять
desk-queue-act-release = Отпустить
desk-queue-act-take-over = Перехватить у { $by }
desk-queue-act-answer = ✍️ Ответить
desk-queue-act-accept = ✅ Принять спор
desk-queue-act-reject = ✖️ Отклонить спор
desk-queue-act-checked = ✔️ Проверено
desk-queue-act-close = 🗄 Закрыть без ответа
desk-queue-record = 👤 Карточка человека
desk-queue-back = « К очереди
desk-queue-back-to-item = « К элементу очереди
desk-queue-prompt-answer = Напишите ответ на № { $number } одним сообщением. Он уйдёт пользователю от имени поддержки, и элемент закроется.
desk-queue-prompt-accept = Напишите комментарий к решению: спор № { $number } будет принят, доплата по услуге снята.
desk-queue-prompt-reject = Напишите комментарий к решению: спор № { $number } будет отклонён, срок оплаты сдвинется на дни рассмотрения.
desk-queue-preview-answer =
    Ответ на № { $number }:

    { $text }
desk-queue-preview-accept =
    Принять спор № { $number } с комментарием:

    { $text }
desk-queue-preview-reject =
    Отклонить спор № { $number } с комментарием:

    { $text }
desk-queue-send-answer = Отправить ответ
desk-queue-send-accept = Принять спор
desk-queue-send-reject = Отклонить спор
desk-queue-draft-drop = Отмена
desk-queue-draft-dropped = Ответ не отправлен.
desk-queue-draft-cancelled = Отменено: ответ на № { $number } не отправлен.
desk-queue-done-take = ✅ Вы взяли этот элемент.
desk-queue-done-release = ✅ Вы отпустили этот элемент.
desk-queue-done-take-over = ✅ Элемент перехвачен: теперь он ваш.
desk-queue-done-answer = ✅ Ответ отправлен пользователю.
desk-queue-done-accept = ✅ Спор принят, пользователь получит уведомление.
desk-queue-done-reject = ✅ Спор отклонён, пользователь получит уведомление.
desk-queue-done-checked = ✅ Отмечено как проверенное.
desk-queue-done-close = ✅ Закрыто без ответа.
desk-queue-refused-not-found = Этого элемента в очереди больше нет.
desk-queue-refused-taken = Не получилось: элемент уже взял другой сотрудник.
desk-queue-refused-not-held = Сначала возьмите элемент.
desk-queue-refused-changed = Счёт изменился, пока вы отвечали. Откройте спор снова.
desk-queue-refused-other = Не получилось: элемент изменился. Откройте его снова.
desk-queue-gone = Этого элемента в очереди больше нет.
desk-queue-example = Здравствуйте! Клиника добавлена в вашу программу с 01.12.

# загрузка файлов из чата (/import)
desk-import-example = Пришлите файл с подписью, например <code>registry</code>, <code>registry --full</code> или <code>bills --issued-on 2026-12-01</code>, или наберите <code>/import registry</code> и затем пришлите файл. Виды: registry, programs, clinics, deposits, bills.
desk-import-bad-no-kind = Какой это файл?
desk-import-bad-unknown-kind = Вида файла «{ $value }» нет.
desk-import-bad-unknown-option = Параметра «{ $value }» нет.
desk-import-bad-bad-date = «{ $value }» — не дата: пишите ГГГГ-ММ-ДД.
desk-import-bad-full-registry-only = --full — только для реестра (registry).
desk-import-bad-issued-on-bills-only = --issued-on — только для счетов (bills).
desk-import-send-file = Пришлите файл CSV или XLSX: он будет загружен как <code>{ $ask }</code>.
desk-import-too-big = Файл больше 20 МБ — столько бот не может скачать из Telegram. Загрузите его на сервере: <code>python -m bot import { $kind } FILE</code>.
desk-import-busy = Загрузка { $kind } уже идёт: её начал { $who } в { $at }. Пришлите файл, когда она закончится.
desk-import-started = Загружаю <code>{ $ask }</code> из { $name }…
desk-import-progress = Загружаю <code>{ $ask }</code>: прочитано строк { $rows }, { $percent }%…
desk-import-refused = Файл не загружен (<code>{ $ask }</code>), ничего не записано: { $reason }
desk-import-failed = Загрузка <code>{ $ask }</code> не удалась по нашей вине; что записано — в журнале действий. Попробуйте ещё раз или загрузите через командную строку.
desk-import-no-storage = Загрузка <code>{ $ask }</code> остановлена: база данных не может записывать ({ $reason ->
        [disk-full] диск заполнен
        [read-only] она открыта только для чтения
        [disk-failed] сбой диска
        [cannot-open] не открывается её файл
       *[locked] её слишком долго держал другой процесс
    }); что записано до этого — в журнале действий. Сообщите администраторам и повторите, когда они это исправят.
desk-import-done = Загружено: <code>{ $ask }</code>.
desk-import-summary = новых { $imported }, обновлено { $updated }, без изменений { $unchanged }, отклонено { $rejected }
desk-import-invoices = выставлено счетов: { $count }
desk-import-see-report = Замечаний: { $count }, все — в отчёте ниже.
desk-import-report-caption = Замечания загрузки <code>{ $ask }</code>
desk-import-interrupted = Загрузка { $kind }, начатая вами в { $at }, прервана перезапуском бота. Строки, записанные до остановки, остались; пришлите файл ещё раз, чтобы закончить (уже загруженные строки не изменятся).
desk-import-stopped = Загрузка <code>{ $ask }</code> прервана: бот останавливается. Строки, записанные до остановки, остались; пришлите файл ещё раз, чтобы закончить (уже загруженные строки не изменятся).

# A queue item's topic in the staff's forum group: its kind and number only.
desk-topic-name = { $kind } № { $number }
desk-topic-reply-hint = Ответьте в этой теме: ответ уйдёт пользователю от поддержки.
desk-topic-verdict-accept = Спор № { $number } будет принят. Ответьте в этой теме комментарием к решению — он уйдёт пользователю. Передумали — /cancel в чате с ботом.
desk-topic-verdict-reject = Спор № { $number } будет отклонён. Ответьте в этой теме комментарием к решению — он уйдёт пользователю. Передумали — /cancel в чате с ботом.

# реестры для страховщика (/export)
desk-export-example = Например: <code>/export payments --since 2026-10-01</code> или <code>/export invoices --since 2026-10-01 xlsx</code> для книги Excel. Реестры: payments (платежи), refunds (возвраты), invoices (счета), activations (активации франшизы), suspensions (ограничения доступа), disputes (споры), requests (обращения).
desk-export-bad-no-kind = Какой реестр выгрузить?
desk-export-bad-unknown-kind = Реестра «{ $value }» нет.
desk-export-bad-no-since = Укажите, с какого дня: <code>--since ГГГГ-ММ-ДД</code>.
desk-export-bad-bad-date = «{ $value }» — не дата: напишите её как ГГГГ-ММ-ДД.
desk-export-bad-unknown-option = Параметра «{ $value }» нет.
desk-export-caption = Реестр <code>{ $kind }</code> с { $since }: { $rows ->
        [one] { $rows } строка
        [few] { $rows } строки
       *[many] { $rows } строк
    }.
desk-export-too-big = Реестр больше 50 МБ — столько бот отправить не может. Выгрузите его на сервере: <code>python -m bot export { $kind } --since { $since } FILE</code>.

# /broadcast
desk-broadcast-ask-text =
    📣 <b>Рассылка</b>. Напишите сообщение: обычный текст, до { $max } символов; оно уйдёт в точности как написано.
    Рассылку получат только те, у кого в настройках включены новости.
desk-broadcast-example = Список клиник обновлён: смотрите /clinics.
desk-broadcast-ask-screen = Добавить кнопку, открывающую раздел бота?
desk-broadcast-no-screen = Без кнопки
desk-broadcast-ask-segment = Кому отправить?
desk-broadcast-segment-all = Всем зарегистрированным
desk-broadcast-segment-contract = Одному договору
desk-broadcast-segment-employer = Одному работодателю
desk-broadcast-segment-unpaid = С неоплаченными счетами
desk-broadcast-segment-ending = Чей полис заканчивается в этом месяце
desk-broadcast-ask-contract = Напишите номер договора в точности как в реестре.
desk-broadcast-ask-employer = Напишите название работодателя в точности как в реестре.
desk-broadcast-value-example = Д-2026/001
desk-broadcast-sample = 👇 Так сообщение увидят получатели:
desk-broadcast-preview =
    📣 <b>Рассылка</b>: { $segment }
    Получателей сейчас (с включёнными новостями): <b>{ $count }</b>
    Уходит после служебных уведомлений, с { $start }:00 до { $end }:00 по времени оператора.
desk-broadcast-nobody = В этой группе ни у кого не включены новости: отправлять некому.
desk-broadcast-send = ✅ Отправить: { $count }
desk-broadcast-cancel = Отмена
desk-broadcast-dropped = Рассылка отменена, ничего не отправлено.
desk-broadcast-queuing-number = 📣 Рассылка № { $number }: получатели ставятся в очередь…
desk-broadcast-queuing = Получатели ещё ставятся в очередь.
desk-broadcast-progress = 📣 Рассылка № { $number }: { $status ->
        [stopped] остановлена
        [done] завершена
       *[running] идёт
    }
desk-broadcast-counts = Получателей: { $total }. Доставлено: { $sent }, заблокировали бота: { $blocked }, не удалось отправить: { $failed }.
desk-broadcast-cancelled = Отменено остановкой: { $count }.
desk-broadcast-refresh = 🔄 Обновить
desk-broadcast-stop = ⏹ Остановить
error-broadcast-one_line = Нужна одна строка.

# /stats
desk-stats-title = <b>Статистика</b>
desk-stats-registered = Зарегистрированных пользователей: { $count }
desk-stats-week = <b>Неделя { $first } – { $last }</b>
desk-stats-registrations = Регистрации: { $count }
desk-stats-refusals = Отказы при регистрации: { $count }
desk-stats-entry = • { $what }: { $count }
desk-stats-way-policy = по номеру полиса
desk-stats-way-personal = по личным данным, без номера
desk-stats-way-invite = по ссылке-приглашению
desk-stats-reason-not-found = данных нет в списке
desk-stats-reason-ambiguous = подходят несколько человек
desk-stats-reason-ask-hr = ни телефон, ни e-mail не совпали со списком
desk-stats-reason-already-linked = полис уже привязан к другому аккаунту
desk-stats-reason-phone-taken = телефон занят другим аккаунтом
desk-stats-reason-email-taken = e-mail занят другим аккаунтом
desk-stats-reason-under-18 = младше 18 лет
desk-stats-reason-policy-not-active = полис не действует
desk-stats-reason-wrong-policy = номер полиса не тот, что в приглашении
desk-stats-invoices = <b>Счета и деньги</b>
desk-stats-invoices-issued = Выставлено счетов: { $count } на { $amount }
desk-stats-invoices-paid = Оплачено: { $count } на { $amount }
desk-stats-invoices-overdue = Просрочено: { $count } на { $amount }
desk-stats-invoices-cancelled = Отменено: { $count } на { $amount }
desk-stats-payments = Платежей: { $count } на { $amount }
desk-stats-refunds = Возвратов: { $count } на { $amount }
desk-stats-waiting = <b>Ждут сотрудников</b>
desk-stats-disputes = Споров без ответа: { $open }, из них просрочено: { $late }
desk-stats-requests = Обращений без ответа: { $requests }, вопросов в поддержку: { $questions }
desk-stats-outbox = Уведомлений в очереди на отправку: { $count }
desk-stats-outbox-oldest = , самое старое — с { $since } ({ $age })

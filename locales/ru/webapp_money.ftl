# Страницы Mini App о деньгах и обращениях (bot/web/webapp/money.py, conversations.py): простой текст,
# шаблоны его экранируют.
webapp-money-back = ‹ Назад
webapp-money-pages = Страницы
webapp-money-downloads = Скачать
webapp-money-download-csv = ⬇️ CSV
webapp-money-download-xlsx = ⬇️ Excel (XLSX)
webapp-money-limit = Не больше { $limit } символов.
webapp-money-no-answer-yet = Ответа пока нет.

webapp-money-payments-title = Мои платежи
webapp-money-payments-empty = Платежей пока нет. Неоплаченные счета оплачиваются с их страниц в «Моих счетах».
webapp-money-at = Дата
webapp-money-amount = Сумма
webapp-money-invoices = Счета
webapp-money-refund = Возврат
webapp-money-receipt = Чек
webapp-money-receipt-sent = отправлен платёжным сервисом
webapp-money-payment-open = Открыть платёж
payments-export-number = Номер платежа
payments-export-at = Дата и время
payments-export-amount = Сумма, ₽
payments-export-status = Статус
payments-export-invoices = Счета

webapp-money-cards-title = Карты для автосписаний
webapp-money-back-cards = ‹ Карты
webapp-money-card-remove = Удалить карту •••• { $last4 }
webapp-money-card-removed = Карта удалена: с неё больше ничего не спишется.
webapp-money-autopay = Автоматические списания
webapp-money-autopay-on = Автоматические списания включены.
webapp-money-autopay-off = Автоматические списания выключены: счета оплачиваются вручную.
webapp-money-autopay-turn-on = Включить автосписания
webapp-money-autopay-turn-off = Выключить автосписания
webapp-money-autopay-saved = Сохранено.
webapp-money-card-add = Добавить карту
webapp-money-bind-existing = Проверка карты уже идёт: вот её страница.
webapp-money-bind-text = Введите данные карты на странице ЮKassa. Чтобы проверить карту, ЮKassa заблокирует на ней { $amount } и сразу разблокирует — ничего не спишется. Карта появится здесь, когда будет привязана.
webapp-money-bind-go = Перейти на страницу ЮKassa

webapp-money-disputes-title = Мои оспаривания
webapp-money-disputes-empty = Оспариваний нет. Услугу неоплаченного счёта можно оспорить на странице счёта.
webapp-money-back-disputes = ‹ Мои оспаривания
webapp-money-dispute-title = Оспаривание: счёт № { $number }, услуга от { $date }
webapp-money-dispute-status-open = на рассмотрении
webapp-money-dispute-status-accepted = принято: франшиза по этой услуге списана
webapp-money-dispute-status-rejected = отклонено
webapp-money-opened = Открыто
webapp-money-deadline = Ответ до
webapp-money-late = срок ответа прошёл
webapp-money-answered = Ответ дан
webapp-money-your-reason = Ваша причина
webapp-money-insurer-answer = Ответ страховщика
webapp-money-to-invoice = Счёт № { $number }
webapp-money-dispute-start = ⚖️ Оспорить услугу
webapp-money-dispute-form-title = Оспорить услугу из счёта № { $number }
webapp-money-dispute-line = Услуга
webapp-money-dispute-reason = Почему вы её оспариваете?
webapp-money-dispute-send = Отправить

webapp-money-requests-title = Мои обращения
webapp-money-requests-empty = Обращений пока нет.
webapp-money-back-requests = ‹ Мои обращения
webapp-money-request-title = Обращение № { $number }: { $kind }
webapp-money-created = Создано
webapp-money-preferred-time = Когда позвонить
webapp-money-your-text = Ваш текст
webapp-money-conversation = Ответы
webapp-money-from-support = Поддержка
webapp-money-from-you = Вы
webapp-money-request-new-title = Новое обращение
webapp-money-request-new-callback = Заказать обратный звонок
webapp-money-request-new-curator = Вопрос врачу-куратору
webapp-money-request-new-add-clinic = Добавить клинику
webapp-money-request-new-personal-data = Изменить личные данные
webapp-money-request-field-callback = Когда вам удобно принять звонок? Позвоним на номер, указанный при регистрации.
webapp-money-request-field-curator = Ваш вопрос врачу-куратору
webapp-money-request-field-add-clinic = Какую клинику и где?
webapp-money-request-field-personal-data = Что изменилось?
webapp-money-request-send = Отправить обращение
webapp-money-request-close = Закрыть обращение

# Чат в режиме Mini App: строка и кнопка, открывающая страницу.
pages-payments = <b>💸 Мои платежи</b>
    Ваши платежи открываются страницей.
pages-payment = <b>💳 Ваш платёж</b>
    Его состояние — на его странице.
pages-cards = <b>💳 Карты для автосписаний</b>
    Ваши карты и автосписания открываются страницей.
pages-requests = <b>📨 Мои обращения</b>
    Ваши обращения, ответы на них и новые обращения открываются страницей.
pages-request = <b>📨 Ваше обращение</b>
    Обращение и ответ на него открываются страницей.
pages-dispute = <b>⚖️ Оспаривание</b>
    Услугу счёта можно оспорить на странице счёта.

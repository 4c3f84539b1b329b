# Кабинет как страницы мини-приложения (bot/web/webapp/cabinet.py): простой текст, шаблоны его экранируют.
webapp-cabinet-policies-title = Мои полисы
webapp-cabinet-policies-empty = Полисов нет: страница показывает полисы зарегистрированного в боте застрахованного.
webapp-cabinet-policy-title = Полис № { $number }
webapp-cabinet-insured = Застрахованный
webapp-cabinet-program = Программа
webapp-cabinet-contract = Договор
webapp-cabinet-validity = Срок действия
webapp-cabinet-validity-range = с { $start } по { $end }
webapp-cabinet-status = Статус
webapp-cabinet-franchise = Франшиза
webapp-cabinet-debt = Долг (срок оплаты прошёл)
webapp-cabinet-to-pay = К оплате (срок ещё не наступил)
webapp-cabinet-card = Карта для автосписаний
webapp-cabinet-card-none = не привязана
webapp-cabinet-autopay = Автоматические списания
webapp-cabinet-autopay-on = включены
webapp-cabinet-autopay-off = выключены
webapp-cabinet-memo = Памятка для клиники (PDF)
webapp-cabinet-more = По этому полису
webapp-cabinet-clinics-link = Клиники по полису
webapp-cabinet-franchise-link = Франшиза
webapp-cabinet-services-link = Оказанные услуги
webapp-cabinet-invoices-link = Счета к оплате
webapp-cabinet-back-policies = ‹ Мои полисы
webapp-cabinet-back-policy = ‹ К полису
webapp-cabinet-back-franchise = ‹ Франшиза
webapp-cabinet-to-policy = Открыть полис № { $number }
webapp-cabinet-clinics-title = Клиники по полису № { $number }
webapp-cabinet-search-label = Часть названия клиники или город
webapp-cabinet-search-button = Найти
webapp-cabinet-search-found = Поиск «{ $query }»: { $count ->
    [one] найдена { $count } клиника
    [few] найдено { $count } клиники
   *[other] найдено { $count } клиник
}.
webapp-cabinet-show-all = Все клиники
webapp-cabinet-phone = Телефон
webapp-cabinet-booking = Записаться онлайн
webapp-cabinet-other-clinics = Клиники по другим полисам
webapp-cabinet-franchise-title = Франшиза
webapp-cabinet-share = Ваша доля в стоимости услуг
webapp-cabinet-terms = Условия
webapp-cabinet-consent = Согласен, активировать
webapp-cabinet-services-title = Оказанные услуги
webapp-cabinet-services-whose = Чьи услуги
webapp-cabinet-services-none = Услуг нет: страница показывает услуги зарегистрированного в боте застрахованного.
webapp-cabinet-service-date = Дата
webapp-cabinet-clinic = Клиника
webapp-cabinet-quantity = Количество
webapp-cabinet-cost = Стоимость
webapp-cabinet-copay = Франшиза (доплата)
webapp-cabinet-invoice = Счёт

# Чат в режиме мини-приложения: строка и кнопка, открывающая страницу.
pages-policies = <b>📄 Мои полисы</b>
    Полисы, полисы родственников и памятка для клиники открываются отдельной страницей.
pages-clinics = <b>🏥 Клиники</b>
    Клиники по полису и поиск открываются отдельной страницей.
pages-franchise = <b>💳 Франшиза</b>
    Условия и активация франшизы открываются отдельной страницей.
pages-services = <b>🩺 Оказанные услуги</b>
    История услуг открывается отдельной страницей.
pages-child-added = ✅ Полис ребёнка добавлен: он на странице ваших полисов, его счета — на странице счетов.

# Страницы мини-приложения (bot/web/webapp/): простой текст, шаблоны его экранируют.
webapp-opening = Открываем…
webapp-reopen = Эта страница открывается из бота: нажмите кнопку в чате ещё раз.
webapp-invoices-title = Мои счета
webapp-invoices-empty = Счетов пока нет. Когда клиника выставит счёт за оказанные услуги, он появится здесь.
webapp-invoice-title = Счёт № { $number }
webapp-number = Счёт
webapp-issued = Выставлен
webapp-insured = Застрахованный
webapp-status = Статус
webapp-due = Оплатить до
webapp-copay = Франшиза (доплата)
webapp-deposit = Из депозита
webapp-credited = Зачтено по спору
webapp-total = К оплате
webapp-services = Услуги
webapp-service-date = Дата
webapp-clinic = Клиника
webapp-service = Услуга
webapp-cost = Стоимость
webapp-pay = Оплатить { $total }
webapp-back = ‹ Мои счета
webapp-payment-title = Платёж № { $number }
webapp-payment-go = Перейти к оплате
webapp-payment-status-pending = Ожидаем оплату.
webapp-payment-status-succeeded = Оплачено. Спасибо!
webapp-payment-status-canceled = Платёж отменён, деньги не списаны.
webapp-payment-status-failed = Платёжный сервис отклонил платёж, деньги не списаны.
webapp-refused-form = Форма устарела: откройте страницу заново.

# Чат в режиме мини-приложения: строка и кнопка, открывающая страницу.
pages-open-button = Открыть
pages-invoices = <b>🧾 Мои счета</b>
    Счета, услуги по ним и оплата открываются отдельной страницей.

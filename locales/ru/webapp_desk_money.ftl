# Денежные действия на страницах отдела поддержки (bot/web/webapp/desk_money.py): простой текст, шаблоны его экранируют.
webapp-desk-money-invoice-title = Счёт № { $number }
webapp-desk-money-payment-title = Платёж № { $number }
webapp-desk-money-back = ‹ Карточка
webapp-desk-money-amount = Сумма возврата в рублях, например 150 или 150,50; не больше { $left }
webapp-desk-money-field-paid = Основание оплаты: где и как заплатили (например, перевод в кассе клиники и номер чека)
webapp-desk-money-field-cancel = Причина отмены счёта
webapp-desk-money-field-dismiss = Комментарий: почему действия с деньгами не нужны
webapp-desk-money-links = Счета и платежи: подробности и действия

# Режим Mini App: в чате только номер и кнопка «Открыть».
pages-desk-money = Счёт или платёж со всеми действиями открывается страницей.

# Страница «Проверьте, что вы ввели» регистрации (bot/web/webapp/registration.py): простой текст, шаблон экранирует его.
webapp-registration-title = Что вы ввели
webapp-registration-intro = Код приходит, только если данные в точности совпадают со списком вашего работодателя. Проверьте каждый ответ.
webapp-registration-next = Чтобы исправить ответ, вернитесь в чат и нажмите его кнопку под сообщением, затем отправьте данные ещё раз. Если всё верно, напишите в поддержку: возможно, отделу кадров вашей компании нужно обновить список.
webapp-registration-nothing = Сейчас проверять нечего. Эта страница показывает ваши ответы, пока в чате предложено «Нет кода? Проверьте, что вы ввели».
webapp-registration-none = нет
webapp-registration-policy = Номер полиса
webapp-registration-last_name = Фамилия
webapp-registration-first_name = Имя
webapp-registration-patronymic = Отчество
webapp-registration-birth_date = Дата рождения
webapp-registration-phone = Телефон
webapp-registration-email = E-mail

# Обращения к страховщику.

requests-title = <b>✉️ Обращения</b>
requests-none = У вас пока нет обращений.
requests-new-hint = Новое обращение — кнопкой ниже. Ответ придёт сюда.
requests-entry = № { $number } · { $kind } · { $status } · { $date }
requests-back-button = ‹ Обращения

request-new-callback = 📞 Заказать обратный звонок
request-new-curator = 👩‍⚕️ Вопрос врачу-куратору
request-new-add-clinic = 🏥 Добавить клинику
request-new-personal-data = ✏️ Изменить личные данные

request-kind-callback = Обратный звонок
request-kind-curator = Вопрос врачу-куратору
request-kind-add-clinic = Добавить клинику
request-kind-personal-data = Изменение личных данных
request-kind-support = Вопрос в поддержку

request-status-new = новое
request-status-answered = есть ответ
request-status-closed = закрыто

request-title = <b>Обращение № { $number }</b> — { $kind }
request-status = Статус: { $status }
request-created = Создано: { $at }
request-preferred-time = Удобное время звонка: { $time }
request-reply = <b>Ответ</b> ({ $at }):
request-close-button = Закрыть обращение

request-prompt-callback = Когда вам удобно принять звонок? Напишите день и время. Позвоним на номер, указанный при регистрации.
request-prompt-curator = Напишите вопрос врачу-куратору. Если нужна срочная помощь, звоните на медицинский пульт страховщика.
request-prompt-add-clinic = Какую клинику добавить в программу? Напишите название, город и адрес.
request-prompt-personal-data = Что изменилось в ваших данных? Напишите, что и на что исправить.

request-created-text = ✅ Обращение № { $number } ({ $kind }) принято. Ответ придёт сюда, в бот.

# Страницы отдела поддержки (bot/web/webapp/desk.py): простой текст, шаблоны его экранируют.
webapp-desk-person-title = Карточка
webapp-desk-queue-title = Очередь
webapp-desk-queue-empty = Очередь пуста.
webapp-desk-item-title = № { $number }
webapp-desk-back = ‹ Очередь
webapp-desk-take = Взять
webapp-desk-open-record = Открыть карточку (просмотр записывается в журнал)

# Отдел поддержки в режиме мини-приложения: чат и группа сотрудников — только номера и кнопка «Открыть».
pages-desk-find-title = <b>Найдено: { $count }</b> — номера карточек; карточка открывается страницей (просмотр записывается в журнал).
pages-desk-record = <b>Карточка № { $id }</b>
    Данные человека открываются страницей.
pages-desk-topic-reply = Новое сообщение пользователя: { $item }. Оно на странице обращения.
pages-desk-import-issues = Замечаний: { $count }. В чате их нет (в них значения из файла): отчёт по строкам — <code>python -m bot import … --report FILE</code> на сервере.
pages-desk-export = <b>Реестр { $kind } с { $since }</b>
    Файл с персональными данными скачивается со страницы.

# Ответ, закрытие и решение по спору со страницы элемента очереди (bot/web/webapp/desk_answers.py):
# простой текст, шаблоны его экранируют.
webapp-desk-answer-label = Ответ пользователю (уйдёт от имени поддержки, элемент закроется)
webapp-desk-answer-send = Отправить ответ
webapp-desk-close = Закрыть без ответа
webapp-desk-verdict-label = Комментарий к решению по спору
webapp-desk-verdict-accept = Принять спор
webapp-desk-verdict-reject = Отклонить спор

# Предпросмотр ответа в чате сотрудника в режиме мини-приложения: без самого текста.
pages-desk-preview-answer = Ответ на № { $number } готов: { $length } знаков. Отправить его пользователю?
pages-desk-preview-accept = Комментарий к принятию спора № { $number } готов: { $length } знаков. Принять спор?
pages-desk-preview-reject = Комментарий к отклонению спора № { $number } готов: { $length } знаков. Отклонить спор?

# Вложения поддержки на странице обращения или спора (bot/web/webapp/conversations.py).
webapp-conversation-file-photo = Фото
webapp-conversation-file-document = Документ
webapp-conversation-file-link = Скачать: { $kind }

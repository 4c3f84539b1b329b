# Карточка человека у сотрудников (bot/views/desk.py): значения реестра и виды согласий словами.
desk-record-category-name = { $category ->
        [employee] сотрудник
        [relative] родственник сотрудника
       *[other] { $category }
    }
desk-record-consent-name = { $kind ->
        [personal_data] Обработка персональных данных
        [rules] Правила сервиса
        [notifications] Уведомления
       *[other] { $kind }
    }

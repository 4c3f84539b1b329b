# The staff's record of a person (bot/views/desk.py): the registry's values and the consents in words.
desk-record-category-name = { $category ->
        [employee] employee
        [relative] employee's relative
       *[other] { $category }
    }
desk-record-consent-name = { $kind ->
        [personal_data] Processing of personal data
        [rules] Service rules
        [notifications] Notifications
       *[other] { $kind }
    }

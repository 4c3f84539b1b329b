# Мои полисы и полисы детей.

policies-title = <b>📄 Мои полисы</b>
policies-hint = Нажмите на полис, чтобы увидеть подробности, клиники и франшизу.
policies-entry =
    <b>№ { $number }</b> — { $name }
    { $relation } · { $program }
    { $status }
policies-back-button = ‹ Мои полисы

policy-relation-own = Ваш полис
policy-relation-relative = Полис родственника (счета оплачиваете вы)
policy-relation-child = Полис ребёнка (добавлен вами)

policy-title = <b>Полис № { $number }</b>
policy-insured = Застрахованный: { $name }
policy-program = Программа: { $program }
policy-contract = Договор: { $contract }, { $employer }
policy-validity = Срок действия: с { $start } по { $end }
policy-status = Статус: { $status }
policy-franchise = Франшиза: { $status }
policy-clinics-button = 🏥 Клиники по полису
policy-franchise-button = 💳 Франшиза

children-add-button = ➕ Добавить полис ребёнка
children-ask-policy =
    <b>Полис ребёнка</b>
    Можно добавить полис ребёнка младше 18 лет, застрахованного по тому же договору, что и вы. После этого вы будете видеть его полис и оплачивать его счета.

    Введите номер полиса ребёнка так, как он напечатан в полисе.
children-ask-birth-date = Введите дату рождения ребёнка в формате ДД.ММ.ГГГГ.
children-added =
    ✅ Полис № { $number } ({ $name }) добавлен.
    Теперь он в разделе «Мои полисы», а его счета будут приходить вам.
children-retry-button = Попробовать ещё раз
children-refused-not-found = Не нашли полис с таким номером и датой рождения. Проверьте данные или обратитесь к HR вашей компании.
children-refused-parent-not-employee = Полисы детей добавляет сотрудник, по договору которого они застрахованы.
children-refused-adult = Этому застрахованному уже исполнилось 18 лет: добавить можно только полис несовершеннолетнего. Взрослые регистрируются в боте сами.
children-refused-other-contract = Этот полис оформлен по другому договору: добавить можно только полис ребёнка, застрахованного по вашему договору.
children-refused-not-relative = Это полис сотрудника, а не родственника: его нельзя добавить как полис ребёнка.
children-refused-already-yours = Этот полис уже привязан к вашему: он есть в разделе «Мои полисы».
children-refused-other-holder = Этот полис привязан к полису другого сотрудника. Если это ошибка, обратитесь к HR вашей компании.
children-refused-already-added = Вы уже добавили этот полис: он есть в разделе «Мои полисы».
children-refused-taken = Этот полис уже добавил другой родитель. Если это ошибка, напишите в поддержку через «Обращения».
children-refused-policy-inactive = Этот полис сейчас не действует.
children-refused-too-many-attempts = Слишком много попыток за сутки. Попробуйте завтра или напишите в поддержку.

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
policy-debt = ⚠️ Долг (срок оплаты прошёл): <b>{ $total }</b> — оплатить: /invoices
policy-to-pay = К оплате: <b>{ $total }</b>, срок ещё не наступил — счета: /invoices
policy-card = Карта для автосписаний: { $card }, { $validity }
policy-card-none = Карта для автосписаний: не привязана
policy-autopay-on = Автоматические списания: включены
policy-autopay-off = Автоматические списания: выключены
policy-clinics-button = 🏥 Клиники по полису
policy-franchise-button = 💳 Франшиза

children-add-button = ➕ Добавить полис ребёнка
children-ask-policy =
    <b>Полис ребёнка</b>
    Можно добавить полис ребёнка младше 18 лет, застрахованного по тому же договору, что и вы. После этого вы будете видеть его полис и оплачивать его счета. Понадобятся номер полиса, ФИО и дата рождения ребёнка.

    Введите номер полиса ребёнка так, как он напечатан в полисе.
children-ask-full-name = Введите фамилию, имя и отчество ребёнка так, как они написаны в полисе (отчество — если оно есть в полисе).
children-ask-birth-date = Введите дату рождения ребёнка, например: <code>03.03.2012</code> или <code>3 марта 2012</code>.
children-added =
    ✅ Полис № { $number } ({ $name }) добавлен.
    Теперь он в разделе «Мои полисы», а его счета будут приходить вам. Когда ребёнку исполнится 18 лет, полис пропадёт из вашего списка.
children-retry-button = Попробовать ещё раз
children-refused-not-found = Не удалось добавить полис по этим данным. Проверьте номер полиса, ФИО и дату рождения ребёнка: добавить можно полис ребёнка младше 18 лет, застрахованного по вашему договору. Если всё верно, обратитесь к HR вашей компании.
children-refused-parent-not-employee = Полисы детей добавляет сотрудник, по договору которого они застрахованы.
children-refused-already-yours = Этот полис уже привязан к вашему: он есть в разделе «Мои полисы».
children-refused-already-added = Вы уже добавили этот полис: он есть в разделе «Мои полисы».
children-refused-policy-inactive = Этот полис сейчас не действует.
children-refused-too-many-attempts = Слишком много попыток за сутки. Попробуйте завтра или напишите в поддержку.

cabinet-example-child-name = <code>Иванов Алексей Иванович</code>
error-child_name-incomplete = Нужны фамилия и имя ребёнка, а если в полисе есть отчество — и отчество.
error-child_name-too_long = Слишком много слов: введите только фамилию, имя и отчество.

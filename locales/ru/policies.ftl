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

    Введите номер полиса ребёнка так, как он напечатан в полисе. Например: <code>АБ246813579/20</code>
children-ask-last_name = Введите фамилию ребёнка, как в полисе. Например: <code>Соколов</code>
children-ask-first_name = Введите имя ребёнка, как в полисе. Например: <code>Матвей</code>
children-ask-patronymic = Введите отчество ребёнка, как в полисе, если оно там есть. Например: <code>Николаевич</code>
children-ask-birth_date = Введите дату рождения ребёнка, например: <code>21.06.2016</code> или <code>21 июня 2016</code>.
children-no-patronymic = Отчества нет
children-example-policy = <code>АБ246813579/20</code>
children-example-last_name = <code>Соколов</code>
children-example-first_name = <code>Матвей</code>
children-example-patronymic = <code>Николаевич</code>
children-example-birth_date = <code>21.06.2016</code>
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

error-child_name-too_long = Слишком много слов в фамилии, имени и отчестве вместе (не больше { $max }). Проверьте их и начните заново.

# Памятка по полису (PDF)
memo-button = 📄 Памятка для клиники (PDF)
memo-caption = Памятка по полису № { $number }: покажите её в регистратуре клиники.
memo-title = Памятка застрахованного по ДМС
memo-author = Кабинет застрахованного ДМС
memo-intro = Покажите эту памятку в регистратуре клиники вместе с документом, удостоверяющим личность.
memo-insured = Застрахованный: { $name }
memo-policy = Полис ДМС № { $number }
memo-program = Программа: { $program }
memo-contract = Договор: { $contract }, { $employer }
memo-validity = Срок действия: с { $start } по { $end }
memo-status = Статус на сегодня: { $status }
memo-franchise-heading = Франшиза
memo-franchise = Ваша доля в стоимости услуг: { $percent } %. В клинике ничего платить не нужно: счёт за вашу долю придёт в бот.
memo-franchise-status = Статус франшизы: { $status }
memo-franchise-due-working = Счёт нужно оплатить в течение { $days } рабочих дней с даты счёта.
memo-franchise-due-calendar = Счёт нужно оплатить в течение { $days } календарных дней с даты счёта.
memo-franchise-none = По этой программе франшизы нет: услуги оплачивает страховая компания.
memo-desk-heading = Медицинский пульт страховщика (экстренная помощь, запись, вопросы)
memo-clinics-heading = Клиники по программе ({ $count })
memo-clinic-franchise = (по франшизе)
memo-clinic-phone = Телефон: { $phone }
memo-clinics-more = И ещё { $count } — полный список в боте: /clinics
memo-footer = Памятка сформирована { $date }. Актуальный список клиник и статус полиса — в боте.

# Texts of documents at the payment provider (receipt items, the payment's description): always in Russian.
receipt-item = Оплата счёта { $number } (франшиза ДМС)
payment-description = Оплата счетов ДМС: { $numbers }
binding-description = Проверка карты для автоматической оплаты счетов ДМС (сумма не списывается)
binding-receipt-item = Проверка карты (сумма возвращается)

# Paying invoices: the payment screen, its outcome, /pay, /payments.
pay-title = <b>💳 Оплата счетов</b>
pay-entry = № { $number } — { $name }: <b>{ $total }</b>, оплатить до { $due }
pay-total = Итого: <b>{ $total }</b>
pay-entries-more = … и ещё { $count }
pay-more = В один платёж входит не больше { $count } счетов: здесь те, срок которых наступает раньше, остальные — в следующий раз.
pay-nothing = Оплачивать нечего: неоплаченных счетов нет. Счета в оплате и на оспаривании — в /invoices.
payment-title = <b>💳 Платёж № { $number }</b> — { $amount }
    Счета: { $invoices }
payment-open-page = Откройте страницу оплаты и оплатите картой. Когда банк подтвердит платёж, я напишу здесь, а счета станут оплаченными.
payment-existing = Этот платёж уже начат: откройте его страницу, чтобы оплатить, или проверьте, если уже оплатили.
payment-unreachable = Платёжный сервис не ответил вовремя. Счета закреплены за этим платежом: нажмите «Повторить» через минуту — дважды деньги не спишутся.
payment-page-button = 💳 Перейти к оплате
payment-check-button = 🔄 Я оплатил — проверить
payment-retry-button = 🔁 Повторить
payment-succeeded = ✅ Платёж получен. Счета оплачены.
payment-canceled = ✖️ Платёж не прошёл: { $reason }. Счета снова не оплачены — их можно оплатить из /invoices.
payments-button = 📜 Мои платежи
payments-invoices-button = 🧾 Мои счета
payment-refused-unavailable = Оплата в боте сейчас недоступна. Оплатите счёт по реквизитам из письма страховой компании.
payment-refused-not-found = Этот платёж недоступен.
payment-refused-nothing-selected = Сначала отметьте счета для оплаты.
payment-refused-too-many = В один платёж входит не больше 80 счетов: отметьте меньше.
payment-refused-not-payable = Эти счета уже нельзя оплатить: какие-то оплачены, в оплате или оспариваются. Откройте /invoices заново.
payment-refused-nothing-to-pay = По этим счетам нечего оплачивать.
payment-refused-provider-refused = Платёжный сервис отклонил платёж, деньги не списаны. Попробуйте позже или напишите в поддержку через /requests.
payment-refused-unreachable = Платёжный сервис не ответил. Попробуйте через минуту.

payment-status-pending = ⏳ ожидает оплаты
payment-status-succeeded = ✅ оплачен
payment-status-canceled = ✖️ не прошёл
payment-status-failed = ✖️ не создан

refund-status-pending = ⏳ выполняется
refund-status-succeeded = ✅ возвращено
refund-status-canceled = ✖️ отменён
refund-status-failed = ✖️ не удался

payment-reason-3d-secure-failed = не пройдено подтверждение кодом (3-D Secure)
payment-reason-call-issuer = банк отклонил платёж: позвоните в свой банк
payment-reason-canceled-by-merchant = платёж отменён
payment-reason-card-expired = истёк срок действия карты
payment-reason-country-forbidden = банк не разрешает платежи из этой страны
payment-reason-expired-on-confirmation = истекло время на оплату
payment-reason-expired-on-capture = истекло время на подтверждение платежа
payment-reason-fraud-suspected = банк заподозрил мошенничество и заблокировал платёж
payment-reason-general-decline = банк отклонил платёж
payment-reason-identification-required = кошелёк требует идентификации
payment-reason-insufficient-funds = на карте недостаточно денег
payment-reason-internal-timeout = технический сбой платёжного сервиса
payment-reason-invalid-card-number = неверный номер карты
payment-reason-invalid-csc = неверный код безопасности карты (CVC)
payment-reason-issuer-unavailable = банк карты не ответил
payment-reason-payment-method-limit-exceeded = превышен лимит по карте
payment-reason-payment-method-restricted = платежи по этой карте ограничены
payment-reason-permission-revoked = разрешение на списания с карты отозвано
payment-reason-other = платёж отклонён

payments-title = <b>📜 Мои платежи</b>
payments-empty = Платежей пока нет. Неоплаченные счета оплачиваются из /invoices или /pay.
payments-entry =
    <b>№ { $number }</b> от { $at } — <b>{ $amount }</b> · { $status }
    Счета: { $invoices }
payments-entry-reason = Причина: { $reason }
payments-refund = ↩️ Возврат { $amount } от { $at } ({ $invoices }) · { $status }
payments-refund-double = ↩️ Возврат { $amount } от { $at } — эти счета уже были оплачены ({ $invoices }) · { $status }
payments-entry-receipt = 🧾 Чек платёжный сервис отправил на ваш телефон или e-mail.
payments-check-button = 🔄 Проверить платёж № { $number }

# Paying without a phone or e-mail for the receipt; an automatic charge under way; a payment set aside.
pay-email-prompt =
    🧾 Для оплаты нужен e-mail: на него ЮKassa пришлёт чек.
    Введите адрес e-mail — он сохранится в /settings.
pay-email-taken = Этот адрес уже используется другим пользователем. Введите другой.
payment-refused-needs-email = Для оплаты нужен e-mail для чека: укажите его в /settings или нажмите «Оплатить» ещё раз.
payment-autopay-under-way = ⏳ Этот платёж прямо сейчас списывается с вашей сохранённой карты (автоплатёж). Оплачивать его вручную не нужно: я напишу, когда банк ответит.
payment-checking = 🔎 Этот платёж проверяют сотрудники: платёжный сервис сообщил о нём не то, что мы ожидали. Платить ещё раз не нужно — мы напишем, когда разберёмся.

# The popup of "I paid — check": what the bank says now (at most 200 characters).
payment-check-waiting = ⏳ Банк ещё не подтвердил платёж. Если вы уже оплатили, подождите минуту и проверьте снова; если нет — откройте страницу оплаты.
payment-check-paid = ✅ Оплачено: банк подтвердил платёж.
payment-check-declined = ✖️ Платёж не прошёл: { $reason }.
payment-check-unreachable = Платёжный сервис сейчас не ответил. Попробуйте через минуту — дважды деньги не спишутся.
payment-check-staff = 🔎 Платёж проверяют сотрудники. Платить ещё раз не нужно.

# Мои счета: таблица счетов, подробности, выбор для оплаты, выгрузка.

menu-invoices = 🧾 Мои счета

invoices-title = <b>🧾 Мои счета</b>
invoices-empty = Счетов пока нет. Когда клиника пришлёт счёт за оказанные услуги, он появится здесь.
invoices-entry =
    { $mark }<b>№ { $number }</b> от { $issued } — { $name } ({ $category })
    Франшиза: { $copay } · из депозита: { $deposit } · к оплате: <b>{ $total }</b>
    Оплатить до { $due } · { $status }
invoices-entry-settled =
    { $mark }<b>№ { $number }</b> от { $issued } — { $name } ({ $category })
    Франшиза: { $copay } · из депозита: { $deposit } · { $status }
invoices-hint = 📄 — подробности счёта; отметьте ☐ неоплаченные счета, чтобы оплатить их вместе.
invoices-selected = Выбрано счетов: { $count }, к оплате <b>{ $total }</b>
invoices-details-button = 📄 { $number }
invoices-select-button = ☐ Выбрать { $number }
invoices-unselect-button = ☑️ Выбран { $number }
invoices-pay-button = 💳 Оплатить { $total }
invoices-not-selectable = Этот счёт нельзя выбрать для оплаты: он уже оплачен, отменён, оспаривается или оплачивается сейчас.
invoices-back-button = ‹ Мои счета
invoices-export-csv-button = ⬇️ CSV
invoices-export-xlsx-button = ⬇️ Excel (XLSX)
invoices-export-caption-all = Все ваши счета
invoices-export-caption-one = Счёт № { $number }: услуги

invoice-category-own = ваш
invoice-category-relative = родственник
invoice-category-child = ребёнок

invoice-status-new = 🆕 не оплачен
invoice-status-pending = ⏳ оплачивается
invoice-status-paid = ✅ оплачен
invoice-status-overdue = ⚠️ просрочен
invoice-status-disputed = ❓ оспаривается
invoice-status-cancelled = ✖️ отменён
invoice-status-refunded = ↩️ деньги возвращены

invoice-title = <b>Счёт № { $number }</b> от { $issued }
invoice-insured = Застрахованный: { $name } ({ $category })
invoice-status = Статус: { $status }
invoice-due = Оплатить до: { $due }
invoice-copay = Франшиза (ваша доля): { $amount }
invoice-deposit = Зачтено из депозита: { $amount }
invoice-credited = Снято по спору: { $amount }
invoice-total = <b>К оплате: { $amount }</b>
invoice-lines-title = <b>Услуги</b>
invoice-line =
    { $date } · { $clinic }
    { $service }: { $quantity } шт., стоимость { $cost }, франшиза { $copay }
invoice-lines-more = …и ещё { $count } (все услуги — в выгрузке CSV или Excel).
invoice-hidden-service = медицинские услуги

invoice-export-number = Номер счёта
invoice-export-issued = Дата счёта
invoice-export-insured = Застрахованный
invoice-export-category = Категория
invoice-export-copay = Франшиза, ₽
invoice-export-deposit = Из депозита, ₽
invoice-export-credited = Снято по спору, ₽
invoice-export-total = К оплате, ₽
invoice-export-due = Оплатить до
invoice-export-status = Статус
invoice-export-service-date = Дата услуги
invoice-export-clinic = Клиника
invoice-export-service = Услуга
invoice-export-quantity = Количество
invoice-export-cost = Стоимость, ₽
invoice-pay-button = 💳 Оплатить { $total }
invoice-paid = ✅ Оплачено <b>{ $amount }</b> { $at } картой на странице оплаты (платёж № { $number }).
invoice-paid-automatic = ✅ Оплачено <b>{ $amount }</b> { $at }: списано автоматически с карты •••• { $card } (платёж № { $number }).
invoice-paid-covered = ✅ Платить не пришлось: всё покрыл депозит или снятое по спору.
invoice-paid-offline = ✅ Оплачено <b>{ $amount }</b> вне бота (в клинике или переводом); отмечено страховой компанией { $at }.

# Денежные действия администратора: счёт и платёж в карточке, план на подтверждение

desk-money-invoice-title = 🧾 <b>Счёт № { $number }</b> · { $status }
desk-money-invoice-dates = Выставлен { $issued }, оплатить до { $due }
desk-money-invoice-amounts = Доплата { $copay }, из депозита { $deposit }, зачтено { $credited }; к оплате <b>{ $total }</b>
desk-money-invoice-paid = Получено { $paid }, возвращено { $refunded }
desk-money-invoice-people = Застрахованный #{ $insured }, плательщик #{ $payer }
desk-money-invoice-paid-at = Оплачен { $at }, { $how }
desk-money-paid-how-yookassa = через ЮKassa
desk-money-paid-how-offline = вне бота (отметка сотрудника)
desk-money-paid-how-deposit = из депозита
desk-money-paid-how-credit = зачтено по спору
desk-money-paid-how-unknown = способ не записан
desk-money-invoice-reference = Основание: { $reference }
desk-money-invoice-cancelled = Отменён { $at }: { $reason }
desk-money-payment-title = 💳 <b>Платёж № { $id }</b> · { $status }
desk-money-payment-line = { $amount }, { $at }, ЮKassa <code>{ $provider }</code>
desk-money-payment-refunds = Возвращено { $refunded }; можно вернуть ещё { $left }
desk-money-payment-invoices = Счета: { $invoices }
desk-money-payment-anomaly-open = ⚠️ Аномалия ждёт в очереди: { $reason }
desk-money-payment-anomaly-closed = Аномалия закрыта: { $reason }
desk-queue-payment-open = 💳 Платёж и действия с деньгами

desk-money-act-paid = ✅ Отметить оплаченным вне бота
desk-money-act-cancel = ✖️ Отменить счёт
desk-money-act-refund = ↩️ Вернуть часть
desk-money-act-refund-full = ↩️ Вернуть всё, что осталось
desk-money-act-dismiss = 🗂 Закрыть аномалию с комментарием
desk-money-drop = Отмена

desk-money-prompt-paid = Напишите следующим сообщением основание оплаты: где и как заплатили (например, перевод в кассе клиники и номер чека), до 100 символов.
desk-money-prompt-cancel = Напишите следующим сообщением причину отмены счёта (до 500 символов).
desk-money-prompt-refund = Напишите следующим сообщением сумму возврата в рублях, например <code>150</code> или <code>150,50</code>. Не больше { $left }.
desk-money-prompt-dismiss = Напишите следующим сообщением комментарий: почему действия с деньгами не нужны (до 500 символов).
desk-money-example-paid = перевод в кассе клиники, чек 1742
desk-money-example-cancel = клиника выставила дважды, см. счёт 2026/10/4
desk-money-example-refund = 150,50
desk-money-example-dismiss = проверено в личном кабинете ЮKassa: деньги не списаны

desk-money-confirm-paid = <b>Отметить оплаченным вне бота?</b> Станут оплаченными:
desk-money-confirm-cancel = <b>Отменить счёт?</b>
desk-money-confirm-refund = <b>Вернуть по платежу № { $payment }?</b> Возврат по счетам:
desk-money-confirm-dismiss = <b>Закрыть аномалию платежа № { $payment }?</b> Счета и деньги не изменятся.
desk-money-change = • { $number }: { $before } → { $after }, { $amount }
desk-money-total = Итого: <b>{ $amount }</b>
desk-money-typed-paid = Основание: { $text }
desk-money-typed-cancel = Причина: { $text }
desk-money-typed-dismiss = Комментарий: { $text }
desk-money-then-paid = Плательщик получит уведомление; если у застрахованного больше нет просроченных счетов, доступ восстановится сразу.
desk-money-then-cancel = Сумма уйдёт из итогов и правил просрочки; плательщик получит уведомление, доступ восстановится, если других просрочек нет.
desk-money-then-refund = Возврат уйдёт в ЮKassa с чеком; счета обновятся и плательщик получит уведомление, когда ЮKassa его подтвердит.
desk-money-then-dismiss = Аномалия уйдёт из очереди с вашим комментарием.

desk-money-done-paid = ✅ Отмечено оплаченным: { $amount }.
desk-money-done-cancel = ✅ Счёт отменён ({ $amount } платить не нужно).
desk-money-done-dismiss = ✅ Аномалия закрыта.
desk-money-done-refund-succeeded = ✅ Возврат { $amount } подтверждён ЮKassa.
desk-money-done-refund-pending = ⏳ Возврат { $amount } отправлен в ЮKassa; он будет записан, когда ЮKassa его подтвердит.
desk-money-dropped = Ничего не сделано.
desk-money-refused-not-found = ⚠️ Такого счёта или платежа нет.
desk-money-refused-nothing = ⚠️ Делать нечего: счёт уже не ждёт оплаты (или аномалия уже урегулирована).
desk-money-refused-not-refundable = ⚠️ Этот платёж нельзя вернуть: он не прошёл или уже возвращён целиком.
desk-money-refused-too-much = ⚠️ Это больше, чем осталось вернуть.
desk-money-refused-changed = ⚠️ Ничего не сделано: счета изменились после показа плана. Посмотрите их ещё раз.
desk-money-refused-unavailable = ⚠️ Платежи не настроены: возвраты недоступны.

error-money-empty = Сумма не указана.
error-money-invalid = Это не сумма в рублях.
error-money-too_many_decimals = В сумме не больше двух знаков копеек.
error-money-negative = Сумма не может быть отрицательной.
error-money-too_large = Слишком большая сумма.
error-money-zero = Сумма должна быть больше нуля.

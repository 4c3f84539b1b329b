# Disputes over invoices: a line questioned from the invoice's details; the insurer answers in 15 calendar days.

dispute-start-button = ⚖️ Оспорить услугу
dispute-not-disputable = Этот счёт сейчас нельзя оспорить: оспорить можно только неоплаченный счёт, который ещё не на рассмотрении.
dispute-line-button = { $number }. { $date } · { $service } · { $copay }
dispute-choose-title = <b>⚖️ Спор по счёту № { $number }</b>
dispute-choose-hint = Выберите услугу, с которой вы не согласны. Пока спор рассматривается, счёт не нужно оплачивать и он не станет просроченным.
dispute-prompt-title = <b>⚖️ Спор по счёту № { $number }</b>
dispute-prompt = Напишите, почему вы не согласны с этой услугой: например, услугу не оказывали или количество другое. Страховая ответит в течение 15 календарных дней.
cabinet-example-dispute = <code>Приём был один, а в счёте два</code>
dispute-opened =
    ✅ Спор открыт: счёт № { $number }, услуга от { $date }.
    Страховая ответит до <b>{ $deadline }</b>. До ответа счёт не нужно оплачивать.
dispute-opened-reason = Ваша причина: { $reason }
dispute-opened-hint = Спор виден в деталях счёта и в разделе /requests. Об ответе мы пришлём сообщение.
dispute-to-invoice-button = 📄 Счёт { $number }
dispute-line-open = ⚖️ Оспорено { $opened }, ответ до { $deadline }
dispute-line-late = ⚖️ Оспорено { $opened }, ответ просрочен: срок был до { $deadline }
dispute-line-accepted = ✅ Спор принят { $answered }: франшиза по услуге списана
dispute-line-rejected = ✖️ Спор отклонён { $answered }
dispute-line-answer = Ответ страховой: { $answer }

dispute-refused-not-found = Этот счёт недоступен.
dispute-refused-not-disputable = Этот счёт сейчас нельзя оспорить: он уже оплачен, отменён, оплачивается или уже на рассмотрении.
dispute-refused-no-such-line = Такой услуги в счёте нет.
dispute-refused-already-credited = Франшиза по этой услуге уже списана по принятому спору.
dispute-refused-changed = Счёт только что изменился. Откройте его снова и повторите.
dispute-refused-not-open = На этот спор уже ответили.
dispute-refused-other-invoice = Этот спор относится к другому счёту.
dispute-refused-answered-early = Ответ не может быть раньше открытия спора.

dispute-requests-title = <b>⚖️ Споры по счетам</b>
dispute-requests-entry = Счёт № { $number }, услуга от { $date } · открыт { $opened } · ответ до { $deadline }
dispute-requests-late = Счёт № { $number }, услуга от { $date } · открыт { $opened } · ⏰ ответ просрочен (срок был до { $deadline })
dispute-requests-more = …и ещё { $count } — в деталях счетов (/invoices).

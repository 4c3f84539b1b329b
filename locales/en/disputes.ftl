# Disputes over invoices: a line questioned from the invoice's details; the insurer answers in 15 calendar days.

dispute-start-button = ⚖️ Dispute a service
dispute-not-disputable = This invoice cannot be disputed now: only an unpaid invoice that is not under review already can be.
dispute-line-button = { $number }. { $date } · { $service } · { $copay }
dispute-choose-title = <b>⚖️ Dispute over invoice No. { $number }</b>
dispute-choose-hint = Choose the service you disagree with. While the dispute is under review, the invoice need not be paid and does not become overdue.
dispute-prompt-title = <b>⚖️ Dispute over invoice No. { $number }</b>
dispute-prompt = Write why you disagree with this service: for example, it was not provided or the quantity differs. The insurer answers within 15 calendar days.
cabinet-example-dispute = <code>There was one appointment, the invoice has two</code>
dispute-opened =
    ✅ Dispute opened: invoice No. { $number }, the service on { $date }.
    The insurer answers by <b>{ $deadline }</b>. Until then the invoice need not be paid.
dispute-opened-reason = Your reason: { $reason }
dispute-opened-hint = The dispute is shown in the invoice's details and in /requests. We will send you a message with the answer.
dispute-to-invoice-button = 📄 Invoice { $number }
dispute-line-open = ⚖️ Disputed on { $opened }, answer due by { $deadline }
dispute-line-late = ⚖️ Disputed on { $opened }, answer late: it was due by { $deadline }
dispute-line-accepted = ✅ Dispute accepted on { $answered }: the deductible of this service is written off
dispute-line-rejected = ✖️ Dispute rejected on { $answered }
dispute-line-answer = The insurer's answer: { $answer }

dispute-refused-not-found = This invoice is not available.
dispute-refused-not-disputable = This invoice cannot be disputed now: it is paid, cancelled, being paid or already under review.
dispute-refused-no-such-line = There is no such service on the invoice.
dispute-refused-already-credited = The deductible of this service was already written off by an accepted dispute.
dispute-refused-changed = The invoice has just changed. Please open it again and retry.
dispute-refused-not-open = This dispute has already been answered.
dispute-refused-other-invoice = This dispute belongs to another invoice.
dispute-refused-answered-early = An answer cannot predate the dispute.

dispute-requests-title = <b>⚖️ Disputes over invoices</b>
dispute-requests-entry = Invoice No. { $number }, the service on { $date } · opened { $opened } · answer due by { $deadline }
dispute-requests-late = Invoice No. { $number }, the service on { $date } · opened { $opened } · ⏰ answer late (it was due by { $deadline })
dispute-requests-more = …and { $count } more — in the invoices' details (/invoices).

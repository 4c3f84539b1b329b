# My policies and children's policies.

policies-title = <b>📄 My policies</b>
policies-hint = Tap a policy to see its details, clinics and deductible.
policies-entry =
    <b>No. { $number }</b> — { $name }
    { $relation } · { $program }
    { $status }
policies-back-button = ‹ My policies

policy-relation-own = Your policy
policy-relation-relative = A relative's policy (you pay its invoices)
policy-relation-child = A child's policy (added by you)

policy-title = <b>Policy No. { $number }</b>
policy-insured = Insured: { $name }
policy-program = Program: { $program }
policy-contract = Contract: { $contract }, { $employer }
policy-validity = Valid: from { $start } to { $end }
policy-status = Status: { $status }
policy-franchise = Deductible: { $status }
policy-debt = ⚠️ Debt (past the due date): <b>{ $total }</b> — to pay: /invoices
policy-to-pay = To pay: <b>{ $total }</b>, not yet due — invoices: /invoices
policy-card = Card for automatic charges: { $card }, { $validity }
policy-card-none = Card for automatic charges: none bound
policy-autopay-on = Automatic charges: on
policy-autopay-off = Automatic charges: off
policy-clinics-button = 🏥 Clinics of this policy
policy-franchise-button = 💳 Deductible

children-add-button = ➕ Add a child's policy
children-ask-policy =
    <b>A child's policy</b>
    You can add the policy of a child under 18 insured under the same contract as you. Then you will see the policy and pay its invoices. You will need the child's policy number, full name and date of birth.

    Enter the child's policy number as printed on the policy. For example: <code>АБ246813579/20</code>
children-ask-last_name = Enter the child's surname as on the policy (in Russian, or as in the child's international passport). For example: <code>Соколов</code> or <code>Sokolov</code>
children-ask-first_name = Enter the child's first name as on the policy. For example: <code>Матвей</code> or <code>Matvei</code>
children-ask-patronymic = Enter the child's patronymic as on the policy, if it has one. For example: <code>Николаевич</code> or <code>Nikolaevich</code>
children-ask-birth_date = Enter the child's date of birth, for example: <code>21 Jun 2016</code> or <code>21.06.2016</code> (day first).
children-no-patronymic = No patronymic
children-example-policy = <code>АБ246813579/20</code>
children-example-last_name = <code>Sokolov</code>
children-example-first_name = <code>Matvei</code>
children-example-patronymic = <code>Nikolaevich</code>
children-example-birth_date = <code>21 Jun 2016</code>
children-added =
    ✅ Policy No. { $number } ({ $name }) is added.
    It is now in "My policies", and its invoices will come to you. When the child turns 18, the policy leaves your list.
children-retry-button = Try again
children-refused-not-found = We could not add a policy with these details. Check the child's policy number, full name and date of birth: you can add the policy of a child under 18 insured under your contract. If everything is right, ask your company's HR.
children-refused-parent-not-employee = Children's policies are added by the employee whose contract insures them.
children-refused-already-yours = This policy is already linked to yours: it is in "My policies".
children-refused-already-added = You have already added this policy: it is in "My policies".
children-refused-policy-inactive = This policy is not active now.
children-refused-too-many-attempts = Too many attempts today. Try again tomorrow or write to support.

error-child_name-too_long = Too many words in the surname, first name and patronymic together (at most { $max }). Check them and start again.

# The policy memo (PDF)
memo-button = 📄 Memo for the clinic (PDF)
memo-caption = The memo of policy No. { $number }: show it at the clinic's reception.
memo-title = Voluntary health insurance (DMS) memo
memo-author = DMS insured person's cabinet
memo-intro = Show this memo at the clinic's reception together with an identity document.
memo-insured = Insured person: { $name }
memo-policy = DMS policy No. { $number }
memo-program = Program: { $program }
memo-contract = Contract: { $contract }, { $employer }
memo-validity = Valid from { $start } to { $end }
memo-status = Status today: { $status }
memo-franchise-heading = Deductible
memo-franchise = Your share of the cost of services: { $percent }%. Nothing is paid at the clinic: the invoice for your share comes to the bot.
memo-franchise-status = Deductible status: { $status }
memo-franchise-due-working = The invoice is to be paid within { $days } working days of its date.
memo-franchise-due-calendar = The invoice is to be paid within { $days } calendar days of its date.
memo-franchise-none = This program has no deductible: the insurer pays for the services.
memo-desk-heading = The insurer's medical desk (emergencies, appointments, questions)
memo-clinics-heading = Clinics of the program ({ $count })
memo-clinic-franchise = (under the deductible)
memo-clinic-phone = Phone: { $phone }
memo-clinics-more = And { $count } more: the full list is in the bot, /clinics
memo-footer = Memo made on { $date }. The current list of clinics and the policy's status are in the bot.

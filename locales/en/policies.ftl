# My policies and children's policies.

policies-title = <b>📄 My policies</b>
policies-hint = Tap a policy to see its details, clinics and franchise.
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
policy-franchise = Franchise: { $status }
policy-clinics-button = 🏥 Clinics of this policy
policy-franchise-button = 💳 Franchise

children-add-button = ➕ Add a child's policy
children-ask-policy =
    <b>A child's policy</b>
    You can add the policy of a child under 18 insured under the same contract as you. Then you will see the policy and pay its invoices.

    Type the child's policy number as printed on the policy.
children-ask-birth-date = Type the child's date of birth as DD.MM.YYYY.
children-added =
    ✅ Policy No. { $number } ({ $name }) is added.
    It is now in "My policies", and its invoices will come to you.
children-retry-button = Try again
children-refused-not-found = We found no policy with this number and date of birth. Check them, or ask your company's HR.
children-refused-parent-not-employee = Children's policies are added by the employee whose contract insures them.
children-refused-adult = This person is 18 or older: only a minor's policy can be added. Adults register in the bot themselves.
children-refused-other-contract = This policy is under another contract: you can add only a child insured under your contract.
children-refused-not-relative = This is an employee's policy, not a relative's: it cannot be added as a child's policy.
children-refused-already-yours = This policy is already linked to yours: it is in "My policies".
children-refused-other-holder = This policy is linked to another employee's policy. If that is a mistake, ask your company's HR.
children-refused-already-added = You have already added this policy: it is in "My policies".
children-refused-taken = Another parent has already added this policy. If that is a mistake, write to support in "Requests".
children-refused-policy-inactive = This policy is not active now.
children-refused-too-many-attempts = Too many attempts today. Try again tomorrow or write to support.

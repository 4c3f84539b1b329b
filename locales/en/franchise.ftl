# The deductible (франшиза; "franchise" is a false friend in English): the terms (after AlfaStrakhovanie's), the consent, the start date.
# When franchise-terms changes, raise TERMS_VERSION in core/cabinet/franchise.py.

franchise-title = <b>💳 Deductible</b>
franchise-entry =
    <b>No. { $number }</b> — { $name }
    Deductible { $percent }%: { $status }
franchise-none = None of your programs has a deductible: there is nothing to activate.
franchise-policy-title = <b>Deductible of policy No. { $number }</b>
franchise-terms-title = <b>Terms</b>
franchise-terms =
    1. The deductible (co-payment) is your share of the cost of medical services: { $percent }%. Activate it before you visit a clinic: service under the deductible starts on the next working day after your consent.
    2. You pay nothing at the clinic.
    3. The clinic bills the insurer, usually within 1.5–2 months of the service. The insurer works out your share and sends you an invoice here, in the bot.
    4. Pay the invoice in the bot within { $days } { $kind ->
        [calendar] { $days ->
            [one] calendar day
           *[other] calendar days
        }
       *[working] { $days ->
            [one] working day
           *[other] working days
        }
    } of its date.
    5. { $rule ->
        [emergency] If an invoice is not paid in time, you are moved to emergency help through the insurer's medical desk until the debt is paid. The insurer may recover the debt as Russian law provides.
       *[franchise] If an invoice is not paid in time, clinics under the deductible become unavailable until the debt is paid; access returns automatically once it is paid.
    }
    6. Check the bot once a month, and tell the insurer within 5 calendar days when your phone or e-mail changes.
franchise-consent-hint = By pressing the button below you accept the terms and agree to pay your share of the cost of services.
franchise-consent-button = ✅ I agree, activate
franchise-back-button = ‹ Deductible
franchise-policy-button = 📄 Policy
franchise-activated = ✅ The deductible is activated. Clinics under the deductible are available from <b>{ $date }</b>, the next working day.
franchise-refusal-not-required = This policy's program has no deductible: there is nothing to activate.
franchise-refusal-already-activated = The deductible of this policy is already activated.
franchise-refusal-not-payer = The deductible of this policy is activated by whoever pays its invoices: the policy holder.
franchise-refusal-policy-inactive = The policy is not active: the deductible cannot be activated.
franchise-cards-hint = 💳 Bind a card, and deductible invoices are paid from it automatically, once per invoice.
franchise-activated-after-debt = ✅ Consent recorded. But the policy has an overdue invoice, so the deductible is suspended for now: clinics under the deductible open as soon as the debt is paid (not before <b>{ $date }</b>). Pay with the button below.
franchise-pay-debt-button = 💳 Pay the debt

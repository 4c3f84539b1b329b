# Franchise: the terms (after AlfaStrakhovanie's), the consent, the start date.
# When franchise-terms changes, raise TERMS_VERSION in core/cabinet/franchise.py.

franchise-title = <b>💳 Franchise</b>
franchise-entry =
    <b>No. { $number }</b> — { $name }
    Franchise { $percent } %: { $status }
franchise-none = None of your programs has a franchise: there is nothing to activate.
franchise-policy-title = <b>Franchise of policy No. { $number }</b>
franchise-terms-title = <b>Terms</b>
franchise-terms =
    1. The franchise is your share of the cost of medical services: { $percent } %. Activate it before you visit a clinic: service under the franchise starts on the next working day after your consent.
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
       *[franchise] If an invoice is not paid in time, franchise clinics become unavailable until the debt is paid; access returns automatically once it is paid.
    }
    6. Check the bot once a month, and tell the insurer within 5 calendar days when your phone or e-mail changes.
franchise-consent-hint = By pressing the button below you accept the terms and agree to pay your share of the cost of services.
franchise-consent-button = ✅ I agree, activate
franchise-back-button = ‹ Franchise
franchise-policy-button = 📄 Policy
franchise-activated = ✅ The franchise is activated. Franchise clinics are available from <b>{ $date }</b>, the next working day.
franchise-refusal-not-required = This policy's program has no franchise: there is nothing to activate.
franchise-refusal-already-activated = The franchise of this policy is already activated.
franchise-refusal-not-payer = The franchise of this policy is activated by whoever pays its invoices: the policy holder.
franchise-refusal-policy-inactive = The policy is not active: the franchise cannot be activated.

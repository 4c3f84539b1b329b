# Services rendered: an insured person's history of services with the cost, their part and its payment status.

services-button = 🩺 Services rendered
services-people-title = <b>🩺 Services rendered</b>
services-people-hint = Whose services to show?
services-title = <b>🩺 Services rendered</b>
services-insured = { $name }, policy No. { $number }
services-empty = No services yet. When a clinic bills the services received, they appear here.
services-entry =
    <b>{ $date }</b> · { $clinic }
    { $service }: quantity { $quantity }
    Cost { $cost } · insured person's part (deductible) { $copay } · { $status }
services-invoiced = invoice No. { $number }: { $status }
services-not-invoiced = not invoiced
services-hint = The deductible (co-payment) is the part of the cost the insured person pays; services without one are never invoiced.
services-back-card-button = ‹ To the policy

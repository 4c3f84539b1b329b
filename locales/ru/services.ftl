# Оказанные услуги: история услуг застрахованного со стоимостью, его долей и статусом оплаты.

services-button = 🩺 Оказанные услуги
services-people-title = <b>🩺 Оказанные услуги</b>
services-people-hint = Чьи услуги показать?
services-title = <b>🩺 Оказанные услуги</b>
services-insured = { $name }, полис № { $number }
services-empty = Услуг пока нет. Когда клиника пришлёт счёт за оказанные услуги, они появятся здесь.
services-entry =
    <b>{ $date }</b> · { $clinic }
    { $service }: { $quantity } шт.
    Стоимость { $cost } · доля застрахованного (франшиза) { $copay } · { $status }
services-invoiced = счёт № { $number }: { $status }
services-not-invoiced = счёт не выставлялся
services-hint = Франшиза — часть стоимости, которую оплачивает застрахованный; услуги без франшизы в счёт не попадают.
services-back-card-button = ‹ К полису

# Клиники по программе полиса: список, поиск, карточка.

clinics-choose-policy = <b>🏥 Клиники</b>
    Выберите полис: у каждой программы свой список клиник.
clinics-title =
    <b>🏥 Клиники по полису № { $number }</b>
    Программа: { $program }
clinics-search-line = Поиск «{ $query }»: { $count ->
        [one] найдена { $count } клиника
        [few] найдено { $count } клиники
       *[other] найдено { $count } клиник
    }
clinics-entry = { $number }. <b>{ $name }</b> — { $city }
clinics-none = В программе пока нет клиник.
clinics-none-found = Ничего не нашлось. Попробуйте часть названия или город.
clinics-search-button = 🔍 Поиск
clinics-show-all-button = Все клиники
clinics-add-button = ➕ Попросить добавить клинику
clinics-back-button = ‹ К списку клиник
clinics-search-prompt = Введите часть названия клиники или город.
clinics-search-stale = Этот поиск устарел. Откройте /clinics и поищите снова.

clinic-phone = Телефон: { $phone }
clinic-franchise-mark = 💳 по франшизе
clinic-access-available = ✅ Доступна по вашему полису.
clinic-access-needs-franchise = ⛔ Недоступна, пока не действует франшиза
clinic-access-suspended = ⛔ Недоступна до оплаты счёта
clinic-access-policy-inactive = ⛔ Полис не действует
clinic-booking-button = 🗓 Записаться онлайн
clinic-map-button = 📍 На карте

clinics-near-button = 📍 Рядом со мной
clinics-near-prompt = Нажмите «📍 Отправить моё местоположение» внизу — я покажу клиники по вашему полису, ближайшие первыми. Местоположение нужно только для этого ответа и нигде не сохраняется.
clinics-near-share = 📍 Отправить моё местоположение
clinics-near-received = 📍 Местоположение получено.
clinics-near-cancelled = Хорошо, без местоположения.
clinics-near-title = <b>📍 Клиники рядом с вами</b> — полис № { $number }
clinics-near-entry = { $number }. <b>{ $name }</b> — { $city }, { $distance }
clinics-near-metres = { $metres } м
clinics-near-km = { $km } км
clinics-near-unknown = расстояние неизвестно (нет на карте)
error-location-invalid = Не удалось прочитать местоположение. Попробуйте отправить его ещё раз.

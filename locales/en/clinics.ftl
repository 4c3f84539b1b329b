# Clinics of a policy's program: list, search, card.

clinics-choose-policy = <b>🏥 Clinics</b>
    Choose a policy: each program has its own list of clinics.
clinics-title =
    <b>🏥 Clinics of policy No. { $number }</b>
    Program: { $program }
clinics-search-line = Search "{ $query }": { $count ->
        [one] { $count } clinic found
       *[other] { $count } clinics found
    }
clinics-entry = { $number }. <b>{ $name }</b> — { $city }
clinics-none = The program has no clinics yet.
clinics-none-found = Nothing found. Try a part of the name, or the city.
clinics-search-button = 🔍 Search
clinics-show-all-button = All clinics
clinics-add-button = ➕ Ask to add a clinic
clinics-back-button = ‹ Back to the clinics
clinics-search-prompt = Type a part of the clinic's name, or the city.
clinics-search-stale = This search is out of date. Open /clinics and search again.

clinic-phone = Phone: { $phone }
clinic-franchise-mark = 💳 clinic under the deductible
clinic-access-available = ✅ Available under your policy.
clinic-access-needs-franchise = ⛔ Unavailable until the deductible is in force
clinic-access-suspended = ⛔ Unavailable until the invoice is paid
clinic-access-policy-inactive = ⛔ The policy is not active
clinic-booking-button = 🗓 Book online
clinic-map-button = 📍 On the map

clinics-near-button = 📍 Near me
clinics-near-prompt = Press "📍 Send my location" below and I will list the clinics of your policy, nearest first. The location is used for this answer only and is not stored.
clinics-near-share = 📍 Send my location
clinics-near-received = 📍 Location received.
clinics-near-cancelled = All right, no location.
clinics-near-title = <b>📍 Clinics near you</b> — policy No. { $number }
clinics-near-entry = { $number }. <b>{ $name }</b> — { $city }, { $distance }
clinics-near-metres = { $metres } m
clinics-near-km = { $km } km
clinics-near-unknown = distance unknown (not on the map)
error-location-invalid = The location could not be read. Try sending it again.

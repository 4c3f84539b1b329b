# Настройки: язык, уведомления, e-mail; услуги в счетах родственника.

settings-title = <b>⚙️ Настройки</b>
settings-language = Язык: { $language }
settings-email = E-mail: { $email }
settings-email-none = E-mail: не указан
settings-notifications = <b>Уведомления</b>
settings-on = вкл.
settings-off = выкл.
settings-notify-invoices-line = • о новых счетах: { $state }
settings-notify-reminders-line = • напоминания об оплате: { $state }
settings-notify-news-line = • новости страховщика: { $state }
settings-notify-invoices-button = 🔔 Новые счета: { $state }
settings-notify-reminders-button = 🔔 Напоминания: { $state }
settings-notify-news-button = 🔔 Новости: { $state }
settings-language-button = 🌐 Сменить язык
settings-email-button = ✉️ Сменить e-mail
settings-back-button = ‹ Настройки
settings-sharing-title = <b>Услуги в ваших счетах</b>
settings-sharing-line = • показывать названия услуг держателю полиса ({ $holder }): { $state }
settings-sharing-note = Названия услуг — сведения о вашем здоровье; даты, клиники и суммы держатель полиса видит в любом случае.
settings-sharing-button = 👁 Показывать услуги держателю: { $state }
settings-sharing-holder-changed = Держатель полиса изменился. Проверьте настройку ещё раз.

settings-email-prompt = Введите новый адрес e-mail. Мы пришлём на него код подтверждения.
settings-email-code-sent = Код отправлен на { $email }. Введите его здесь: он действует 5 минут.
settings-email-refused-same = Это ваш текущий адрес. Введите другой.
settings-email-refused-taken = Этот адрес уже используется другим пользователем. Введите другой.
settings-email-refused-cooldown = Код уже отправлен. Новый можно запросить через { $seconds } { $seconds ->
        [one] секунду
        [few] секунды
       *[other] секунд
    }; а пока введите код из последнего письма.
settings-email-refused-destination-daily-cap = На этот адрес сегодня отправлено слишком много кодов. Попробуйте завтра.
settings-email-refused-user-daily-cap = Сегодня вы запросили слишком много кодов. Попробуйте завтра.
settings-email-refused-delivery-failed = Не удалось отправить письмо. Запросите код ещё раз через минуту.
settings-email-changed = ✅ E-mail изменён.
settings-email-code-wrong = Неверный код. Осталось попыток: { $tries }.
settings-email-code-burned = Слишком много неверных попыток: этот код больше не действует. Запросите новый.
settings-email-code-expired = Срок действия кода истёк. Запросите новый.
settings-email-code-missing = Код не найден или уже использован. Запросите новый.
settings-email-code-taken = Этот адрес тем временем занял другой пользователь. Укажите другой.
settings-email-resend-button = Отправить код ещё раз
settings-email-subject = Код подтверждения e-mail
settings-email-body =
    Ваш код для подтверждения адреса в боте ДМС: { $code }
    Код действует 5 минут. Если вы не меняли адрес, просто удалите это письмо.

# Личный кабинет: общие тексты разделов (меню, страницы, статусы, ошибки ввода).

menu-policies = 📄 Мои полисы
menu-clinics = 🏥 Клиники
menu-franchise = 💳 Франшиза
menu-requests = ✉️ Обращения
menu-settings = ⚙️ Настройки

cabinet-not-yours = Это недоступно. Откройте раздел заново через /menu.
cabinet-page = Страница { $number } из { $count }
cabinet-page-previous = ‹ Назад
cabinet-page-next = Дальше ›

cabinet-invalid =
    { $problem }
    Пример: { $example }
cabinet-example-search = <code>улыбка</code> или <code>Москва</code>
cabinet-example-email = <code>ivanova@example.ru</code>
cabinet-example-code = <code>123456</code>
cabinet-example-callback = <code>завтра с 10 до 12</code>
cabinet-example-curator = <code>Какие анализы сдать перед приёмом эндокринолога?</code>
cabinet-example-add-clinic = <code>Клиника «Здоровье», Казань, ул. Баумана, 1</code>
cabinet-example-support = <code>Не могу зарегистрироваться: бот не находит мой полис</code>
cabinet-example-personal-data = <code>Сменила фамилию на Петрову, паспорт 1234 567890</code>

error-search-too_short = Слишком короткий запрос: нужно хотя бы 2 буквы.
error-search-too_long = Слишком длинный запрос (не больше 100 символов).
error-request-empty = Текст пустой.
error-request-too_long = Слишком длинный текст: { $length } { $length ->
        [one] знак
        [few] знака
       *[other] знаков
    } при пределе { $max } (эмодзи считается за два знака, как в Telegram). Сократите его.
error-code-format = Код — это 6 цифр из письма.

policy-status-active = ✅ действует
policy-status-not-started = ⏳ ещё не начал действовать
policy-status-expired = ⛔ срок действия истёк
policy-status-removed = ⛔ не действует: вас нет в списке работодателя
policy-status-restricted-franchise = ⚠️ ограничен: клиники по франшизе недоступны до оплаты счёта
policy-status-restricted-emergency = ⚠️ ограничен: только экстренная помощь до оплаты счёта

franchise-status-not-required = не требуется
franchise-status-not-activated = не активирована — клиники по франшизе недоступны
franchise-status-scheduled = активирована, действует с { $date }
franchise-status-active = действует с { $date }
franchise-status-suspended = приостановлена до оплаты счёта

"""/clinics end to end: a policy's clinics, franchise marks, search over several pages, card, map."""

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from core.db.models import UserRequest
from tests.bot.cabinet_fixtures import IVANOV, KUZNETSOV, SEMENOVA, SHMOLINA, cabinet_chat, import_samples, person_id

CLINICS_HEADER = "clinic_id;name;city;address;latitude;longitude;phone;booking_url;program_codes;franchise"
# Twenty more clinics of Иванов's program in Kazan, named with "ё" (searched for with "е").
KAZAN = "\n".join(
    f"K{n:03d};Клиника «Ёлка» №{n};Казань;ул. Баумана, {n};55.79;49.12;;;FR20;no" for n in range(1, 21)
).encode()


async def open_clinics(chat, policy: str = "123/14"):
    await chat.send("/clinics")
    return (await chat.press(policy))[0]


async def test_clinics_of_a_policy_with_franchise_clinics_marked_and_a_card(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    choice = (await chat.send("/clinics"))[0]
    assert "Выберите полис" in choice.text and len(choice.buttons()) == 4  # three policies and the menu
    listing = (await chat.press("123/14"))[0]
    assert listing.message_id == choice.message_id
    names = [
        "Клиника «Мать и дитя»",
        "Клиника «Семейный доктор» на Бауманской",
        "Медицинский пульт страховщика",
        "Медицинский центр «Здоровье»",
        "Стоматология «Улыбка»",
    ]
    positions = [listing.text.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Поликлиника №1" not in listing.text  # a clinic of another program
    smile = listing.text[listing.text.index("Стоматология") :]
    assert "💳 по франшизе" in smile and "Недоступна, пока не действует франшиза" in smile

    card = (await chat.press("Улыбка"))[0]
    assert "Москва, ул. Тверская, 5" in card.text and "Телефон: +7 495 100-10-03" in card.text
    assert "Недоступна, пока не действует франшиза" in card.text
    assert card.button("Записаться онлайн")["url"] == "https://booking.example.ru/c003"
    assert "💳 Франшиза" in str(card.buttons())
    venue = (await chat.press("На карте"))[0]
    assert venue.kind == "venue" and venue.venue["title"] == "Стоматология «Улыбка»"
    assert (venue.venue["latitude"], venue.venue["longitude"]) == (55.76, 37.61)

    back = (await chat.press("К списку клиник", card))[0]
    assert back.message_id == card.message_id and "Стоматология «Улыбка»" in back.text
    family = (await chat.press("Семейный доктор", back))[0]
    assert "✅ Доступна по вашему полису." in family.text and "по франшизе" not in family.text


async def test_search_over_several_pages_with_yo_and_back_from_a_card(harness) -> None:
    await import_samples(harness.engine, ("clinics", f"{CLINICS_HEADER}\n".encode() + KAZAN))
    chat = await cabinet_chat(harness, IVANOV)
    listing = await open_clinics(chat)
    assert "Страница 1 из 5" in listing.text  # 25 clinics, 6 a page
    await chat.press("Поиск", listing)
    assert "Слишком короткий запрос" in (await chat.send("ё"))[0].text  # the dialog stays
    first = (await chat.send("ЕЛКА"))[0]
    assert "Поиск «ЕЛКА»: найдено 20 клиник" in first.text and "Страница 1 из 4" in first.text
    assert "Семейный доктор" not in first.text
    second = (await chat.press("Дальше ›", first))[0]
    third = (await chat.press("Дальше ›", second))[0]
    assert third.message_id == first.message_id and "Страница 3 из 4" in third.text
    card = (await chat.press("«Ёлка» №17", third))[0]  # numbers in order: 13–18 on page 3
    assert "Казань, ул. Баумана, 17" in card.text
    back = (await chat.press("К списку клиник", card))[0]
    assert "Страница 3 из 4" in back.text and "Поиск «ЕЛКА»" in back.text
    everything = (await chat.press("Все клиники", back))[0]
    assert "Поиск «" not in everything.text and "Страница 1 из 5" in everything.text

    await chat.press("Поиск", everything)
    by_city = (await chat.send("казан"))[0]
    assert "найдено 20 клиник" in by_city.text
    await chat.press("Поиск", by_city)
    assert "Ничего не нашлось" in (await chat.send("Самара"))[0].text


async def test_forged_and_stale_clinic_buttons_are_refused(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    listing = await open_clinics(chat)
    own = await person_id(harness.engine, "123/14")
    stranger = await person_id(harness.engine, "AM012345678/13")
    for data in (
        f"clc:{own}:C005:0:",  # a clinic of another program
        f"cls:{stranger}:0:",  # another person's policy
        f"clc:{stranger}:C001:0:",
        f"clm:{own}:C006",  # a clinic without coordinates
        f"clq:{stranger}",
        f"cla:{stranger}",
    ):
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "недоступно" in answer["text"], data
    answer = await chat.press_forged(listing, f"cls:{own}:1:beef")  # a search this user never made
    assert answer["show_alert"] is True and "поиск устарел" in answer["text"]
    assert "Шмолина" not in harness.emulator.transcript(IVANOV)


async def test_single_policy_lists_at_once_and_an_expired_one_is_marked(harness) -> None:
    await import_samples(harness.engine)
    semenova = await cabinet_chat(harness, SEMENOVA)
    listing = (await semenova.send("/clinics"))[0]
    assert "Клиники по полису № АМ012345681/13" in listing.text and "Оптима с франшизой 30%" in listing.text
    kuznetsov = await cabinet_chat(harness, KUZNETSOV)
    listing = (await kuznetsov.send("/clinics"))[0]
    assert listing.text.count("⛔ Полис не действует") == 4  # STD: C001, C002, C005, C006


async def test_ask_to_add_a_clinic_for_the_policy(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/clinics")
    await chat.press("АМ012345683/13")  # the son's policy
    prompt = (await chat.press("Попросить добавить клинику"))[0]
    assert "Напишите название, город и адрес" in prompt.text
    done = (await chat.send("Детская клиника «Айболит», Москва, ул. Лесная, 7"))[0]
    assert "Обращение № 1 (Добавить клинику) принято" in done.text
    async with harness.engine.connect() as conn:
        request = (await conn.execute(select(UserRequest))).one()
    assert request.kind == "add_clinic" and request.person_id == await person_id(harness.engine, "АМ012345683/13")
    assert request.text.startswith("Детская клиника") and request.status == "new"


async def test_english_clinics(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, SEMENOVA, language_code="en")
    listing = (await chat.send("/clinics"))[0]
    assert "Clinics of policy No. АМ012345681/13" in listing.text
    assert (
        "💳 clinic under the deductible" in listing.text
        and "Unavailable until the deductible is in force" in listing.text
    )
    await chat.press("Search", listing)
    assert "1 clinic found" in (await chat.send("Уфа"))[0].text


async def test_a_search_in_latin_letters_finds_cyrillic_names_and_cities(harness) -> None:
    """An English speaker types what they read on a sign or in a guide: transliterated, city names in English."""
    await import_samples(harness.engine, ("clinics", f"{CLINICS_HEADER}\n".encode() + KAZAN))
    for who, language, search in ((IVANOV, "en", "Search"), (SHMOLINA, "ru", "Поиск")):  # both on FR20
        chat = await cabinet_chat(harness, who, language_code=language)
        listing = await open_clinics(chat) if who == IVANOV else (await chat.send("/clinics"))[0]
        for typed, found, count in (
            ("Moscow", "Семейный доктор", 4),  # the city's English name
            ("Kazan", "«Ёлка» №1", 20),
            ("Yolka", "«Ёлка» №1", 20),  # ё typed as yo
            ("Semeyny doktor", "Семейный доктор", 1),
            ("zdorovye", "«Здоровье»", 1),
        ):
            await chat.press(search, listing)
            listing = (await chat.send(typed))[0]
            assert found in listing.text, (language, typed)
            expected = f"{count} clinic" if language == "en" else f"найден{'а' if count == 1 else 'о'} {count} клиник"
            assert expected in listing.text, (language, typed, listing.text)


RED_SQUARE = (55.7539, 37.6208)


async def test_clinics_near_me_nearest_first_and_the_place_kept_nowhere(harness, caplog) -> None:
    await import_samples(harness.engine)
    for who, language, near, received, unknown in (
        (IVANOV, "ru", "Рядом со мной", "Местоположение получено", "расстояние неизвестно"),
        (SHMOLINA, "en", "Near me", "Location received", "distance unknown"),
    ):
        chat = await cabinet_chat(harness, who, language_code=language)
        listing = await open_clinics(chat) if who == IVANOV else (await chat.send("/clinics"))[0]
        await chat.press(near, listing)
        keyboard = harness.emulator.reply_keyboard(who)
        assert keyboard["keyboard"][0][0]["request_location"] is True  # Telegram's own location button
        with caplog.at_level("DEBUG"):
            sent = await chat.share_location(*RED_SQUARE)
        assert received in sent[0].text and sent[0].reply_markup == {"remove_keyboard": True}
        text = sent[-1].text
        # FR20's clinics from Red Square: Тверская 0.96 km, Бауманская 4.2 km, Ленинский 6.5 km, Уфа, then the
        # insurer's desk, which has no coordinates.
        names = ["«Улыбка»", "«Семейный доктор»", "«Здоровье»", "«Мать и дитя»", "Медицинский пульт"]
        positions = [text.index(name) for name in names]
        assert positions == sorted(positions), text
        assert ("960 м" if language == "ru" else "960 m") in text
        assert ("4,2 км" if language == "ru" else "4.2 km") in text and unknown in text
        # The place is in no log line and not in the dialog's data.
        assert "55.75" not in caplog.text and "37.62" not in caplog.text
        key = StorageKey(bot_id=harness.bot.id, chat_id=who, user_id=who)
        assert "55.75" not in str(await harness.dp.storage.get_data(key))
        # Each clinic opens as from the list, with its map.
        card = (await chat.press("«Улыбка»", sent[-1]))[0]
        venue = (await chat.press("📍", card))[-1]
        assert venue.kind == "venue" and venue.venue["latitude"] == 55.76


async def test_cancel_instead_of_the_location(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, SHMOLINA)
    listing = (await chat.send("/clinics"))[0]
    await chat.press("Рядом со мной", listing)
    asked_again = (await chat.send("где я?"))[0]
    assert "Отправить моё местоположение" in asked_again.text
    back = await chat.send("Отмена")
    assert back[0].reply_markup == {"remove_keyboard": True} and "Клиники по полису" in back[-1].text

"""/policies end to end: the sample people's policies, relatives under the holder, ownership, limits."""

from sqlalchemy import update

from core.db.models import Program
from tests.bot.cabinet_fixtures import (
    IVANOV,
    IVANOVA,
    KUZNETSOV,
    cabinet_chat,
    import_samples,
    person_id,
)

REGISTRY_HEADER = (
    "policy_number;last_name;first_name;patronymic;birth_date;phone;email;category;holder_policy_number;"
    "personnel_number;contract_number;employer;program_code;valid_from;valid_to"
)


async def test_holder_sees_own_policy_then_relatives_and_opens_a_card(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/policies"))[0]
    text = listing.text
    assert text.index("123/14") < text.index("АМ012345682/13") < text.index("АМ012345683/13")
    assert "Иванова Мария Сергеевна" in text and "Полис родственника (счета оплачиваете вы)" in text
    assert "Добавить полис ребёнка" in str(listing.buttons())

    card = (await chat.press("123/14"))[0]
    assert card.message_id == listing.message_id  # edited in place
    for expected in (
        "Полис № 123/14",
        "Ваш полис",
        "Иванов Иван Иванович",
        "Стандарт с франшизой 20%",
        "Договор: К-2026/001, ООО «Ромашка»",
        "с 01.01.2026 по 31.12.2027",
        "Статус: ✅ действует",
        "Франшиза: не активирована",
        "Поликлиника и стоматология с оплатой 20% стоимости услуг",
    ):
        assert expected in card.text
    assert [b["text"] for b in card.buttons()] == [
        "🏥 Клиники по полису",
        "💳 Франшиза",
        "🩺 Оказанные услуги",
        "📄 Памятка для клиники (PDF)",
        "‹ Мои полисы",
    ]
    own = await person_id(harness.engine, "123/14")
    await chat.press_forged(card, f"pol:{own}")  # a double tap: the same screen, "not modified" is no error

    wife = (await chat.press("Мои полисы"))[0]
    card = (await chat.press("АМ012345682/13", wife))[0]
    assert "Иванова Мария Сергеевна" in card.text and "Полис родственника" in card.text


async def test_a_relative_sees_her_own_policy_only_and_an_expired_one_says_so(harness) -> None:
    await import_samples(harness.engine)
    wife = await cabinet_chat(harness, IVANOVA)
    text = (await wife.send("/policies"))[0].text
    assert "АМ012345682/13" in text and "123/14" not in text and "АМ012345683/13" not in text
    assert "Добавить полис ребёнка" not in str(wife.last.buttons())  # relatives do not add children

    kuznetsov = await cabinet_chat(harness, KUZNETSOV)
    await kuznetsov.send("/policies")
    card = (await kuznetsov.press("АМ012345684/13"))[0]
    assert "Статус: ⛔ срок действия истёк" in card.text and "Франшиза: не требуется" in card.text
    assert "💳 Франшиза" not in str(card.buttons())


async def test_someone_elses_policy_id_is_refused(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/policies"))[0]
    stranger = await person_id(harness.engine, "AM012345678/13")  # Шмолина, another employee
    answer = await chat.press_forged(listing, f"pol:{stranger}")
    assert answer["show_alert"] is True and "недоступно" in answer["text"]
    assert "Шмолина" not in harness.emulator.transcript(IVANOV)
    answer = await chat.press_forged(listing, "pol:not-a-number")
    assert answer["show_alert"] is True  # malformed data: the stale-button answer


async def test_many_relatives_are_paged_and_a_long_description_fits(harness) -> None:
    relatives = "\n".join(
        f"REL-{n:03d};Иванов;Павел;Иванович;01.01.2000;;;relative;123/14;;К-2026/001;ООО «Ромашка»;FR20;"
        "01.01.2026;31.12.2027"
        for n in range(20)
    )
    await import_samples(harness.engine, ("registry", f"{REGISTRY_HEADER}\n{relatives}".encode()))
    async with harness.engine.begin() as conn:
        long_description = "<Описание & условия> " * 500  # 10 500 characters, HTML-unsafe
        await conn.execute(update(Program).where(Program.code == "FR20").values(description=long_description))
    chat = await cabinet_chat(harness, IVANOV)
    first = (await chat.send("/policies"))[0]
    assert "Страница 1 из 3" in first.text and len(first.text) < 4096
    last = (await chat.press("Дальше ›"))[0]
    last = (await chat.press("Дальше ›", last))[0]
    assert "Страница 3 из 3" in last.text and "Дальше ›" not in str(last.buttons())
    card = (await chat.press("REL-019", last))[0]
    assert "<Описание & условия>" in card.text and card.text.endswith("…") and len(card.text) < 4096
    await chat.send("/menu")
    franchise = (await chat.press("Франшиза"))[0]
    assert "Страница 1 из 3" in franchise.text
    assert "Страница 2 из 3" in (await chat.press("Дальше ›", franchise))[0].text


async def test_english(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    await chat.send("/policies")
    card = (await chat.press("123/14"))[0]
    assert "Policy No. 123/14" in card.text and "Valid: from 1 Jan 2026 to 31 Dec 2027" in card.text
    assert "Deductible: not activated" in card.text and "ranchise" not in card.text

    menu = (await chat.send("/menu"))[0]
    assert [b["text"] for b in menu.buttons()][:6] == [
        "📄 My policies",
        "🏥 Clinics",
        "💳 Deductible",
        "🧾 My invoices",
        "✉️ Requests",
        "⚙️ Settings",
    ]


async def test_unregistered_users_are_sent_to_start(harness) -> None:
    await import_samples(harness.engine)
    stranger = harness.chat(7777)
    for command in ("/policies", "/clinics", "/requests", "/settings"):
        assert "Отправьте /start" in (await stranger.send(command))[0].text
    # A cabinet button (an old message, or a forged one) from an unregistered user:
    answer = await stranger.press_forged(stranger.last, "menu:policies")
    assert answer["show_alert"] is True and "/start" in answer["text"]
    ivanov = await person_id(harness.engine, "123/14")
    answer = await stranger.press_forged(stranger.last, f"pol:{ivanov}")
    assert answer["show_alert"] is True and "/start" in answer["text"]

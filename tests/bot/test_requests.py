"""/requests end to end: the four kinds, numbers and statuses, staff replies, ownership, long texts."""

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from core.db.models import Account, UserRequest
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples, person_id


async def new_request(chat, button: str, text: str) -> str:
    await chat.send("/requests")
    await chat.press(button)
    return (await chat.send(text))[0].text


async def staff_reply(engine, number: int, reply: str) -> None:
    """What the staff side (the admin issue) will do: a reply, and the status "answered"."""
    async with engine.begin() as conn:
        await conn.execute(
            update(UserRequest)
            .where(UserRequest.id == number)
            .values(
                reply=reply,
                status="answered",
                replied_at=datetime(2026, 11, 21, 12, 30, tzinfo=UTC),
                replied_by_telegram_id=9002,
            )
        )


async def test_callback_request_gets_a_number_a_reply_and_is_closed(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/requests")
    prompt = (await chat.press("Заказать обратный звонок"))[0]
    assert "Когда вам удобно принять звонок" in prompt.text
    done = await chat.send("завтра с 10 до 12")
    assert "Обращение № 1 (Обратный звонок) принято" in done[0].text
    async with harness.engine.connect() as conn:
        request = (await conn.execute(select(UserRequest))).one()
        account_id = await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV))
    assert (request.account_id, request.person_id) == (account_id, await person_id(harness.engine, "123/14"))
    assert (request.kind, request.status, request.text) == ("callback", "new", "")
    assert request.preferred_time == "завтра с 10 до 12"
    assert request.created_at is not None and request.reply is None

    listing = (await chat.send("/requests"))[0]
    assert "№ 1 · Обратный звонок · новое · 21.11.2026" in listing.text
    card = (await chat.press("№ 1"))[0]
    assert "Удобное время звонка: завтра с 10 до 12" in card.text and "Статус: новое" in card.text

    await staff_reply(harness.engine, 1, "Позвоним завтра в 10:30 <врач>.")
    card = (await chat.press("Обращения", card))[0]
    card = (await chat.press("№ 1", card))[0]
    assert "Статус: есть ответ" in card.text and "Ответ (21.11.2026 15:30):" in card.text  # Moscow time
    assert "Позвоним завтра в 10:30 <врач>." in card.text
    closed = (await chat.press("Закрыть обращение", card))[0]
    assert "Статус: закрыто" in closed.text and "Закрыть" not in str(closed.buttons())


async def test_curator_and_personal_data_requests_newest_first_and_input_errors(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/requests")
    await chat.press("Вопрос врачу-куратору")
    error = (await chat.send("?" * 2001))[0].text
    assert "Слишком длинный текст" in error and "Пример:" in error
    assert "№ 1 (Вопрос врачу-куратору) принято" in (await chat.send("Какие анализы сдать?"))[0].text
    assert "№ 2 (Изменение личных данных) принято" in await new_request(chat, "Изменить личные данные", "Новый паспорт")
    listing = (await chat.send("/requests"))[0].text
    assert listing.index("№ 2") < listing.index("№ 1")


async def test_requests_are_paged_and_a_long_reply_is_split_not_refused(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    async with harness.engine.begin() as conn:
        account_id = await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV))
        await conn.execute(
            insert(UserRequest),
            [
                {
                    "account_id": account_id,
                    "kind": "curator",
                    "status": "new",
                    "text": f"Вопрос {n}",
                    "created_at": datetime(2026, 11, n, 9, tzinfo=UTC),
                    "updated_at": datetime(2026, 11, n, 9, tzinfo=UTC),
                }
                for n in range(1, 11)
            ],
        )
    first = (await chat.send("/requests"))[0]
    assert "Страница 1 из 2" in first.text and "№ 10" in first.text and "№ 2 " not in first.text
    second = (await chat.press("Дальше ›"))[0]
    assert "№ 2 " in second.text and "№ 1 " in second.text

    await staff_reply(harness.engine, 1, "Ответ врача. " * 900)  # 11 700 characters
    shown = await chat.press("№ 1 ", second)
    assert shown[0].message_id == second.message_id and "Вопрос 1" in shown[0].text
    assert len(shown) >= 4 and all(len(m.text) <= 4096 for m in shown)
    assert sum(m.text.count("Ответ врача.") for m in shown) == 900


async def test_someone_elses_request_is_refused(harness) -> None:
    await import_samples(harness.engine)
    shmolina = await cabinet_chat(harness, SHMOLINA)
    await new_request(shmolina, "Вопрос врачу-куратору", "Личный вопрос Шмолиной")
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/requests"))[0]
    for data in ("req:1", "reqx:1"):
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "недоступно" in answer["text"]
    answer = await chat.press_forged(listing, "reqn:complaint")  # no such kind
    assert answer["show_alert"] is True
    assert "Шмолиной" not in harness.emulator.transcript(IVANOV)
    async with harness.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "new"


async def test_english_requests(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    listing = (await chat.send("/requests"))[0]
    assert "You have no requests yet." in listing.text
    await chat.press("Add a clinic")
    assert "Request No. 1 (Add a clinic) is received" in (await chat.send("Zdorovye, Kazan"))[0].text


EMOJI = "😀"  # two UTF-16 units, as Telegram counts


async def test_a_request_of_2000_emoji_is_refused_with_the_limit_explained(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/requests")
    await chat.press("Вопрос врачу-куратору")
    error = (await chat.send(EMOJI * 2000))[0].text
    assert "Слишком длинный текст: 4\u00a0000 знаков при пределе 2\u00a0000" in error
    assert "эмодзи считается за два знака" in error and "Пример:" in error
    assert "№ 1 (Вопрос врачу-куратору) принято" in (await chat.send(EMOJI * 1000))[0].text

    english = await cabinet_chat(harness, SHMOLINA, language_code="en")
    await english.send("/requests")
    await english.press("Ask the curator doctor")
    error = (await english.send(EMOJI * 1001))[0].text
    assert "The text is too long: 2,002 characters, the limit is 2,000 (an emoji counts as two" in error


async def test_any_stored_request_opens_within_telegrams_limit_whatever_the_reply(harness) -> None:
    """Requests stored before the limit was counted in UTF-16 units (2,000 emoji, 100 emoji of preferred
    time), with replies in emoji of every length: each card and each part of a reply fits one message."""
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    async with harness.engine.begin() as conn:
        account_id = await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV))
        await conn.execute(
            insert(UserRequest),
            [
                {
                    "account_id": account_id,
                    "kind": "callback",
                    "status": "new",
                    "text": EMOJI * 2000,
                    "preferred_time": EMOJI * 100,
                    "created_at": at,
                    "updated_at": at,
                }
                for _ in range(4)
            ],
        )
    replies = {1: EMOJI * 700, 2: EMOJI * 1500, 3: (EMOJI * 30 + "\n") * 200, 4: EMOJI * 9000}
    for number, reply in replies.items():
        await staff_reply(harness.engine, number, reply)
    listing = (await chat.send("/requests"))[0]
    for number, reply in replies.items():
        shown = await chat.press(f"№ {number} ", listing)
        # The emulator refuses a message over 4,096 UTF-16 units: reaching here means each one fit.
        assert shown[0].message_id == listing.message_id and "Статус: есть ответ" in shown[0].text
        assert sum(m.text.count(EMOJI) for m in shown) >= reply.count(EMOJI)  # nothing of the reply lost
        listing = (await chat.press("Обращения", shown[0]))[0]


async def test_ids_too_big_for_a_database_are_stale_buttons_not_errors(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/requests"))[0]
    huge = "9999999999999999999999999"
    for data in (
        f"req:{huge}",
        f"reqx:{huge}",
        f"reqs:{huge}",
        f"pol:{huge}",
        f"pols:{huge}",
        f"cls:{huge}:0:",
        f"clc:{huge}:c1:0:",
        f"clc:1:c1:{huge}:",
        f"fr:{huge}",
        "req:-1",
        f"req:{2**31}",
    ):
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "устарела" in answer["text"], data
    assert "недоступно" in (await chat.press_forged(listing, f"req:{2**31 - 1}"))["text"]  # in range: just not his

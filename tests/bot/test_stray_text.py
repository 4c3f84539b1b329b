"""Text and files where buttons are expected: the way on, and the typed text offered to support as a
question (it lands in the requests table as any support question, within the 3-a-day limit), registered or
not, in Russian and English."""

from sqlalchemy import select

from core.db.models import Account, UserRequest
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples

STRANGER = 7101


async def requests(harness) -> list[tuple[str, str, int]]:
    async with harness.engine.connect() as conn:
        rows = await conn.execute(
            select(UserRequest.kind, UserRequest.text, Account.telegram_id).join(
                Account, Account.id == UserRequest.account_id
            )
        )
        return [tuple(row) for row in rows]


async def test_an_unregistered_person_sends_the_typed_text_to_support(harness) -> None:
    chat = harness.chat(STRANGER)
    answer = (await chat.send("Как мне получить полис?"))[-1]
    assert "Не понял сообщение" in answer.text and "поддержку" in answer.text
    assert [b["text"] for b in answer.buttons()] == ["✉️ Отправить это в поддержку", "▶️ Начать"]
    received = (await chat.press("Отправить это в поддержку", answer))[-1]
    assert received.message_id == answer.message_id  # the offer becomes its result
    assert "Ваш вопрос № 1 принят" in received.text and received.button("Начать")
    assert await requests(harness) == [("support", "Как мне получить полис?", STRANGER)]
    # The offer is taken once: a second press finds nothing waiting.
    await chat.press_forged(received, "sup:send")
    assert "уже отправлено" in chat.emulator.callback_answers[-1]["text"]
    assert len(await requests(harness)) == 1


async def test_a_registered_person_gets_the_main_menu_and_the_offer_in_english(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    answer = (await chat.send("When will my invoice come?"))[-1]
    assert "I did not understand that" in answer.text
    assert [b["text"] for b in answer.buttons()] == ["✉️ Send this to support", "Main menu"]
    received = (await chat.press("Send this to support", answer))[-1]
    assert "Your question No. 1 is received" in received.text and received.button("Main menu")
    assert await requests(harness) == [("support", "When will my invoice come?", IVANOV)]
    menu = (await chat.press("Main menu", received))[-1]
    assert "Main menu" in menu.text


async def test_the_latest_text_is_the_one_sent(harness) -> None:
    chat = harness.chat(STRANGER)
    first = (await chat.send("первое"))[-1]
    await chat.send("второе")
    await chat.press("Отправить это в поддержку", first)
    assert await requests(harness) == [("support", "второе", STRANGER)]


async def test_no_offer_once_the_days_questions_are_used_up(harness) -> None:
    chat = harness.chat(STRANGER)
    for n in (1, 2, 3):
        await chat.send(f"Вопрос {n}")
        assert f"№ {n} принят" in (await chat.press("Отправить это в поддержку"))[-1].text
    answer = (await chat.send("Вопрос 4"))[-1]
    assert "Не понял" in answer.text and not any("Отправить это" in b["text"] for b in answer.buttons())
    assert answer.button("Начать")
    # An offer made before the limit was reached is refused by the limit, as any question.
    other = harness.chat(STRANGER + 1)
    for n in (1, 2):
        await other.send(f"Q{n}")
        await other.press("Отправить это в поддержку")
    offer = (await other.send("Q3"))[-1]
    await other.send("/help")
    await other.press("Написать в поддержку")
    assert "№ 6 принят" in (await other.send("Q via the form"))[-1].text
    refused = (await other.press("Отправить это в поддержку", offer))[-1]
    assert "не больше 3 вопросов" in refused.text
    assert len(await requests(harness)) == 6


async def test_a_file_gets_the_way_on_and_the_support_button(harness) -> None:
    chat = harness.chat(STRANGER, language_code="en")
    answer = (await chat.upload("photo.jpg", b"\xff\xd8\xff"))[-1]
    assert "I do not read messages like this" in answer.text
    assert [b["text"] for b in answer.buttons()] == ["✉️ Write to support", "▶️ Start"]
    ru = harness.chat(STRANGER + 1)
    answer = (await ru.upload("photo.jpg", b"\xff\xd8\xff"))[-1]
    assert "Такие сообщения я не читаю" in answer.text and answer.button("Написать в поддержку")

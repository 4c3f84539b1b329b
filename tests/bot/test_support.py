"""A question to support end to end: without registration, in the staff desk's queue, at most 3 a day,
audited; and from the cabinet's /requests."""

from sqlalchemy import insert, select

from core.db.models import Account, AuditEvent, LimitCounter, UserRequest
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples
from tests.harness import TODAY

STRANGER = 7001


async def ask(chat, question: str, *, button: str = "Написать в поддержку"):
    await chat.press(button)
    return (await chat.send(question))[-1]


async def test_an_unregistered_person_asks_support_from_help(harness) -> None:
    chat = harness.chat(STRANGER)
    helped = (await chat.send("/help"))[0]
    assert helped.button("Написать в поддержку") and helped.button("Начать")
    prompt = (await chat.press("Написать в поддержку", helped))[0]
    assert prompt.message_id != helped.message_id  # what led here stays on the screen
    assert "Вопрос в поддержку" in prompt.text and "регистрация для этого не нужна" in prompt.text
    assert prompt.button("Отмена")
    received = (await chat.send("Не могу зарегистрироваться:\x00 бот не находит мой полис"))[0]
    assert "Ваш вопрос № 1 принят. Ответ придёт сюда" in received.text
    assert [b["text"] for b in received.buttons()] == ["▶️ Начать"]  # the way on for the unregistered

    async with harness.engine.connect() as conn:
        request = (await conn.execute(select(UserRequest))).one()
        account = (await conn.execute(select(Account).where(Account.telegram_id == STRANGER))).one()
        events = (
            await conn.execute(
                select(AuditEvent.action, AuditEvent.object_id, AuditEvent.reason).where(
                    AuditEvent.actor_telegram_id == STRANGER
                )
            )
        ).all()
    assert (request.account_id, request.person_id, request.kind, request.status) == (account.id, None, "support", "new")
    assert request.text == "Не могу зарегистрироваться: бот не находит мой полис"  # the NUL is gone
    assert account.insured_person_id is None
    assert ("support.asked", "1", None) in events


async def test_at_most_three_questions_a_day(harness) -> None:
    chat = harness.chat(STRANGER)
    await chat.send("/help")
    for n in (1, 2, 3):
        assert f"№ {n} принят" in (await ask(chat, f"Вопрос {n}")).text
    await chat.send("/help")
    refused = (await chat.press("Написать в поддержку"))[0]
    assert "не больше 3 вопросов" in refused.text and refused.button("Начать")
    assert "Не понял" in (await chat.send("Вопрос 4"))[0].text  # no form was opened
    async with harness.engine.connect() as conn:
        assert len((await conn.execute(select(UserRequest))).all()) == 3
    # Another person is not affected.
    other = harness.chat(STRANGER + 1)
    await other.send("/help")
    assert "№ 4 принят" in (await ask(other, "Мой вопрос")).text


async def test_a_prompt_opened_before_the_limit_is_still_held_to_it(harness) -> None:
    chat = harness.chat(STRANGER)
    await chat.send("/help")
    await chat.press("Написать в поддержку")
    # Meanwhile three questions are asked from another device of the same Telegram user.
    async with harness.engine.begin() as conn:
        await conn.execute(
            insert(LimitCounter).values(name="support.questions", subject=str(STRANGER), window=TODAY, count=3)
        )
    refused = (await chat.send("Ещё вопрос"))[0]
    assert "не больше 3 вопросов" in refused.text and refused.button("Начать")
    async with harness.engine.connect() as conn:
        assert (await conn.execute(select(UserRequest))).all() == []
        reasons = await conn.scalars(select(AuditEvent.reason).where(AuditEvent.action == "support.refused"))
        assert list(reasons) == ["too_many_questions"]


async def test_cancel_and_input_errors_in_english(harness) -> None:
    chat = harness.chat(STRANGER, language_code="en")
    await chat.send("/help")
    prompt = (await chat.press("Write to support"))[0]
    assert "A question to support" in prompt.text and "no registration is needed" in prompt.text
    error = (await chat.send("?" * 2001))[0].text
    assert "The text is too long: 2,001 characters, the limit is 2,000" in error and "Example:" in error
    error = (await chat.send("\u2800\u200b \u3164\ufeff\u00ad"))[0].text  # blank, though not empty
    assert "The text is empty" in error and "Example:" in error
    cancelled = (await chat.press("Cancel", prompt))[0]
    assert cancelled.message_id == prompt.message_id and cancelled.text == "The question is not sent."
    assert [b["text"] for b in cancelled.buttons()] == ["▶️ Start"]
    assert "I did not understand" in (await chat.send("My question"))[0].text
    await chat.press("Write to support")
    assert "Please write your question as text" in (await chat.share_contact("+79161234567"))[0].text
    done = (await chat.send("I cannot register"))[0]
    assert "Your question No. 1 is received. The answer will come here" in done.text


async def test_a_registered_user_asks_from_requests_and_sees_the_question_there(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/requests"))[0]
    assert listing.button("Написать в поддержку")
    received = await ask(chat, "Когда придёт новый полис?")
    assert "№ 1 принят" in received.text and [b["text"] for b in received.buttons()] == ["Главное меню"]
    listing = (await chat.send("/requests"))[0]
    assert "№ 1 · Вопрос в поддержку · новое" in listing.text
    card = (await chat.press("№ 1", listing))[0]
    assert "Обращение № 1 — Вопрос в поддержку" in card.text
    assert "Когда придёт новый полис?" in card.text
    async with harness.engine.connect() as conn:
        request = (await conn.execute(select(UserRequest))).one()
    assert (request.kind, request.person_id) == ("support", None)  # registered, yet it concerns no policy
    # The cabinet's form of another kind cannot be turned into a support question (no daily limit there).
    answer = await chat.press_forged(listing, "reqn:support")
    assert answer["show_alert"] is True


async def test_control_characters_never_reach_postgresql(harness_pg_redis) -> None:
    harness = harness_pg_redis
    await import_samples(harness.engine)
    stranger = harness.chat(STRANGER)
    await stranger.send("/help")
    assert "№ 1 принят" in (await ask(stranger, "NUL\x00 внутри\x1b")).text
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/requests")
    await chat.press("Вопрос врачу-куратору")
    assert "№ 2 (Вопрос врачу-куратору) принято" in (await chat.send("Анализ\x00 крови"))[0].text
    await chat.send("/requests")
    await chat.press("Заказать обратный звонок")
    assert "№ 3" in (await chat.send("завтра\x00 в 10"))[0].text
    async with harness.engine.connect() as conn:
        stored = (
            await conn.execute(select(UserRequest.text, UserRequest.preferred_time).order_by(UserRequest.id))
        ).all()
    assert [tuple(row) for row in stored] == [("NUL внутри", None), ("Анализ крови", None), ("", "завтра в 10")]

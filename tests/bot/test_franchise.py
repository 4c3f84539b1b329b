"""Franchise activation end to end: the terms, consent by the payer, the next working day."""

from datetime import date

import pytest
from sqlalchemy import select

from core.cabinet.franchise import TERMS_VERSION
from core.db.models import Account, FranchiseActivation
from tests.bot.cabinet_fixtures import (
    IVANOV,
    IVANOVA,
    SALTYKOV,
    SEMENOVA,
    cabinet_chat,
    import_samples,
    person_id,
)
from tests.bot.payment_fixtures import issue_samples
from tests.harness import BotHarness

FRIDAY_BEFORE_HOLIDAY = date(2026, 2, 20)  # Monday 23 February is Defender of the Fatherland Day


@pytest.fixture
async def friday(emulator, sms_gateway, smtp_sink, sqlite_url):
    harness = await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url, bot_today=FRIDAY_BEFORE_HOLIDAY)
    yield harness
    await harness.close()


async def test_consent_on_a_friday_before_a_holiday_takes_effect_on_tuesday(
    friday, emulator, sms_gateway, smtp_sink, sqlite_url
) -> None:
    await import_samples(friday.engine)
    chat = await cabinet_chat(friday, IVANOV)
    await chat.send("/policies")
    await chat.press("123/14")
    terms = (await chat.press("Франшиза"))[0]
    assert "20 %" in terms.text and "в течение 30 рабочих дней" in terms.text
    assert "клиники по франшизе будут недоступны" in terms.text and "1,5–2 месяцев" in terms.text
    done = (await chat.press("Согласен, активировать"))[0]
    assert "Клиники по франшизе доступны с 24.02.2026" in done.text

    async with friday.engine.connect() as conn:
        activation = (await conn.execute(select(FranchiseActivation))).one()
        account_id = await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV))
    assert activation.person_id == await person_id(friday.engine, "123/14")
    assert (activation.consented_by_account_id, activation.consented_by_telegram_id) == (account_id, IVANOV)
    assert (activation.effective_from, activation.terms_version) == (date(2026, 2, 24), TERMS_VERSION)

    await chat.send("/clinics")
    await chat.press("123/14")
    card = (await chat.press("Улыбка"))[0]
    assert "Недоступна, пока не действует франшиза" in card.text  # not before Tuesday
    await chat.send("/policies")
    assert "активирована, действует с 24.02.2026" in (await chat.press("123/14"))[0].text

    tuesday = await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url, bot_today=date(2026, 2, 24))
    try:
        chat = tuesday.chat(IVANOV)
        await chat.send("/policies")
        assert "Франшиза: действует с 24.02.2026" in (await chat.press("123/14"))[0].text
        await chat.send("/clinics")
        await chat.press("123/14")
        assert "✅ Доступна по вашему полису." in (await chat.press("Улыбка"))[0].text
    finally:
        await tuesday.close()


async def test_the_payer_activates_for_relatives_and_a_relative_cannot(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    section = (await chat.send("/menu"))[0]
    listing = (await chat.press("Франшиза", section))[0]
    assert listing.message_id == section.message_id
    assert listing.text.count("Франшиза 20 %: не активирована") == 3  # his, his wife's, his son's

    wife = await cabinet_chat(harness, IVANOVA)
    await wife.send("/policies")
    await wife.press("АМ012345682/13")
    screen = (await wife.press("Франшиза"))[0]  # her own policy's, not yet activated: the holder's to do
    assert "активирует тот, кто оплачивает его счета" in screen.text and "Согласен" not in str(screen.buttons())
    answer = await wife.press_forged(screen, f"frok:{await person_id(harness.engine, 'АМ012345682/13')}")
    assert answer["show_alert"] is True and "держатель полиса" in answer["text"]

    await chat.press("АМ012345682/13")
    assert "с 23.11.2026" in (await chat.press("Согласен, активировать"))[0].text  # Saturday → Monday
    await wife.send("/policies")
    card = (await wife.press("АМ012345682/13"))[0]
    assert "активирована, действует с 23.11.2026" in card.text
    await wife.send("/menu")
    await wife.press("Франшиза")
    screen = (await wife.press("АМ012345682/13"))[0]
    assert "уже активирована" in screen.text and "Согласен" not in str(screen.buttons())


async def test_refusals_forged_double_press_and_no_franchise(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    await chat.press("123/14")
    terms = (await chat.press("Франшиза"))[0]
    stranger = await person_id(harness.engine, "AM012345678/13")
    for data in (f"fr:{stranger}", f"frok:{stranger}"):
        answer = await chat.press_forged(terms, data)
        assert answer["show_alert"] is True and "недоступно" in answer["text"]
    await chat.press_forged(terms, f"frok:{await person_id(harness.engine, '123/14')}")
    answer = await chat.press_forged(terms, f"frok:{await person_id(harness.engine, '123/14')}")  # a double press
    assert answer["show_alert"] is True and "уже активирована" in answer["text"]
    async with harness.engine.connect() as conn:
        assert len((await conn.execute(select(FranchiseActivation))).all()) == 1

    saltykov = await cabinet_chat(harness, SALTYKOV)
    await saltykov.send("/menu")
    listing = (await saltykov.press("Франшиза"))[0]
    assert "Ни одна из ваших программ не предусматривает франшизу" in listing.text
    answer = await saltykov.press_forged(listing, f"fr:{await person_id(harness.engine, 'АМ012345680/13')}")
    assert answer["show_alert"] is True and "без франшизы" in answer["text"]


async def test_terms_follow_the_program_in_both_languages(harness) -> None:
    await import_samples(harness.engine)
    semenova = await cabinet_chat(harness, SEMENOVA)
    await semenova.send("/menu")
    await semenova.press("Франшиза")
    terms = (await semenova.press("АМ012345681/13"))[0].text
    assert "30 %" in terms and "в течение 90 календарных дней" in terms and "медицинский пульт страховщика" in terms

    english = await cabinet_chat(harness, IVANOV, language_code="en")
    await english.send("/menu")
    listing = (await english.press("Deductible"))[0].text
    assert "Deductible 20%: " in listing and " %" not in listing  # the percent sign the English way
    terms = (await english.press("123/14"))[0].text
    assert (
        "share of the cost of medical services: 20%." in terms
        and "within 30 working days" in terms
        and "I agree" in str(english.last.buttons())
    )
    assert "The deductible (co-payment) is your share" in terms and "ranchise" not in terms


async def test_the_consent_stays_on_record_when_the_account_is_deleted(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/menu")
    await chat.press("Франшиза")
    await chat.press("123/14")
    await chat.press("Согласен, активировать")
    await chat.send("/delete_me")
    await chat.press("Удалить мои данные")
    async with harness.engine.connect() as conn:
        activation = (await conn.execute(select(FranchiseActivation))).one()
        assert await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV)) is None
    # Kept on the insured person's record, without who gave it (erasure anonymises it).
    assert (activation.consented_by_account_id, activation.consented_by_telegram_id) == (None, None)
    assert activation.terms_version and activation.consented_at and activation.effective_from


async def _activate_under_a_debt(harness: BotHarness, language_code: str):
    # Invoices issued on 01.10.2026, due 13.11.2026.
    await import_samples(harness.engine)
    await issue_samples(harness)
    await harness.container.billing.run_daily()  # past 13.11.2026: his invoices are overdue
    chat = await cabinet_chat(harness, IVANOV, language_code=language_code)
    await chat.send("/policies")
    await chat.press("123/14")
    await chat.press("💳")
    return chat, (await chat.press("✅"))[0]


async def test_activated_under_a_debt_says_what_will_happen_and_offers_to_pay(harness) -> None:
    chat, done = await _activate_under_a_debt(harness, "ru")
    assert "Франшиза: приостановлена до оплаты счёта" in done.text
    assert "Клиники по франшизе доступны с" not in done.text  # no contradiction on one screen
    assert "станут доступны, как только долг будет оплачен" in done.text
    offer = (await chat.press("Оплатить долг", done))[-1]
    assert "2026/10/1" in offer.text and "2026/10/3" in offer.text


async def test_activated_under_a_debt_in_english(harness) -> None:
    _, done = await _activate_under_a_debt(harness, "en")
    assert "suspended until the invoice is paid" in done.text and "available from" not in done.text
    assert "open as soon as the debt is paid" in done.text and done.button("Pay the debt")

"""Services rendered (SOGAZ 4.1) end to end, in Russian and English: the sample bills issued on 01.10.2026
give Иванов his own three AlfaStrakhovanie lines, his wife's line (an adult's: "medical services" for him),
his son's; Кузнецов's 2025 line on a program without franchise has no co-pay and is never invoiced, yet
it is in his history. Reached from /invoices and from a policy card; a forged person id is refused."""

from __future__ import annotations

from datetime import date

from bot.callbacks.services import ServicesCb
from tests.bot.cabinet_fixtures import IVANOV, IVANOVA, KUZNETSOV, cabinet_chat, person_id
from tests.bot.test_invoices import issue_samples, rub


async def test_ivanov_sees_his_own_services_from_the_invoices_table(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    people = (await chat.press("Оказанные услуги", listing))[0]
    assert "Чьи услуги показать?" in people.text
    buttons = [b["text"] for b in people.buttons()]
    assert any("123/14" in b for b in buttons) and any("АМ012345682/13" in b for b in buttons)
    assert any("АМ012345683/13" in b for b in buttons)

    own = (await chat.press("123/14", people))[0]
    assert "Иванов Иван Иванович, полис № 123/14" in own.text
    assert "Закапывание в глаза: 1 шт." in own.text and "Измерение температуры: 1 шт." in own.text
    assert "Прием врача (терапевта, педиатра), к.м.н. на дому: 2 шт." in own.text
    assert (
        rub("Стоимость 2,00 ₽ · доля застрахованного (франшиза) 0,40 ₽ · счёт № 2026/10/1: 🆕 не оплачен") in own.text
    )
    assert own.text.count("счёт № 2026/10/1: 🆕 не оплачен") == 3
    assert "17.09.2026" in own.text and "медицинские услуги" not in own.text
    back = (await chat.press("Мои счета", own))[0]
    assert "№ 2026/10/3" in back.text


async def test_the_wifes_services_read_medical_services_and_the_sons_are_named(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/invoices")
    people = (await chat.press("Оказанные услуги"))[0]
    wife = (await chat.press("АМ012345682/13", people))[0]
    assert "Иванова Мария Сергеевна, полис № АМ012345682/13" in wife.text
    assert "медицинские услуги: 1 шт." in wife.text and "терапевта" not in wife.text  # an adult's health data
    assert "доля застрахованного (франшиза) 500,00" in wife.text and "счёт № 2026/10/2: ✅ оплачен" in wife.text

    listing = (await chat.send("/invoices"))[0]
    people = (await chat.press("Оказанные услуги", listing))[0]
    son = (await chat.press("АМ012345683/13", people))[0]
    assert "Прием врача-педиатра первичный: 1 шт." in son.text  # a minor's: the payer sees them
    assert "счёт № 2026/10/3: 🆕 не оплачен" in son.text

    # She, registered, sees her own service named.
    her = await cabinet_chat(harness, IVANOVA)
    listing = (await her.send("/invoices"))[0]
    own = (await her.press("Оказанные услуги", listing))[0]  # only her own policy: straight to the history
    assert "Прием врача-терапевта первичный: 1 шт." in own.text


async def test_kuznetsovs_zero_copay_line_is_not_invoiced_but_shown(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, KUZNETSOV)
    listing = (await chat.send("/invoices"))[0]
    assert "Счетов пока нет" in listing.text
    history = (await chat.press("Оказанные услуги", listing))[0]
    assert "Кузнецов Андрей Викторович" in history.text
    assert "01.10.2025" in history.text and "Прием врача-терапевта первичный: 1 шт." in history.text
    assert "доля застрахованного (франшиза) 0,00" in history.text and "счёт не выставлялся" in history.text


async def test_from_the_policy_card_and_back(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    card = (await chat.press("123/14"))[0]
    history = (await chat.press("Оказанные услуги", card))[0]
    assert "Закапывание в глаза" in history.text
    back = (await chat.press("К полису", history))[0]
    assert "Оказанные услуги" in str(back.buttons()) and "123/14" in back.text


async def test_a_forged_person_id_is_refused(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    shmolina = await person_id(harness.engine, "AM012345678/13")
    kuznetsov = await person_id(harness.engine, "АМ012345684/13")
    for data in (
        ServicesCb(person_id=shmolina).pack(),
        ServicesCb(person_id=kuznetsov, card=True).pack(),
        ServicesCb(person_id=999_999).pack(),
    ):
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "недоступно" in answer["text"], data
    transcript = harness.emulator.transcript(IVANOV)
    assert "Восстановление зуба" not in transcript and "Кузнецов" not in transcript


async def test_paging_newest_first(harness) -> None:
    await issue_samples(harness)
    header = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    rows = "".join(f"S-{n};123/14;C001;{n + 1:02d}.10.2026;;Анализ {n} {'😀' * 200};1;100.00\n" for n in range(10))
    await harness.container.billing.issue_from_bills((header + rows).encode(), date(2026, 10, 20), filename="b.csv")
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    await chat.press("123/14")
    first = (await chat.press("Оказанные услуги"))[0]  # 13 services: 8 + 5; the emulator refuses over 4,096
    assert "Страница 1 из 2" in first.text
    assert first.text.index("10.10.2026") < first.text.index("09.10.2026") < first.text.index("03.10.2026")
    assert "02.10.2026" not in first.text and "17.09.2026" not in first.text
    second = (await chat.press("Дальше", first))[0]
    assert "Страница 2 из 2" in second.text and "17.09.2026" in second.text and "Закапывание в глаза" in second.text


async def test_english(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    listing = (await chat.send("/invoices"))[0]
    people = (await chat.press("Services rendered", listing))[0]
    assert "Whose services to show?" in people.text
    own = (await chat.press("123/14", people))[0]
    assert "Иванов Иван Иванович, policy No. 123/14" in own.text
    assert "Закапывание в глаза: quantity 1" in own.text
    assert ("Cost ₽1.00 · insured person's part (deductible) ₽0.20 · invoice No. 2026/10/1: 🆕 unpaid") in own.text
    people = (await chat.press("Services rendered", (await chat.send("/invoices"))[0]))[0]
    wife = (await chat.press("АМ012345682/13", people))[0]
    assert "medical services: quantity 1" in wife.text and "invoice No. 2026/10/2: ✅ paid" in wife.text

    kuznetsov = await cabinet_chat(harness, KUZNETSOV, language_code="en")
    history = (await kuznetsov.press("Services rendered", (await kuznetsov.send("/invoices"))[0]))[0]
    assert "not invoiced" in history.text and "Прием врача-терапевта первичный: quantity 1" in history.text
    shmolina = await person_id(harness.engine, "AM012345678/13")
    answer = await chat.press_forged(listing, ServicesCb(person_id=shmolina).pack())
    assert answer["show_alert"] is True

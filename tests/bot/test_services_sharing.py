"""An adult relative lets the policy holder see the names of her services, end to end: Иванов (5001) pays
his wife's invoice 2026/10/2 (Иванова, 5005, АМ012345682/13: "Прием врача-терапевта первичный"). Until she
allows it in /settings his details and services history read "medical services"; then the name; hidden
again once she stops allowing it, or once her account is deleted. A forged button cannot change her
setting. In Russian and English."""

from __future__ import annotations

from bot.callbacks.cabinet import ServicesSharingCb
from tests.bot.cabinet_fixtures import IVANOV, IVANOVA, SHMOLINA, cabinet_chat, person_id
from tests.bot.test_invoices import issue_samples

HER_SERVICE = "Прием врача-терапевта первичный"


async def his_view_of_her_invoice(chat) -> str:
    listing = (await chat.send("/invoices"))[0]
    return (await chat.press("📄 2026/10/2", listing))[0].text


async def his_view_of_her_history(chat) -> str:
    listing = (await chat.send("/invoices"))[0]
    people = (await chat.press("Оказанные услуги", listing))[0]
    return (await chat.press("АМ012345682/13", people))[0].text


async def test_she_allows_then_stops_allowing_then_leaves(harness) -> None:
    await issue_samples(harness)
    him = await cabinet_chat(harness, IVANOV)
    her = await cabinet_chat(harness, IVANOVA)

    details = await his_view_of_her_invoice(him)
    assert "медицинские услуги: 1 шт." in details and "терапевта" not in details
    assert "терапевта" not in await his_view_of_her_history(him)
    assert "держателю" not in (await him.send("/settings"))[0].text  # not his to give

    screen = (await her.send("/settings"))[0]
    assert "<b>Услуги в ваших счетах</b>" in screen.html
    assert "• показывать названия услуг держателю полиса (Иванов И. И.): выкл." in screen.text
    assert "сведения о вашем здоровье; даты, клиники и суммы держатель полиса видит в любом случае" in screen.text
    screen = (await her.press("Показывать услуги держателю: выкл.", screen))[0]
    assert "• показывать названия услуг держателю полиса (Иванов И. И.): вкл." in screen.text
    assert screen.button("Показывать услуги держателю: вкл.")

    details = await his_view_of_her_invoice(him)
    assert f"{HER_SERVICE}: 1 шт." in details and "медицинские услуги" not in details
    assert f"{HER_SERVICE}: 1 шт." in await his_view_of_her_history(him)

    screen = (await her.press("Показывать услуги держателю: вкл.", screen))[0]
    assert "• показывать названия услуг держателю полиса (Иванов И. И.): выкл." in screen.text
    details = await his_view_of_her_invoice(him)
    assert "медицинские услуги: 1 шт." in details and "терапевта" not in details

    await her.press("Показывать услуги держателю: выкл.", screen)
    assert HER_SERVICE in await his_view_of_her_invoice(him)
    await her.send("/delete_me")
    assert "Ваш аккаунт удалён" in (await her.press("Удалить мои данные"))[0].text
    details = await his_view_of_her_invoice(him)
    assert "медицинские услуги: 1 шт." in details and "терапевта" not in details
    assert "терапевта" not in await his_view_of_her_history(him)


async def test_a_forged_button_changes_nobody_elses_setting(harness) -> None:
    await issue_samples(harness)
    him = await cabinet_chat(harness, IVANOV)
    her = await cabinet_chat(harness, IVANOVA)
    screen = (await her.send("/settings"))[0]
    await her.press("Показывать услуги держателю: выкл.", screen)
    holder = await person_id(harness.engine, "123/14")

    # Иванов (the holder), Шмолина (anyone) and a stranger send her "off" button: it is not theirs to press.
    listing = (await him.send("/invoices"))[0]
    answer = await him.press_forged(listing, ServicesSharingCb(allow=False, holder_id=holder).pack())
    assert answer["show_alert"] is True and "недоступно" in answer["text"]
    other = await cabinet_chat(harness, SHMOLINA)
    menu = (await other.send("/menu"))[0]
    answer = await other.press_forged(menu, ServicesSharingCb(allow=False, holder_id=holder).pack())
    assert answer["show_alert"] is True and "недоступно" in answer["text"]
    stranger = harness.chat(7777)
    start = (await stranger.send("/start"))[0]
    answer = await stranger.press_forged(start, ServicesSharingCb(allow=False, holder_id=holder).pack())
    assert answer["show_alert"] is True
    assert HER_SERVICE in await his_view_of_her_invoice(him)  # still allowed

    # Her own button naming another holder than the registry's: nothing given, the screen is refreshed.
    screen = (await her.send("/settings"))[0]
    await her.press("Показывать услуги держателю: вкл.", screen)  # off again
    shmolina = await person_id(harness.engine, "AM012345678/13")
    answer = await her.press_forged(her.last, ServicesSharingCb(allow=True, holder_id=shmolina).pack())
    assert answer["show_alert"] is True and "Держатель полиса изменился" in answer["text"]
    assert "(Иванов И. И.): выкл." in her.last.text
    assert "терапевта" not in await his_view_of_her_invoice(him)


async def test_english(harness) -> None:
    await issue_samples(harness)
    him = await cabinet_chat(harness, IVANOV, language_code="en")
    her = await cabinet_chat(harness, IVANOVA, language_code="en")

    details = await his_view_of_her_invoice(him)
    assert "medical services: quantity 1" in details and "терапевта" not in details

    screen = (await her.send("/settings"))[0]
    assert "• show the service names to the policy holder (Иванов И. И.): off" in screen.text
    assert "data about your health; the policy holder sees the dates, clinics and amounts anyway" in screen.text
    screen = (await her.press("Show services to the holder: off", screen))[0]
    assert "• show the service names to the policy holder (Иванов И. И.): on" in screen.text
    details = await his_view_of_her_invoice(him)
    assert f"{HER_SERVICE}: quantity 1" in details and "medical services" not in details

    screen = (await her.press("Show services to the holder: on", screen))[0]
    assert "(Иванов И. И.): off" in screen.text
    assert "medical services: quantity 1" in await his_view_of_her_invoice(him)

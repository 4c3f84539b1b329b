"""The policy memo: a PDF from the policy card, in the user's language, read back with pypdf; a relative's
memo only for whom the card may show it."""

import re
from io import BytesIO

from pypdf import PdfReader

from tests.bot.cabinet_fixtures import IVANOV, IVANOVA, SALTYKOV, cabinet_chat, import_samples, person_id
from tests.bot.loop_pauses import loop_pauses


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """The text with its line breaks as spaces: a long line wraps anywhere in the PDF."""
    return " ".join(text.split())


async def memo_of(chat, policy: str, button: str):
    await chat.send("/policies")
    await chat.press(policy)
    sent = await chat.press(button)
    document = next(m for m in sent if m.kind == "document")
    name, content = document.document
    assert name.endswith(".pdf") and content.startswith(b"%PDF-")
    return document, flat(pdf_text(content))


async def test_the_memo_in_russian_has_the_person_the_terms_the_clinics_and_the_desk(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    document, text = await memo_of(chat, "123/14", "Памятка")
    assert "Памятка по полису № 123/14" in document.text
    assert "Застрахованный: Иванов Иван Иванович" in text and "Полис ДМС № 123/14" in text
    assert "Программа: Стандарт с франшизой 20%" in text
    assert "Срок действия: с 01.01.2026 по 31.12.2027" in text
    assert "Ваша доля в стоимости услуг: 20 %" in text and "30 рабочих дней" in text
    assert "Статус франшизы: не активирована" in text  # labelled under its heading
    assert "Клиника «Семейный доктор» на Бауманской Москва, ул. Бауманская, 10 Телефон: +7 495 100-10-01" in text
    assert "Стоматология «Улыбка» (по франшизе)" in text
    assert "Медицинский пульт страховщика" in text and "+7 800 100-10-06" in text
    assert "Клиника «Мать и дитя»" in text  # every clinic of FR20: Уфа too


async def test_the_memo_in_english(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, SALTYKOV, language_code="en")
    await chat.send("/policies")
    document, text = await memo_of(chat, "АМ012345680/13", "Memo for the clinic")
    assert "show it at the clinic's reception" in document.text
    assert "Voluntary health insurance (DMS) memo" in text and "Insured person: Салтыков-Щедрин Михаил" in text
    assert "This program has no deductible" in text and "Phone: +7 495 100-10-05" in text
    assert "The insurer's medical desk" in text
    assert "Memo made on 21 Nov 2026." in text and "Valid from 1 " in text  # dates the English way
    assert not re.search(r"\d\d\.\d\d\.\d{4}", text)


async def test_a_relatives_memo_is_the_payers_and_no_one_elses(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    _, text = await memo_of(chat, "АМ012345682/13", "Памятка")  # his wife's: he sees her card
    assert "Застрахованный: Иванова Мария Сергеевна" in text
    wife = await cabinet_chat(harness, IVANOVA)
    await wife.send("/policies")
    card = (await wife.press("АМ012345682/13"))[0]
    husband = await person_id(harness.engine, "123/14")
    answer = await wife.press_forged(card, f"memo:{husband}")  # her husband's memo: not hers to see
    assert answer["show_alert"] and not any(m.kind == "document" for m in harness.emulator.messages(IVANOVA))


async def test_the_loop_keeps_turning_while_a_long_memo_is_built(harness) -> None:
    """A memo of 300 clinics takes fpdf2 a good part of a second: built in a thread, so the bot goes on
    answering meanwhile. Measured against the memo's own time, not a fixed bound: on a loaded machine both
    grow. Built on the event loop, the loop's longest pause was the memo's whole time."""
    header = "clinic_id;name;city;address;latitude;longitude;phone;booking_url;program_codes;franchise\n"
    many = "".join(
        f"M{n:03d};Клиника «Надёжная» №{n};Казань;ул. Баумана, {n};55.79;49.12;+7 843 200-{n:02d}-00;;FR20;no\n"
        for n in range(300)
    )
    await import_samples(harness.engine, ("clinics", (header + many).encode()))
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    await chat.press("123/14")
    async with loop_pauses() as pauses:
        sent = await chat.press("Памятка")
    document = next(m for m in sent if m.kind == "document")
    assert "Клиника «Надёжная» №10 " in flat(pdf_text(document.document[1]))
    assert pauses.took > 0.1, pauses  # long enough for a pause to show
    assert pauses.longest < pauses.took / 2, pauses

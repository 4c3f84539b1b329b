"""`python -m bot sandbox` as a person uses it: a real process, lines typed on its standard input."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import aiohttp

from tests.sandbox_terminal import Terminal, sandbox


def button_number(terminal: Terminal, text: str) -> str:
    """The number the terminal last printed for the button with this text."""
    return re.findall(rf"\[(\d+)\] {re.escape(text)}", terminal.seen)[-1]


async def register_shmolina(terminal: Terminal) -> None:
    """From the greeting to the main menu, by the policy number and an SMS code."""
    await terminal.expect("[1] ✅ Согласен")  # /start is sent for you: greeting, first consent
    await terminal.type("!1", "Правила пользования")
    await terminal.type("!1", "Уведомления")
    await terminal.type("!2", "Как вы хотите зарегистрироваться?")
    await terminal.type("!1", "Введите номер полиса")
    await terminal.type("AM012345678/13", "Введите фамилию")
    await terminal.type("Шмолина", "Введите имя")
    await terminal.type("Елена", "Введите отчество")
    await terminal.type("Вениаминовна", "Введите дату рождения")
    await terminal.type("02.07.1979", "keyboard: 📱 Поделиться номером")
    await terminal.type("8 916 100-00-02", "[SMS to +79161000002]")
    code = terminal.seen.split("[SMS to +79161000002] ")[1].split(":")[1].split(".")[0].strip()
    await terminal.type(code, "Главное меню")


async def test_a_person_registers_and_opens_the_cabinet_in_the_terminal(tmp_path: Path) -> None:
    async with sandbox(tmp_path) as terminal:
        await register_shmolina(terminal)
        await terminal.type("/policies", "AM012345678/13")
        await terminal.type("/invoices", "№ 2026/10/4")  # the sample bills are issued
        await terminal.type("!99", "the last message has buttons")  # a wrong number is explained
        # Paying: the invoice checked, Pay, the page's link printed; `!pay` pays it on the emulated YooKassa,
        # which notifies the bot; the payment shows as paid.
        await terminal.type("!" + button_number(terminal, "☐ Выбрать 2026/10/4"), "] 💳 Оплатить")
        await terminal.type("!" + button_number(terminal, "💳 Оплатить 2"), "/checkout/")
        await terminal.type("!pay", "the bot answered its notification with HTTP 200")
        await terminal.type("/payments", "✅ оплачен")
        assert await terminal.quit() == 0


async def test_the_sandbox_admin_walks_the_desk(tmp_path: Path) -> None:
    async with sandbox(tmp_path) as terminal:
        await terminal.expect("[1] ✅ Согласен")  # the first user, 100001, is in ADMIN_IDS
        await terminal.type("/admin", "Рабочее место сотрудника")
        await terminal.type("/find Иванов Иван 15.03.1985", "] 1. Иванов И. И.")  # its button printed
        await terminal.type("!" + button_number(terminal, "1. Иванов И. И."), "] ✉️ Отправить приглашение снова")
        await terminal.type("!" + button_number(terminal, "✉️ Отправить приглашение снова"), "Да, выполнить")
        await terminal.type("!" + button_number(terminal, "Да, выполнить"), "Новое приглашение отправлено на i***@")
        await terminal.type("!user 100002", "100002")
        await terminal.type("/find 123/14", "Такой команды нет")
        assert await terminal.quit() == 0


async def test_the_sandbox_shows_what_a_phone_shows(tmp_path: Path) -> None:
    """Alerts are printed, a document the bot sends is saved where the terminal says, `!M.N` presses a button
    of an earlier message, `!photo` sends a picture."""
    async with sandbox(tmp_path) as terminal:
        await terminal.expect("Documents the bot sends are saved in ")
        await terminal.expect("[1] ✅ Согласен")
        await terminal.type("!1", "Правила пользования")
        await terminal.type("!1", "Уведомления")
        await terminal.type("!2", "Как вы хотите зарегистрироваться?")
        await terminal.type("!1", "Введите номер полиса")
        await terminal.type("123/14", "Введите фамилию")
        surname = re.findall(r"bot #(\d+): Введите фамилию", terminal.seen)[-1]  # numbered as printed
        for line, then in (("Иванов", "имя"), ("Иван", "отчество"), ("Иванович", "дату рождения")):
            await terminal.type(line, then)
        await terminal.type("15.03.1985", "keyboard: 📱 Поделиться номером")
        await terminal.type("!contact", "Главное меню")
        # `!M.N`: "‹ Назад" under the surname's prompt, registration over: the refusal speaks through an alert.
        await terminal.type(f"!{surname}.1", "[alert] Эта кнопка устарела")
        await terminal.type("/invoices", "№ 2026/10/1")
        await terminal.type("!" + button_number(terminal, "⬇️ CSV"), ", saved to ")
        saved = Path(re.findall(r", saved to (.+?)\]", terminal.seen)[-1])
        folder = re.findall(r"Documents the bot sends are saved in (\S+)", terminal.seen)[0]
        assert saved.parent == Path(folder) and "2026/10/1" in saved.read_bytes().decode("utf-8-sig")
        await terminal.type("!photo", "\nbot")  # a picture where none is expected: the bot still answers
        await terminal.type("!99.1", "no message #99")
        assert "Traceback" not in terminal.seen
        assert await terminal.quit() == 0


async def test_the_sandbox_serves_the_mini_app_pages(tmp_path: Path) -> None:
    """`--webapp`: /invoices is an Open button, `!page` prints the page's address signed as Telegram opens it,
    and that `initData` opens a session that shows the person's invoices."""
    async with sandbox(tmp_path, "--webapp") as terminal:
        await register_shmolina(terminal)
        await terminal.type("/invoices", "Открыть")
        mark = len(terminal.seen)
        await terminal.type("!page", "#tgWebAppData=")
        url = re.search(r"open in a browser: (\S+)", terminal.seen[mark:]).group(1)
        page, init_data = url.split("#tgWebAppData=")
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            auth = await browser.post(page.replace("/invoices", "/auth"), data={"init_data": unquote(init_data)})
            assert auth.status == 200
            listing = await (await browser.get(page)).text()
        assert "2026/10/4" in listing and "Шмолина" in listing
        assert '"first_name":"Sandbox"' in unquote(unquote(init_data))  # signed as the terminal's user, not a stand-in
        mark = len(terminal.seen)
        await terminal.type("!page /invoices/7", "#tgWebAppData=")
        assert re.search(r"open in a browser: \S+/webapp/invoices/7#tgWebAppData=", terminal.seen[mark:])
        assert await terminal.quit() == 0

"""/roles end to end: an admin lists the staff, grants a role to a Telegram id and revokes it, each
confirmed and audited, the member's own command list set and reset; typed values checked with an example;
the configuration's roles untouchable; support and users refused as if the command did not exist; a staff
member's own registration untouched by a desk action; both languages."""

from __future__ import annotations

import pytest

from bot.callbacks.desk_roles import AuditCb, RolesCb
from tests.bot.desk.helpers import ADMIN, STALE_RU, SUPPORT, UNKNOWN_EN, UNKNOWN_RU, audit_rows, stored_roles
from tests.bot.test_registration import IVANOV_PHONE, assert_done, consent, linked_person
from tests.harness import BotHarness

NEW, USER = 7101, 7102


def commands(h: BotHarness, chat_id: int, language: str = "") -> list[str] | None:
    listed = h.emulator.chat_commands(chat_id, language)
    return None if listed is None else [c["command"] for c in listed]


async def test_an_admin_grants_and_revokes_a_role(harness: BotHarness) -> None:
    h = harness
    admin, new = h.chat(ADMIN), h.chat(NEW)
    assert (await new.send("/admin"))[0].text == UNKNOWN_RU  # a user, for now
    listed = (await admin.send("/roles"))[0]
    assert "9001 — администратор, из конфигурации" in listed.text
    assert "9002 — поддержка, из конфигурации" in listed.text
    assert "/roles grant" in listed.text and not listed.buttons()  # nothing to revoke

    confirm = (await admin.send(f"/roles grant {NEW} support"))[0]
    assert f"Выдать {NEW} роль «поддержка»? Сейчас: пользователь." in confirm.text
    assert await stored_roles(h) == {}  # not before the button
    done = (await admin.press("Выдать"))[0]
    assert f"у {NEW} роль «поддержка»" in done.text
    assert await stored_roles(h) == {NEW: "support"}
    assert commands(h, NEW) == [*USER_LIST, "admin", "find", "queue", "stats"]  # theirs, with the desk of their role
    assert commands(h, NEW, "en") == [*USER_LIST, "admin", "find", "queue", "stats"]
    assert "поддержка" in (await new.send("/admin"))[0].text  # at once: the grant dropped the cached viewer
    assert (await new.send("/roles"))[0].text == UNKNOWN_RU  # support may not

    listed = (await admin.send("/roles"))[0]
    assert f"{NEW} — поддержка, выдал {ADMIN}" in listed.text
    await admin.press(f"Отозвать роль у {NEW}")
    assert f"Отозвать у {NEW} роль «поддержка»?" in admin.last.text
    assert await stored_roles(h) == {NEW: "support"}
    assert "роль отозвана" in (await admin.press("Отозвать"))[0].text
    assert await stored_roles(h) == {}
    assert commands(h, NEW) is None and commands(h, NEW, "en") is None  # back to everyone's
    assert (await new.send("/admin"))[0].text == UNKNOWN_RU
    rows = await audit_rows(h, "role.granted", "role.revoked")
    assert [(a, actor, kind, key, d["role"], d["previous"]) for a, actor, kind, key, d in rows] == [
        ("role.granted", ADMIN, "telegram_user", str(NEW), "support", "user"),
        ("role.revoked", ADMIN, "telegram_user", str(NEW), "user", "support"),
    ]


USER_LIST = [
    "start",
    "menu",
    "policies",
    "clinics",
    "invoices",
    "pay",
    "payments",
    "requests",
    "settings",
    "language",
    "help",
    "cancel",
    "delete_me",
]


async def test_an_admin_granted_in_the_bot_may_grant_and_the_configuration_stays(harness: BotHarness) -> None:
    h = harness
    admin, new = h.chat(ADMIN, language_code="en"), h.chat(NEW, language_code="en")
    await new.send("/help")
    await admin.send(f"/roles grant {NEW} admin")
    assert "Done" in (await admin.press("Grant"))[0].text
    assert commands(h, NEW, "en") == [
        *USER_LIST,
        "admin",
        "find",
        "queue",
        "stats",
        "audit",
        "import",
        "export",
        "broadcast",
        "roles",
    ]
    assert "administrator" in (await new.send("/admin"))[0].text
    for typed, refusal in (
        (f"/roles grant {SUPPORT} admin", "comes from the configuration"),
        (f"/roles revoke {ADMIN}", "comes from the configuration"),
        (f"/roles revoke {NEW}", "your own role"),
        # The list of one who never wrote to the bot cannot be set yet: the screen says when it will be.
        (f"/roles grant {SUPPORT + 1000} support", "once they send the bot /admin"),
    ):
        await new.send(typed)
        replies = await new.press("Grant" if "grant" in typed else "Revoke")
        assert refusal in replies[0].text, typed
    assert await stored_roles(h) == {NEW: "admin", SUPPORT + 1000: "support"}


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("/roles grant abc support", "Telegram id — это число из цифр"),
        ("/roles grant -5 support", "Telegram id — это число из цифр"),
        ("/roles grant 99999999999999999999 admin", "Telegram id — это число из цифр"),
        ("/roles grant 12345", "Нужны Telegram id и роль через пробел"),
        ("/roles grant 12345 owner", "Роль — support (поддержка) или admin"),
        ("/roles revoke x", "Telegram id — это число из цифр"),
        ("/roles promote 12345", "Такой команды у /roles нет"),
    ],
)
async def test_a_wrong_typed_value_is_told_with_an_example(harness: BotHarness, typed: str, problem: str) -> None:
    reply = (await harness.chat(ADMIN).send(typed))[0].text
    assert problem in reply and "Пример: /roles grant 123456789 support" in reply
    assert await stored_roles(harness) == {} and await audit_rows(harness) == []


async def test_the_same_in_english(harness: BotHarness) -> None:
    admin = harness.chat(ADMIN, language_code="en")
    listed = (await admin.send("/roles"))[0].text
    assert "Staff" in listed and "9001 — administrator, from the configuration" in listed
    reply = (await admin.send("/roles grant 12 boss"))[0].text
    assert "The role is support or admin." in reply and "Example: /roles grant 123456789 support" in reply
    assert "Grant 4242 the role “support”? Now: user." in (await admin.send("/roles grant 4242 support"))[0].text
    await admin.press("Cancel")
    assert "Staff" in admin.last.text and await stored_roles(harness) == {}


async def test_users_and_support_get_nothing_from_roles(harness: BotHarness) -> None:
    h = harness
    for chat_id in (USER, SUPPORT):
        chat = h.chat(chat_id)
        for typed in ("/roles", f"/roles grant {chat_id} admin", "/audit", "/audit 9001"):
            assert [m.text for m in await chat.send(typed)] == [UNKNOWN_RU], (chat_id, typed)
        under = chat.last
        for forged in (
            RolesCb(action="grant", telegram_id=chat_id, role="admin"),
            RolesCb(action="revoke", telegram_id=SUPPORT),
            RolesCb(action="list"),
            AuditCb(),
            AuditCb(scope="t", value=ADMIN, page=1),
        ):
            answer = await chat.press_forged(under, forged.pack())
            assert (answer["text"], answer["show_alert"]) == (STALE_RU, True), (chat_id, forged)
    english = h.chat(USER + 1, language_code="en")
    assert (await english.send("/roles"))[0].text == UNKNOWN_EN
    assert await stored_roles(h) == {} and await audit_rows(h) == []


async def test_a_desk_action_leaves_the_staff_members_own_registration_alone(harness: BotHarness) -> None:
    h = harness
    await h.load_samples()
    admin = h.chat(ADMIN)
    await consent(admin)
    await admin.press("номер полиса")
    for answer in ("123/14", "Иванов"):
        await admin.send(answer)
    asked = admin.last.text
    # The desk in between: a list, a grant confirmed by its button, the audit log.
    await admin.send("/roles")
    await admin.send("/roles grant 4242 support")
    await admin.press("Выдать")
    assert "Журнал действий" in (await admin.send("/audit"))[0].text
    assert await stored_roles(h) == {4242: "support"}
    # Their registration is where they left it: the next answer is the first name.
    assert "имя" in asked
    await admin.send("Иван")
    await admin.send("Иванович")
    assert "мобильного телефона" in (await admin.send("15.03.1985"))[-1].text
    assert_done(await admin.share_contact(IVANOV_PHONE))
    assert (await linked_person(h, ADMIN)).policy_number == "123/14"

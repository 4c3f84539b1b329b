"""/admin: a menu of what each staff role may do, in both languages; anyone else is told the command does
not exist, exactly as for a typo."""

ADMIN, SUPPORT, USER = 9001, 9002, 7001  # the harness's ADMIN_IDS and SUPPORT_IDS, and no one


async def test_each_role_sees_its_own_commands(harness) -> None:
    admin = (await harness.chat(ADMIN).send("/admin"))[0].text
    assert "Рабочее место сотрудника" in admin and "администратор" in admin
    assert all(
        f"/{command} —" in admin
        for command in ("find", "queue", "stats", "audit", "import", "export", "broadcast", "roles")
    )
    support = (await harness.chat(SUPPORT, language_code="en").send("/admin"))[0].text
    assert "Staff desk" in support and "support" in support and "/find —" in support and "/stats —" in support
    assert all(f"/{c}" not in support for c in ("audit", "import", "export", "broadcast", "roles"))  # admin only


async def test_a_user_gets_the_unknown_command_answer(harness) -> None:
    typo = (await harness.chat(USER).send("/admni"))[0].text
    assert (await harness.chat(USER).send("/admin"))[0].text == typo == "Такой команды нет. Список команд — /help."
    english = harness.chat(USER + 1, language_code="en")
    assert (await english.send("/admin"))[0].text == "There is no such command. See /help for the list."


async def test_help_points_staff_to_the_desk(harness) -> None:
    assert "/admin" in (await harness.chat(SUPPORT).send("/help"))[0].text
    assert "/admin" not in (await harness.chat(USER).send("/help"))[0].text

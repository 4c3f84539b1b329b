"""Every text of the cabinet sections, in both languages, is HTML Telegram accepts and fits a message."""

import pytest

from bot.i18n import LOCALES_DIR, create_i18n_core
from bot.views.kit import variant
from core.cabinet.children import ChildRefusal, told
from core.cabinet.clinics import ClinicAccess
from core.cabinet.franchise import ActivationRefusal, FranchiseKind
from core.cabinet.notifications import NotificationKind
from core.cabinet.policies import PolicyStatus
from core.cabinet.requests import FORM_KINDS, RequestKind, RequestStatus
from core.services.policies import Relation
from emulators.telegram import MAX_TEXT, parse_html
from tests.test_locales import messages

FILES = ("cabinet", "policies", "clinics", "franchise", "requests", "settings", "support")
# Values that reach every branch a selector has: numbers for plurals, the codes for the others.
SAMPLES = [
    {
        "count": 1,
        "days": 1,
        "seconds": 1,
        "tries": 1,
        "kind": "calendar",
        "rule": "emergency",
        "limit": 1,
        "length": 2001,
        "max": 2000,
    },
    {
        "count": 3,
        "days": 3,
        "seconds": 3,
        "tries": 3,
        "kind": "working",
        "rule": "franchise",
        "limit": 3,
        "length": 4000,
        "max": 100,
    },
    {
        "count": 25,
        "days": 90,
        "seconds": 45,
        "tries": 0,
        "kind": "working",
        "rule": "franchise",
        "limit": 25,
        "length": 102,
        "max": 100,
    },
]


def cabinet_keys(locale: str) -> list[str]:
    keys = []
    for name in FILES:
        text = (LOCALES_DIR / locale / f"{name}.ftl").read_text(encoding="utf-8")
        keys += [line.split(" =")[0] for line in text.splitlines() if line[:1].isalpha() and " =" in line]
    return keys


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_cabinet_text_renders_as_valid_html(locale: str) -> None:
    core = create_i18n_core()
    variables = messages(locale)
    keys = cabinet_keys(locale)
    assert len(keys) > 100
    for key in keys:
        for sample in SAMPLES:
            args = {name: sample.get(name, "x") for name in variables[key]}
            text = core.get(key, locale, **args)
            plain, _ = parse_html(text)  # raises as Telegram would on broken markup
            assert 0 < len(plain) <= MAX_TEXT, key


def test_plurals_read_right_in_russian() -> None:
    core = create_i18n_core()
    line = "clinics-search-line"
    assert core.get(line, "ru", query="х", count=1).endswith("найдена 1 клиника")
    assert core.get(line, "ru", query="х", count=3).endswith("найдено 3 клиники")
    assert core.get(line, "ru", query="х", count=11).endswith("найдено 11 клиник")
    assert core.get(line, "ru", query="х", count=21).endswith("найдена 21 клиника")
    terms = {
        days: core.get("franchise-terms", "ru", percent="20", days=days, kind="working", rule="franchise")
        for days in (1, 21, 30)
    }
    assert "в течение 1 рабочего дня" in terms[1] and "в течение 21 рабочего дня" in terms[21]
    assert "в течение 30 рабочих дней" in terms[30]


def test_every_code_the_views_name_has_its_text() -> None:
    """Keys built from codes (bot.views.kit.variant) are invisible to the literal-key test."""
    keys = set(messages("ru"))
    wanted = {variant("children-refused", told(c)) for c in ChildRefusal}
    wanted |= {variant("clinic-access", c) for c in ClinicAccess}
    wanted |= {variant("franchise-refusal", c) for c in ActivationRefusal}
    wanted |= {variant("franchise-status", c) for c in FranchiseKind}
    wanted |= {variant("policy-status", c) for c in PolicyStatus if c != PolicyStatus.RESTRICTED}
    wanted |= {variant("policy-status-restricted", rule) for rule in ("franchise", "emergency")}
    wanted |= {variant(prefix, c) for prefix in ("request-new", "request-prompt") for c in FORM_KINDS}
    wanted |= {variant(prefix, c) for prefix in ("request-kind", "cabinet-example") for c in RequestKind}
    wanted |= {variant("request-status", c) for c in RequestStatus}
    wanted |= {f"settings-notify-{c}-{part}" for c in NotificationKind for part in ("line", "button")}
    wanted |= {f"policy-relation-{r}" for r in Relation}
    refusals = ("same", "taken", "cooldown", "destination_daily_cap", "user_daily_cap", "delivery_failed")
    wanted |= {variant("settings-email-refused", r) for r in refusals}
    wanted |= {f"settings-email-code-{r}" for r in ("wrong", "burned", "expired", "missing", "taken")}
    wanted |= {
        f"error-{code}"
        for code in (
            "search-too_short",
            "search-too_long",
            "request-empty",
            "request-too_long",
            "code-format",
            "child_name-too_long",
        )
    }
    assert sorted(wanted - keys) == []

"""Amount limits of bills (BILL_LINE_MAX, INVOICE_MAX): a line costing more than the line limit is refused
at import, and so is a line whose co-pay would take its person's invoice over the invoice limit (the lines
judged in file order). The rule (`core.billing.lines.amount_rejection`), the streaming import that applies
it, and the settings that give the numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import importing
from core.billing.lines import AmountLimits, LineRejection, amount_rejection, line_copay, line_cost
from core.bootstrap import Container
from core.db.models import BillLine
from core.settings import ConfigError, Settings, load_settings
from tests.bot.test_runners import clean_env, run_cli
from tests.core.import_fixtures import DATA
from tests.core.test_billing_storage import ISSUED_ON, engine, invoices, parse, root  # noqa: F401 - fixtures
from tests.roots import container, on, settings_for

HEADER = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
LIMITS = AmountLimits(line_max=100_000_000, invoice_max=300_000_000)  # 1,000,000 ₽ and 3,000,000 ₽


def bills(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


async def stored_ids(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set((await conn.execute(select(BillLine.id))).scalars())


# --- the rule


@pytest.mark.parametrize(
    "cost, copay, invoiced, rejection",
    [
        (100_000_000, 20_000_000, 0, None),  # exactly the line limit
        (100_000_001, 20_000_000, 0, LineRejection.LINE_OVER_MAX),
        (line_cost(100_000, 9_999_999_999), 0, 0, LineRejection.LINE_OVER_MAX),  # a free line is still a slip
        (50_000_000, 50_000_000, 250_000_000, None),  # the invoice reaches its limit exactly
        (50_000_000, 50_000_001, 250_000_000, LineRejection.INVOICE_OVER_MAX),
        (100_000_001, 100_000_001, 300_000_000, LineRejection.LINE_OVER_MAX),  # the line's own reason first
    ],
)
def test_amount_rejection(cost: int, copay: int, invoiced: int, rejection: LineRejection | None) -> None:
    assert amount_rejection(cost, copay, invoiced, LIMITS) is rejection


@pytest.mark.parametrize("line_max, invoice_max", [(0, 1), (1, 0), (-1, 5)])
def test_limits_are_above_zero(line_max: int, invoice_max: int) -> None:
    with pytest.raises(ValueError):
        AmountLimits(line_max, invoice_max)


@given(
    st.lists(st.tuples(st.integers(1, 100_000), st.integers(0, 10**11)), max_size=30),
    st.integers(0, 10_000),
    st.integers(1, 10**10),
    st.integers(1, 10**10),
)
def test_the_lines_taken_keep_within_the_limits_and_every_refusal_is_needed(
    lines: list[tuple[int, int]], franchise_bp: int, line_max: int, invoice_max: int
) -> None:
    """The lines of one person's invoice, in file order: the taken ones sum to at most the invoice limit, each
    within the line limit; a line refused for the invoice would indeed have taken it over."""
    limits = AmountLimits(line_max, invoice_max)
    invoiced = 0
    for quantity, price in lines:
        cost = line_cost(quantity, price)
        copay = line_copay(cost, franchise_bp)
        rejection = amount_rejection(cost, copay, invoiced, limits)
        if rejection is None:
            invoiced += copay
            assert cost <= line_max and invoiced <= invoice_max
        elif rejection is LineRejection.LINE_OVER_MAX:
            assert cost > line_max
        else:
            assert cost <= line_max and invoiced + copay > invoice_max


# --- the import


async def test_a_line_over_the_line_limit_is_refused_with_its_reason(root: Container, engine: AsyncEngine) -> None:
    report = await root.billing.issue_from_bills(
        bills(
            "S-1;123/14;C001;17.09.2026;;Прием;100000;99999999.99",  # the slip: 10 trillion ₽
            "S-2;123/14;C001;17.09.2026;;Прием;1;1000000.00",  # exactly the limit
            "S-3;123/14;C001;17.09.2026;;Прием;2;500000.01",
            "S-4;АМ012345684/13;C002;01.10.2025;;Прием;1;1000000.01",  # no franchise (STD): refused all the same
        ),
        ISSUED_ON,
        filename="bills.csv",
    )
    assert report.lines() == [
        "line 2: unit_price: cost 9999999999000.00 over the largest cost of a line 1000000.00 (BILL_LINE_MAX)",
        "line 4: unit_price: cost 1000000.02 over the largest cost of a line 1000000.00 (BILL_LINE_MAX)",
        "line 5: unit_price: cost 1000000.01 over the largest cost of a line 1000000.00 (BILL_LINE_MAX)",
    ]
    assert report.summary() == "imported 1, updated 0, unchanged 0, rejected 3, invoices issued 1"
    assert await stored_ids(engine) == {"S-2"}
    [(number, policy, _, copay, *_)] = await invoices(engine)
    assert (number, policy, copay) == ("2026/10/1", "12314", 20_000_000)  # 20 % of 1,000,000.00 ₽


async def test_lines_that_would_take_an_invoice_over_its_limit_are_refused_in_file_order(
    engine: AsyncEngine, sqlite_url: str
) -> None:
    # A root of its own on the same database: an invoice of at most 300,000 ₽ (lines up to the default 1,000,000 ₽).
    settings = settings_for(sqlite_url, bot_today=ISSUED_ON, invoice_max=Decimal(300_000))
    assert settings.amount_limits == AmountLimits(line_max=100_000_000, invoice_max=30_000_000)
    async with container(settings) as root:
        report = await root.billing.issue_from_bills(
            bills(
                "T-1;123/14;C001;17.09.2026;;Прием;1;1000000.00",  # co-pay 200,000.00
                "T-2;123/14;C001;17.09.2026;;Прием;1;600000.00",  # co-pay 120,000.00: 320,000.00, over
                "T-3;AM012345678/13;C003;25.09.2026;;Прием;1;1000000.00",  # Шмолина's invoice is her own
                "T-4;123/14;C001;17.09.2026;;Прием;1;500000.00",  # co-pay 100,000.00: 300,000.00, the limit
                "T-5;123/14;C001;17.09.2026;;Прием;1;0.05",  # co-pay 0.01: over
            ),
            ISSUED_ON,
            filename="bills.csv",
        )
        assert report.lines() == [
            "line 3: unit_price: co-pay 120000.00 would make the invoice 320000.00, over the largest invoice "
            "300000.00 (INVOICE_MAX)",
            "line 6: unit_price: co-pay 0.01 would make the invoice 300000.01, over the largest invoice 300000.00 "
            "(INVOICE_MAX)",
        ]
        assert report.summary() == "imported 3, updated 0, unchanged 0, rejected 2, invoices issued 2"
        assert {(policy, copay) for _, policy, _, copay, *_ in await invoices(engine)} == {
            ("12314", 30_000_000),
            ("AM01234567813", 20_000_000),
        }
        # A refused line was not stored: it may come again, on an invoice of its own.
        again = await on(root, date(2026, 11, 2)).billing.issue_from_bills(
            bills("T-2;123/14;C001;17.09.2026;;Прием;1;600000.00"), date(2026, 11, 2), filename="bills.csv"
        )
        assert again.summary() == "imported 1, updated 0, unchanged 0, rejected 0, invoices issued 1"
        assert again.invoices == ("2026/11/1",)


async def test_the_limits_come_from_the_settings(
    engine: AsyncEngine, sqlite_url: str, capsys: pytest.CaptureFixture
) -> None:
    """`python -m bot import bills` with BILL_LINE_MAX of 2,000 ₽: the sample lines costing more are refused."""
    settings = Settings(database_url=sqlite_url, bot_today=date(2026, 10, 5), bill_line_max=Decimal("2000"))
    args = parse(importing, "import", "bills", DATA / "bills.csv", "--issued-on", "2026-10-01")
    assert await importing.run(args, settings) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "line 5: unit_price: cost 2500.00 over the largest cost of a line 2000.00 (BILL_LINE_MAX)",
        "line 7: unit_price: cost 12999.99 over the largest cost of a line 2000.00 (BILL_LINE_MAX)",
        "line 9: unit_price: cost 2500.00 over the largest cost of a line 2000.00 (BILL_LINE_MAX)",
        "imported 5, updated 0, unchanged 0, rejected 3, invoices issued 3",
    ]


def test_the_settings_default_to_the_rule_s_defaults_and_refuse_bad_values() -> None:
    settings = load_settings()
    assert (settings.bill_line_max, settings.invoice_max) == (Decimal(1_000_000), Decimal(3_000_000))
    assert settings.amount_limits == AmountLimits()
    assert load_settings(bill_line_max="2500.50", invoice_max="10").amount_limits == AmountLimits(250_050, 1_000)
    for name in ("bill_line_max", "invoice_max"):
        for bad in ("0", "-1", "abc", "1.001", "NaN", "1e20"):
            with pytest.raises(ConfigError, match=f"^{name.upper()}: "):
                load_settings(**{name: bad})


async def test_a_bad_limit_stops_the_command_with_one_line_naming_it(tmp_path: Path) -> None:
    for name, value in (("BILL_LINE_MAX", "0"), ("INVOICE_MAX", "3 000 000")):
        code, out, err = await run_cli(
            "import", "bills", str(DATA / "bills.csv"), env=clean_env(**{name: value}), cwd=tmp_path
        )
        assert code == 2 and err.startswith(f"{name}:") and err.strip().count("\n") == 0, err
        assert "Traceback" not in err and out == ""

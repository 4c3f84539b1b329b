"""Retention (RETAIN_*): the rule of what is due, and the job that deletes it a chunk at a time, on a fixed
clock, on SQLite and on PostgreSQL."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select

from bot.commands import jobs
from core.db.models import Account, AuditEvent, Consent, InsuredPerson, Payment, Program, Refund, UserRequest
from core.retention import MAX_DAYS, Cutoffs, RetentionPeriods, cutoffs, due
from core.services.retention import CHUNK
from core.settings import ConfigError, load_settings
from tests.roots import SetClock, container, settings_for

NOW = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)
DEFAULTS = RetentionPeriods(dialog=30, attempts=90, questions=365, audit=1825)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_the_defaults_are_the_documented_ones() -> None:
    assert load_settings(otp_secret="s").retention == DEFAULTS


@pytest.mark.parametrize(
    "name", ["RETAIN_DIALOG_DAYS", "RETAIN_ATTEMPTS_DAYS", "RETAIN_QUESTIONS_DAYS", "RETAIN_AUDIT_DAYS"]
)
@pytest.mark.parametrize("value", ["0", "-5", "36501", "a month"])
def test_a_bad_period_names_its_variable(monkeypatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"^{name}:"):
        load_settings(otp_secret="s")


def test_cutoffs_are_the_periods_back_from_now() -> None:
    assert cutoffs(DEFAULTS, NOW) == Cutoffs(dialog=ago(30), attempts=ago(90), questions=ago(365), audit=ago(1825))


@given(
    days=st.integers(1, MAX_DAYS),
    age=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=MAX_DAYS + 10)),
    now=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
)
def test_due_exactly_when_older_than_its_period(days: int, age: timedelta, now: datetime) -> None:
    periods = RetentionPeriods(days, days, days, days)
    assert due(now - age, cutoffs(periods, now).audit) is (age > timedelta(days=days))


@pytest.mark.parametrize("days", [0, MAX_DAYS + 1])
def test_periods_out_of_range_are_refused(days: int) -> None:
    with pytest.raises(ValueError):
        RetentionPeriods(30, 90, 365, days)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


async def seed(root) -> None:
    async with root.uow() as uow:
        s = uow.session
        s.add(Program(code="P1", name="Program"))
        await s.flush()
        s.add(
            InsuredPerson(
                id=1, policy_key="AM1", policy_number="AM 1", last_name="x", first_name="y", last_name_key="x",
                first_name_key="y", birth_date=date(1980, 1, 1), program_code="P1", valid_from=date(2026, 1, 1),
                valid_to=date(2027, 1, 1), row_hash="h",
            )
        )  # fmt: skip
        await s.flush()
        # Accounts: 1 an unfinished registration past its period; 2 within it; 3 never began (language only);
        # 4 began long ago but asked support recently; 5 asked support only; 6 registered.
        for account_id, created, person in (
            (1, 40, None),
            (2, 40, None),
            (3, 400, None),
            (4, 40, None),
            (5, 400, None),
        ):
            s.add(
                Account(id=account_id, telegram_id=1000 + account_id, created_at=ago(created), insured_person_id=person)
            )
        s.add(Account(id=6, telegram_id=1006, created_at=ago(400), insured_person_id=1))
        await s.flush()
        for account_id, given_days_ago in ((1, 31), (1, 35), (2, 31), (2, 29), (4, 31), (6, 400)):
            s.add(Consent(account_id=account_id, kind="pd", version="1", granted=True, at=ago(given_days_ago)))
        for request_id, account_id, kind, touched in (
            (11, 4, "support", 10),  # keeps account 4
            (12, 5, "support", 366),  # past its period: goes
            (13, 5, "support", 364),
            (14, 6, "support", 400),  # a registered person's: the desk's record, kept
            (15, 1, "support", 400),  # goes with the unfinished registration
        ):
            s.add(
                UserRequest(id=request_id, account_id=account_id, kind=kind, text="t", created_at=ago(touched),
                            updated_at=ago(touched))
            )  # fmt: skip
        # A settled payment of someone who left keeps its request until the job (a pending one keeps it).
        for payment_id, status in ((1, "succeeded"), (2, "pending")):
            s.add(
                Payment(
                    id=payment_id, idempotence_key=f"k{payment_id}", invoice_set="s", attempt=payment_id,
                    payer_person_id=1, telegram_id=None, amount_kopecks=100, status=status,
                    request={"receipt": {"email": "left@example.org"}}, confirmation_url="https://kassa.example/c",
                    created_at=ago(5), updated_at=ago(5),
                )
            )  # fmt: skip
        await s.flush()
        s.add(
            Refund(
                payment_id=1, idempotence_key="r1", amount_kopecks=50, reason="requested", status="succeeded",
                request={"receipt": {"email": "left@example.org"}}, created_at=ago(5), updated_at=ago(5),
            )
        )  # fmt: skip
        await uow.commit()
    audit = [
        {"at": ago(91), "action": "registration.submit", "details": {}},  # an attempt past 90 days: goes
        {"at": ago(89), "action": "registration.submit", "details": {}},
        {"at": ago(91), "action": "registration.refused", "details": {}},  # goes
        {"at": ago(91), "action": "registration.linked", "details": {}},  # audit: 5 years
        {"at": ago(1824), "action": "payment.succeeded", "details": {}},
    ]
    audit += [{"at": ago(1826 + n / 1000), "action": "payment.succeeded", "details": {}} for n in range(2 * CHUNK + 1)]
    async with root.engine.begin() as conn:
        await conn.execute(insert(AuditEvent), audit)


async def column(root, query) -> list:
    async with root.uow() as uow:
        return list(await uow.session.scalars(query))


async def test_the_job_deletes_what_is_past_its_period(database_url: str) -> None:
    async with container(settings_for(database_url), clock=SetClock(NOW)) as root:
        await seed(root)
        report = await root.retention.run()

        assert (report.registrations, report.questions, report.attempts, report.audit) == (1, 1, 2, 2 * CHUNK + 1)
        assert report.anonymised == 2  # the settled payment's request and its refund's
        assert await column(root, select(Account.id).order_by(Account.id)) == [2, 3, 4, 5, 6]
        assert await column(root, select(UserRequest.id).order_by(UserRequest.id)) == [11, 13, 14]
        # The unfinished registration's consents stay, withdrawn; the others are untouched.
        consents = await column(root, select(Consent).order_by(Consent.id))
        assert [(c.account_id, c.withdrawn_at) for c in consents if c.withdrawn_at] == [(1, NOW), (1, NOW)]
        actions = await column(root, select(AuditEvent.action).order_by(AuditEvent.at))
        assert actions == ["payment.succeeded", "registration.linked", "registration.submit", "account.expired"]
        payments = await column(root, select(Payment).order_by(Payment.id))
        assert [(p.status, p.request is None, p.confirmation_url is None) for p in payments] == [
            ("succeeded", True, True),
            ("pending", False, False),  # a retry must send it unchanged with its key
        ]
        assert await column(root, select(Refund.request)) == [None]

        again = await root.retention.run()  # idempotent: nothing more is due
        assert (again.registrations, again.questions, again.attempts, again.audit, again.anonymised) == (0, 0, 0, 0, 0)


async def test_the_command_runs_it_once(sqlite_url: str, capsys: pytest.CaptureFixture) -> None:
    parser = argparse.ArgumentParser()
    jobs.add_parser(parser.add_subparsers())
    settings = settings_for(sqlite_url)
    async with container(settings) as root, root.engine.begin() as conn:
        await conn.execute(insert(AuditEvent), [{"at": datetime.now(UTC) - timedelta(days=2000), "action": "consent"}])
    assert await jobs.run_retention(parser.parse_args(["jobs", "retention"]), settings) == 0
    assert capsys.readouterr().out.splitlines() == [
        "retention: unfinished registrations 0, questions 0, attempts 0, audit entries 1, payments and refunds anonymised 0"
    ]

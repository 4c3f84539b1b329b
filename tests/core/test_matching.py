"""Every reason code of the matching rules, on rows shaped like the samples."""

from dataclasses import replace
from datetime import date

import pytest

from core.matching import (
    Candidate,
    Channel,
    Claim,
    Contact,
    Reason,
    claim_matches,
    decide,
    decide_invite,
    needs_birth_date_lookup,
)
from core.normalize import name_key, patronymic_key

TODAY = date(2026, 11, 21)
ME = 1001
OTHER = 2002

IVANOV = Candidate(
    person_id=1,
    policy_key="123/14",
    personnel_key="T1001",
    last_name_key="иванов",
    first_name_key="иван",
    patronymic_key="иванович",
    birth_date=date(1985, 3, 15),
    valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31),
    phone="+79161000001",
    email_key="ivanov@example.ru",
)
PETROV_A = Candidate(
    person_id=2,
    policy_key="P1",
    last_name_key="петров",
    first_name_key="сергей",
    patronymic_key="александрович",
    birth_date=date(1990, 1, 1),
    valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31),
    phone="+79161000010",
    email_key="petrov1@example.ru",
)
PETROV_B = replace(PETROV_A, person_id=3, policy_key="P2", phone="+79161000011", email_key="petrov2@example.ru")
SALTYKOV = Candidate(
    person_id=4,
    policy_key="AM012345680/13",
    last_name_key="салтыков-щедрин",
    first_name_key="михаил",
    patronymic_key="",
    birth_date=date(1988, 1, 27),
    valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31),
    phone="+79161000004",
)

ALIEV = Candidate(
    person_id=5,
    policy_key="AM012345679/13",
    personnel_key="T1003",
    last_name_key="алиев",
    first_name_key="рашид",
    patronymic_key="гасаноглы",
    birth_date=date(1990, 11, 11),
    valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31),
    phone="+79161000003",
    email_key="aliev@example.ru",
)
SEMENOVA = Candidate(
    person_id=6,
    policy_key="AM012345681/13",
    personnel_key="T1005",
    last_name_key="семенова",
    first_name_key="алена",
    patronymic_key="петровна",
    birth_date=date(1992, 5, 30),
    valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31),
    email_key="semenova@example.ru",
)


def claim(row: Candidate, *, number: str | None = "policy", patronymic: str | None = None) -> Claim:
    key = {"policy": row.policy_key, "personnel": row.personnel_key, None: None}[number]
    return Claim(
        row.last_name_key,
        row.first_name_key,
        row.patronymic_key if patronymic is None else patronymic,
        row.birth_date,
        key,
    )


def test_found_by_policy_and_registry_phone_needs_sms() -> None:
    d = decide(claim(IVANOV), [IVANOV], Contact(ME, phone=IVANOV.phone), TODAY, trust_contact=True)
    assert d == type(d)(Reason.FOUND, 1, (Channel.SMS,))


def test_found_by_personnel_number() -> None:
    d = decide(claim(IVANOV, number="personnel"), [IVANOV], Contact(ME, phone=IVANOV.phone), TODAY, trust_contact=True)
    assert d.reason is Reason.FOUND


def test_verified_own_contact_skips_sms_only_when_trusted() -> None:
    contact = Contact(ME, phone=IVANOV.phone, phone_verified=True)
    assert decide(claim(IVANOV), [IVANOV], contact, TODAY, trust_contact=True).channels == ()
    assert decide(claim(IVANOV), [IVANOV], contact, TODAY, trust_contact=False).channels == (Channel.SMS,)


def test_other_phone_asks_for_email_then_email_and_sms_codes() -> None:
    contact = Contact(ME, phone="+79169999999")
    assert decide(claim(IVANOV), [IVANOV], contact, TODAY, trust_contact=True).reason is Reason.NEED_EMAIL
    d = decide(claim(IVANOV), [IVANOV], replace(contact, email_key=IVANOV.email_key), TODAY, trust_contact=True)
    assert (d.reason, d.channels) == (Reason.FOUND, (Channel.EMAIL, Channel.SMS))


def test_neither_phone_nor_email_matches_asks_hr() -> None:
    contact = Contact(ME, phone="+79169999999", email_key="someone@else.ru")
    d = decide(claim(IVANOV), [IVANOV], contact, TODAY, trust_contact=True)
    assert d.reason is Reason.ASK_HR and d.refused_unproven and d.channels == ()


def test_not_found_asks_for_email_first_like_a_found_person() -> None:
    wrong = replace(claim(IVANOV), first_name_key="пётр")
    contact = Contact(ME, phone=IVANOV.phone)
    assert decide(wrong, [IVANOV], contact, TODAY, trust_contact=True).reason is Reason.NEED_EMAIL
    d = decide(wrong, [IVANOV], replace(contact, email_key="x@y.ru"), TODAY, trust_contact=True)
    assert d.reason is Reason.NOT_FOUND and d.refused_unproven


def test_wrong_birth_date_or_policy_is_not_found() -> None:
    contact = Contact(ME, phone=IVANOV.phone, email_key="x@y.ru")
    for wrong in (replace(claim(IVANOV), birth_date=date(1985, 3, 16)), replace(claim(IVANOV), number_key="999")):
        assert decide(wrong, [IVANOV], contact, TODAY, trust_contact=True).reason is Reason.NOT_FOUND


def test_same_name_and_birth_is_ambiguous_without_number() -> None:
    contact = Contact(ME, phone="+79160000000", email_key="nobody@x.ru")
    d = decide(claim(PETROV_A, number=None), [PETROV_A, PETROV_B], contact, TODAY, trust_contact=True)
    assert d.reason is Reason.AMBIGUOUS and d.person_id is None


@pytest.mark.parametrize("row", [PETROV_A, PETROV_B])
def test_ambiguity_resolved_by_phone_or_email_or_number(row: Candidate) -> None:
    both = [PETROV_A, PETROV_B]
    by_phone = decide(claim(row, number=None), both, Contact(ME, phone=row.phone), TODAY, trust_contact=True)
    assert (by_phone.reason, by_phone.person_id) == (Reason.FOUND, row.person_id)
    by_email = decide(
        claim(row, number=None),
        both,
        Contact(ME, phone="+79160000000", email_key=row.email_key),
        TODAY,
        trust_contact=True,
    )
    assert (by_email.reason, by_email.person_id, by_email.channels) == (
        Reason.FOUND,
        row.person_id,
        (Channel.EMAIL, Channel.SMS),
    )
    by_number = decide(claim(row), both, Contact(ME, phone=row.phone), TODAY, trust_contact=True)
    assert by_number.person_id == row.person_id


def test_patronymic_rule() -> None:
    contact = Contact(ME, phone=IVANOV.phone)
    # The list has one: it must match (the user may skip it only when the list has none).
    assert (
        decide(claim(IVANOV, patronymic="петрович"), [IVANOV], contact, TODAY, trust_contact=True).reason
        is Reason.NEED_EMAIL
    )
    # The list has none: whatever the user typed is ignored when a number identifies the row.
    assert (
        decide(
            claim(SALTYKOV, patronymic="евграфович"),
            [SALTYKOV],
            Contact(ME, phone=SALTYKOV.phone),
            TODAY,
            trust_contact=True,
        ).reason
        is Reason.FOUND
    )
    # Without a number the patronymic is part of the identification.
    assert (
        decide(
            claim(SALTYKOV, number=None), [SALTYKOV], Contact(ME, phone=SALTYKOV.phone), TODAY, trust_contact=True
        ).reason
        is Reason.FOUND
    )


def test_patronymic_rule_without_a_number() -> None:
    # The list has none: whatever the user typed is ignored on this way too.
    for typed in ("евграфович", "", "evgrafovich"):
        assert claim_matches(claim(SALTYKOV, number=None, patronymic=typed), SALTYKOV)
    d = decide(
        claim(SALTYKOV, number=None, patronymic="евграфович"),
        [SALTYKOV],
        Contact(ME, phone=SALTYKOV.phone),
        TODAY,
        trust_contact=True,
    )
    assert d.reason is Reason.FOUND
    # The list has one: it must match, in either script.
    assert claim_matches(claim(IVANOV, number=None), IVANOV)
    assert claim_matches(claim(IVANOV, number=None, patronymic="ivanovich"), IVANOV)
    for typed in ("петрович", "", "ivanovitch"):
        assert not claim_matches(claim(IVANOV, number=None, patronymic=typed), IVANOV)
    assert (
        decide(
            claim(IVANOV, number=None, patronymic="петрович"),
            [IVANOV],
            Contact(ME, phone=IVANOV.phone),
            TODAY,
            trust_contact=True,
        ).reason
        is Reason.NEED_EMAIL
    )


# --- names typed in Latin: the passport's spelling


def latin(last: str, first: str, patronymic: str | None, born: date, number: str | None = None) -> Claim:
    """A claim as the dialog builds it from what was typed."""
    return Claim(name_key(last), name_key(first), patronymic_key(patronymic), born, number)


LATIN_CLAIMS = [
    (SALTYKOV, latin("Saltykov-Shchedrin", "Mikhail", None, SALTYKOV.birth_date)),
    (SALTYKOV, latin("SALTYKOV - SHCHEDRIN", "Mikhail", "Evgrafovich", SALTYKOV.birth_date)),  # none listed
    (ALIEV, latin("Aliev", "Rashid", "Gasan ogly", ALIEV.birth_date)),
    (ALIEV, latin("Aliev", "Rashid", "Gasan-Ogly", ALIEV.birth_date, "AM012345679/13")),
    (ALIEV, latin("Aliev", "Рашид", "Гасаноглы", ALIEV.birth_date)),  # Latin surname only
    (SEMENOVA, latin("Semenova", "Alena", "Petrovna", SEMENOVA.birth_date)),
    (SEMENOVA, latin("Semenova", "Alena", "Petrovna", SEMENOVA.birth_date, "T1005")),
    (IVANOV, latin("Ivanov", "Ivan", "Ivanovich", IVANOV.birth_date, "123/14")),
]


@pytest.mark.parametrize(("row", "typed"), LATIN_CLAIMS)
def test_latin_claims_match_the_registry_rows(row: Candidate, typed: Claim) -> None:
    assert claim_matches(typed, row)
    assert needs_birth_date_lookup(typed)
    contact = Contact(ME, phone=row.phone or "+79169999999", email_key=row.email_key or "x@y.ru")
    d = decide(typed, [SALTYKOV, ALIEV, SEMENOVA, IVANOV, PETROV_A], contact, TODAY, trust_contact=True)
    assert (d.reason, d.person_id) == (Reason.FOUND, row.person_id)


@pytest.mark.parametrize(
    "typed",
    [
        latin("Saltykov-Schedrin", "Mikhail", None, SALTYKOV.birth_date),  # щ is shch
        latin("Saltykov-Shchedrin", "Michail", None, SALTYKOV.birth_date),
        latin("Saltykov-Shchedrin", "Mikhail", None, date(1988, 1, 28)),
        latin("Saltykov-Shchedrin", "Mikhail", None, SALTYKOV.birth_date, "AM012345679/13"),  # Aliev's policy
        latin("Aliev", "Rashid", "Gasan", ALIEV.birth_date),
        latin("Aliev", "Rashid", None, ALIEV.birth_date),  # the list has a patronymic: it is required
        latin("Semyonova", "Alyona", "Petrovna", SEMENOVA.birth_date),  # not the passport's spelling
        latin("Semenova", "Alena", "Petrovna", SEMENOVA.birth_date, "T1003"),
    ],
)
def test_near_miss_latin_spellings_match_nobody(typed: Claim) -> None:
    rows = [SALTYKOV, ALIEV, SEMENOVA]
    assert not any(claim_matches(typed, row) for row in rows)
    d = decide(typed, rows, Contact(ME, phone="+79169999999", email_key="x@y.ru"), TODAY, trust_contact=True)
    assert d.reason is Reason.NOT_FOUND


def test_a_cyrillic_claim_is_compared_exactly() -> None:
    zaitsev = replace(IVANOV, last_name_key="зайцев")
    assert claim_matches(replace(claim(zaitsev), last_name_key="zaitsev"), zaitsev)
    assert not claim_matches(replace(claim(zaitsev), last_name_key="заицев"), zaitsev)
    assert claim_matches(replace(claim(zaitsev, number=None), last_name_key="zaitsev"), zaitsev)


@pytest.mark.parametrize(
    ("last", "first", "patronymic", "needed"),
    [
        ("Saltykov-Shchedrin", "Mikhail", None, True),
        ("Алиев", "Rashid", None, True),
        ("Aliev", "Рашид", "Гасан оглы", True),
        ("Алиев", "Рашид", "Gasan ogly", False),
        ("Алиев", "Рашид", "Гасан оглы", False),
        ("Cоpoka", "Ольга", None, False),  # look-alikes made Cyrillic
    ],
)
def test_needs_birth_date_lookup(last: str, first: str, patronymic: str | None, needed: bool) -> None:
    assert needs_birth_date_lookup(latin(last, first, patronymic, date(1990, 1, 1))) is needed


@pytest.mark.parametrize(
    ("row", "contact", "reason"),
    [
        (replace(IVANOV, birth_date=date(2009, 1, 1)), Contact(ME, phone=IVANOV.phone), Reason.UNDER_18),
        (replace(IVANOV, valid_to=date(2025, 12, 31)), Contact(ME, phone=IVANOV.phone), Reason.POLICY_NOT_ACTIVE),
        (replace(IVANOV, valid_from=date(2027, 1, 1)), Contact(ME, phone=IVANOV.phone), Reason.POLICY_NOT_ACTIVE),
        (replace(IVANOV, removed_on=TODAY), Contact(ME, phone=IVANOV.phone), Reason.POLICY_NOT_ACTIVE),
        (replace(IVANOV, linked_telegram_id=OTHER), Contact(ME, phone=IVANOV.phone), Reason.ALREADY_LINKED),
        (IVANOV, Contact(ME, phone=IVANOV.phone, phone_owner=OTHER), Reason.PHONE_TAKEN),
        (IVANOV, Contact(ME, phone="+79169999999", email_key=IVANOV.email_key, email_owner=OTHER), Reason.EMAIL_TAKEN),
    ],
)
def test_exact_refusals_come_with_a_channel_to_prove_first(row: Candidate, contact: Contact, reason: Reason) -> None:
    d = decide(claim(row), [row], contact, TODAY, trust_contact=True)
    assert d.reason is reason
    assert d.channels and not d.refused_unproven  # shown only once the channel is proven


def test_eighteenth_birthday_counts_as_adult() -> None:
    row = replace(IVANOV, birth_date=date(2008, 11, 21))
    assert decide(claim(row), [row], Contact(ME, phone=row.phone), TODAY, trust_contact=True).reason is Reason.FOUND
    row = replace(IVANOV, birth_date=date(2008, 11, 22))
    assert decide(claim(row), [row], Contact(ME, phone=row.phone), TODAY, trust_contact=True).reason is Reason.UNDER_18


def test_relinking_own_account_or_own_phone_is_not_a_refusal() -> None:
    row = replace(IVANOV, linked_telegram_id=ME)
    d = decide(claim(row), [row], Contact(ME, phone=row.phone, phone_owner=ME), TODAY, trust_contact=True)
    assert d.reason is Reason.FOUND


def test_row_without_phone_or_email_can_only_be_refused_generically() -> None:
    row = replace(IVANOV, phone=None, email_key=None)
    d = decide(claim(row), [row], Contact(ME, phone="+79161000001", email_key="a@b.ru"), TODAY, trust_contact=True)
    assert d.reason is Reason.ASK_HR and d.refused_unproven


def test_invite_needs_the_invited_policy_number_then_an_sms() -> None:
    contact = Contact(ME, phone="+79165555555")  # any phone: the token stands for the e-mail proof
    assert decide_invite(IVANOV, "123/15", contact, TODAY).reason is Reason.WRONG_POLICY
    d = decide_invite(IVANOV, "123/14", contact, TODAY)
    assert (d.reason, d.person_id, d.channels) == (Reason.FOUND, 1, (Channel.SMS,))
    assert (
        decide_invite(replace(IVANOV, birth_date=date(2010, 1, 1)), "123/14", contact, TODAY).reason is Reason.UNDER_18
    )


def test_every_reason_is_covered() -> None:
    covered = {
        Reason.FOUND,
        Reason.NOT_FOUND,
        Reason.AMBIGUOUS,
        Reason.NEED_EMAIL,
        Reason.ASK_HR,
        Reason.ALREADY_LINKED,
        Reason.PHONE_TAKEN,
        Reason.EMAIL_TAKEN,
        Reason.UNDER_18,
        Reason.POLICY_NOT_ACTIVE,
        Reason.WRONG_POLICY,
    }
    assert covered == set(Reason)


# --- the lookup behind a Latin claim: everyone born that day, filtered by claim_matches


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def registry_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgres": "postgres_url"}[request.param])


async def test_latin_claims_found_among_the_samples_born_that_day(registry_url: str) -> None:
    from core.db.engine import create_session_factory
    from core.db.people import PeopleRepository
    from tests.core.import_fixtures import engine_for, import_samples

    def candidate(p) -> Candidate:
        return Candidate(
            p.id,
            p.policy_key,
            p.last_name_key,
            p.first_name_key,
            p.patronymic_key,
            p.birth_date,
            p.valid_from,
            p.valid_to,
            p.phone,
            p.email_key,
            p.personnel_key,
            p.removed_on,
        )

    claims = {  # policy key: the passport's spelling, and a near miss
        "AM01234568013": ("Saltykov-Shchedrin", "Saltykov-Schedrin", "Mikhail", None, date(1988, 1, 27)),
        "AM01234567913": ("Aliev", "Aliyev", "Rashid", "Gasan ogly", date(1990, 11, 11)),
        "AM01234568113": ("Semenova", "Semyonova", "Alena", "Petrovna", date(1992, 5, 30)),
    }
    async with engine_for(registry_url) as engine:
        await import_samples(engine)
        async with create_session_factory(engine)() as session:
            people = PeopleRepository(session)
            for policy_key, (last, wrong, first, patronymic, born) in claims.items():
                rows = [candidate(p) for p in await people.by_birth_date(born)]
                typed = latin(last, first, patronymic, born)
                assert needs_birth_date_lookup(typed)
                assert [r.policy_key for r in rows if claim_matches(typed, r)] == [policy_key]
                assert not any(claim_matches(latin(wrong, first, patronymic, born), r) for r in rows)
            petrovs = await people.by_birth_date(date(1990, 1, 1))
            assert [p.policy_key for p in petrovs] == ["AM01234568513", "AM01234568613"]  # by id
            assert [p.id for p in petrovs] == sorted(p.id for p in petrovs)
            assert await people.by_birth_date(date(1900, 1, 1)) == []

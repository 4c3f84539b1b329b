"""Every reason code of the matching rules, on rows shaped like the samples."""

from dataclasses import replace
from datetime import date

import pytest

from core.matching import Candidate, Channel, Claim, Contact, Reason, decide, decide_invite

TODAY = date(2026, 11, 21)
ME = 1001
OTHER = 2002

IVANOV = Candidate(
    person_id=1, policy_key="123/14", personnel_key="T1001", last_name_key="иванов", first_name_key="иван",
    patronymic_key="иванович", birth_date=date(1985, 3, 15), valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31), phone="+79161000001", email_key="ivanov@example.ru",
)
PETROV_A = Candidate(
    person_id=2, policy_key="P1", last_name_key="петров", first_name_key="сергей",
    patronymic_key="александрович", birth_date=date(1990, 1, 1), valid_from=date(2026, 1, 1),
    valid_to=date(2027, 12, 31), phone="+79161000010", email_key="petrov1@example.ru",
)
PETROV_B = replace(PETROV_A, person_id=3, policy_key="P2", phone="+79161000011", email_key="petrov2@example.ru")
SALTYKOV = Candidate(
    person_id=4, policy_key="AM012345680/13", last_name_key="салтыков-щедрин", first_name_key="михаил",
    patronymic_key="", birth_date=date(1988, 1, 27), valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31),
    phone="+79161000004",
)


def claim(row: Candidate, *, number: str | None = "policy", patronymic: str | None = None) -> Claim:
    key = {"policy": row.policy_key, "personnel": row.personnel_key, None: None}[number]
    return Claim(row.last_name_key, row.first_name_key,
                 row.patronymic_key if patronymic is None else patronymic, row.birth_date, key)


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
    by_email = decide(claim(row, number=None), both, Contact(ME, phone="+79160000000", email_key=row.email_key),
                      TODAY, trust_contact=True)
    assert (by_email.reason, by_email.person_id, by_email.channels) == (
        Reason.FOUND, row.person_id, (Channel.EMAIL, Channel.SMS))
    by_number = decide(claim(row), both, Contact(ME, phone=row.phone), TODAY, trust_contact=True)
    assert by_number.person_id == row.person_id


def test_patronymic_rule() -> None:
    contact = Contact(ME, phone=IVANOV.phone)
    # The list has one: it must match (the user may skip it only when the list has none).
    assert decide(claim(IVANOV, patronymic="петрович"), [IVANOV], contact, TODAY, trust_contact=True).reason \
        is Reason.NEED_EMAIL
    # The list has none: whatever the user typed is ignored when a number identifies the row.
    assert decide(claim(SALTYKOV, patronymic="евграфович"), [SALTYKOV], Contact(ME, phone=SALTYKOV.phone),
                  TODAY, trust_contact=True).reason is Reason.FOUND
    # Without a number the patronymic is part of the identification.
    assert decide(claim(SALTYKOV, number=None), [SALTYKOV], Contact(ME, phone=SALTYKOV.phone),
                  TODAY, trust_contact=True).reason is Reason.FOUND


@pytest.mark.parametrize(
    ("row", "contact", "reason"),
    [
        (replace(IVANOV, birth_date=date(2009, 1, 1)), Contact(ME, phone=IVANOV.phone), Reason.UNDER_18),
        (replace(IVANOV, valid_to=date(2025, 12, 31)), Contact(ME, phone=IVANOV.phone), Reason.POLICY_NOT_ACTIVE),
        (replace(IVANOV, valid_from=date(2027, 1, 1)), Contact(ME, phone=IVANOV.phone), Reason.POLICY_NOT_ACTIVE),
        (replace(IVANOV, removed_on=TODAY), Contact(ME, phone=IVANOV.phone), Reason.POLICY_NOT_ACTIVE),
        (replace(IVANOV, linked_telegram_id=OTHER), Contact(ME, phone=IVANOV.phone), Reason.ALREADY_LINKED),
        (IVANOV, Contact(ME, phone=IVANOV.phone, phone_owner=OTHER), Reason.PHONE_TAKEN),
        (IVANOV, Contact(ME, phone="+79169999999", email_key=IVANOV.email_key, email_owner=OTHER),
         Reason.EMAIL_TAKEN),
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
    assert decide(claim(row), [row], Contact(ME, phone=row.phone), TODAY, trust_contact=True).reason \
        is Reason.UNDER_18


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
    assert decide_invite(replace(IVANOV, birth_date=date(2010, 1, 1)), "123/14", contact, TODAY).reason \
        is Reason.UNDER_18


def test_every_reason_is_covered() -> None:
    covered = {
        Reason.FOUND, Reason.NOT_FOUND, Reason.AMBIGUOUS, Reason.NEED_EMAIL, Reason.ASK_HR, Reason.ALREADY_LINKED,
        Reason.PHONE_TAKEN, Reason.EMAIL_TAKEN, Reason.UNDER_18, Reason.POLICY_NOT_ACTIVE, Reason.WRONG_POLICY,
    }
    assert covered == set(Reason)

"""The registration dialog's transitions, without aiogram: what follows each answer, what Back returns
to, when the details are submitted, which channel a code is awaited on."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import registration as r
from core.matching import Channel
from core.registration import (
    Ask,
    AskConsent,
    AwaitCode,
    ChooseWay,
    Complete,
    Dialog,
    Ignore,
    Review,
    Stage,
    Step,
    Stop,
    Submit,
    WaitOn,
    Way,
)

ANSWERS = {
    Step.POLICY: {"number_key": "12314", "number": "123-14"},
    Step.LAST_NAME: {"last_key": "иванов", "last_name": "Иванов"},
    Step.FIRST_NAME: {"first_key": "иван", "first_name": "Иван"},
    Step.PATRONYMIC: {"patronymic_key": "", "patronymic": ""},
    Step.BIRTH_DATE: {"birth_date": "1985-03-15"},
    Step.PHONE: {"phone": "+79161000001", "phone_verified": False},
    Step.EMAIL: {"email": "a@example.ru", "email_key": "a@example.ru"},
}


def answer_all(dialog: Dialog, action) -> tuple[Dialog, object]:
    while isinstance(action, Ask):
        dialog, action = r.on_answer(dialog, ANSWERS[action.step])
    return dialog, action


def test_consents_in_order_then_the_way() -> None:
    dialog, action = r.begin(None, consents_given=False)
    assert action == AskConsent("personal_data")
    dialog, action = r.on_consent(dialog, "personal_data", True)
    assert action == AskConsent("rules")
    assert r.on_consent(dialog, "personal_data", True)[1] == Ignore()  # a second press on an answered one
    dialog, action = r.on_consent(dialog, "rules", True)
    dialog, action = r.on_consent(dialog, "notifications", False)  # optional: "no" goes on
    assert action == ChooseWay() and dialog.stage is Stage.WAY


def test_a_required_consent_declined_stops() -> None:
    dialog, _ = r.begin(None, consents_given=False)
    assert r.on_consent(dialog, "personal_data", False)[1] == Stop("consent_required")


def test_consents_given_before_skip_to_the_way_or_to_the_invite() -> None:
    assert r.begin(None, consents_given=True)[1] == ChooseWay()
    dialog, action = r.begin("token", consents_given=True)
    assert action == Ask(Step.POLICY) and dialog.way is Way.INVITE


@pytest.mark.parametrize("way", [Way.POLICY, Way.PERSONAL])
def test_the_phone_submits_the_details(way: Way) -> None:
    dialog, action = r.on_way(r.begin(None, consents_given=True)[0], way)
    asked = []
    while isinstance(action, Ask):
        asked.append(action.step)
        dialog, action = r.on_answer(dialog, ANSWERS[action.step])
    assert tuple(asked) == r.STEPS[way] and asked[-1] is Step.PHONE
    assert action == Submit() and dialog.stage is Stage.CODE


def test_a_match_awaits_its_first_channel_and_a_miss_reads_the_same() -> None:
    dialog, action = answer_all(*r.on_way(r.begin(None, consents_given=True)[0], Way.POLICY))
    matched, action = r.on_submitted(dialog, 7, (Channel.SMS,))
    assert action == AwaitCode(Channel.SMS) and matched.person_id == 7
    missed, other = r.on_submitted(dialog, None, ())
    assert other == action and missed.person_id is None and missed.channel is Channel.SMS
    proven, done = r.on_code_verified(matched)
    assert done == Complete() and proven.proven == (Channel.SMS,)


def test_a_trusted_own_contact_completes_at_once() -> None:
    dialog, _ = answer_all(*r.on_way(r.begin(None, consents_given=True)[0], Way.POLICY))
    assert r.on_submitted(dialog, 7, ())[1] == Complete()


def test_by_email_asks_the_email_and_proves_it_before_the_phone() -> None:
    dialog, _ = answer_all(*r.on_way(r.begin(None, consents_given=True)[0], Way.PERSONAL))
    dialog, _ = r.on_submitted(dialog, None, ())
    dialog, action = r.on_prove_by_email(dialog)
    assert action == Ask(Step.EMAIL) and dialog.by_email
    assert r.on_prove_by_email(dialog)[1] == Ignore()  # once
    dialog, action = r.on_answer(dialog, ANSWERS[Step.EMAIL])
    assert action == Submit()
    dialog, action = r.on_submitted(dialog, 7, (Channel.EMAIL, Channel.SMS))
    assert action == AwaitCode(Channel.EMAIL)
    dialog, action = r.on_code_verified(dialog)
    assert action == AwaitCode(Channel.SMS)
    assert r.on_code_verified(dialog)[1] == Complete()
    _missed, action = r.on_submitted(
        r.on_answer(
            r.on_prove_by_email(
                r.on_submitted(answer_all(*r.on_way(r.begin(None, consents_given=True)[0], Way.PERSONAL))[0], None, ())[
                    0
                ]
            )[0],
            ANSWERS[Step.EMAIL],
        )[0],
        None,
        (),
    )
    assert action == AwaitCode(Channel.EMAIL)  # a miss by e-mail reads as a code mailed


def test_back_from_a_code_asks_the_answer_it_went_to_again() -> None:
    dialog, _ = answer_all(*r.on_way(r.begin(None, consents_given=True)[0], Way.POLICY))
    dialog, _ = r.on_submitted(dialog, 7, (Channel.SMS,))
    back, action = r.on_back(dialog)
    assert action == Ask(Step.PHONE) and "phone" not in back.answers and back.person_id is None
    back, action = r.on_back(back)
    assert action == Ask(Step.BIRTH_DATE, leaving_phone=True)  # the phone's keyboard must go
    assert "birth_date" not in back.answers and back.answers["last_key"] == "иванов"


def test_back_from_the_first_question() -> None:
    dialog, _ = r.on_way(r.begin(None, consents_given=True)[0], Way.POLICY)
    assert r.on_back(dialog)[1] == ChooseWay()
    invite, _action = r.begin("token", consents_given=True)
    assert r.on_back(invite)[1] == Ask(Step.POLICY)


def test_a_wrong_invite_number_is_asked_again_keeping_the_phone() -> None:
    dialog, action = answer_all(*r.begin("token", consents_given=True))
    dialog, action = r.on_wrong_number(dialog)
    assert action == Ask(Step.POLICY) and dialog.answers["phone"] == "+79161000001"
    assert r.on_answer(dialog, ANSWERS[Step.POLICY])[1] == Submit()


def test_continue_shows_where_the_dialog_is() -> None:
    dialog, action = r.on_way(r.begin(None, consents_given=True)[0], Way.POLICY)
    assert r.current_action(dialog) == action
    dialog, _ = answer_all(dialog, action)
    dialog, action = r.on_submitted(dialog, None, ())
    assert r.current_action(dialog) == AwaitCode(Channel.SMS)


def test_skipping_is_for_optional_steps_only() -> None:
    assert r.skipped(Step.PATRONYMIC) == {"patronymic_key": "", "patronymic": ""}
    with pytest.raises(ValueError):
        r.skipped(Step.BIRTH_DATE)


EVENTS = st.lists(
    st.sampled_from(["answer", "back", "email", "match", "miss", "verify", "review", "change", "resubmit", "wait"]),
    max_size=25,
)


@settings(max_examples=200)
@given(way=st.sampled_from([Way.POLICY, Way.PERSONAL]), events=EVENTS)
def test_any_dialog_survives_a_json_round_trip_and_stays_consistent(way: Way, events: list[str]) -> None:
    dialog, action = r.on_way(r.begin(None, consents_given=True)[0], way)
    for event in events:
        if event == "answer" and isinstance(action, Ask):
            dialog, action = r.on_answer(dialog, ANSWERS[action.step])
        elif event == "back":
            dialog, action = r.on_back(dialog) if not isinstance(r.on_back(dialog)[1], Ignore) else (dialog, action)
        elif event == "email" and dialog.stage is Stage.CODE and dialog.channel:
            moved, act = r.on_prove_by_email(dialog)
            dialog, action = (moved, act) if not isinstance(act, Ignore) else (dialog, action)
        elif event in ("match", "miss") and isinstance(action, Submit):
            channels = (Channel.EMAIL, Channel.SMS) if dialog.by_email else (Channel.SMS,)
            dialog, action = r.on_submitted(
                dialog, 7 if event == "match" else None, channels if event == "match" else ()
            )
        elif event == "verify" and isinstance(action, AwaitCode):
            dialog, action = r.on_code_verified(dialog)
        elif event in ("review", "change", "resubmit", "wait"):
            moved, act = {
                "review": r.on_review,
                "resubmit": r.on_resubmit,
                "wait": r.on_wait,
                "change": lambda d: r.on_change(d, d.steps[0]),
            }[event](dialog)
            dialog, action = (moved, act) if not isinstance(act, Ignore) else (dialog, action)
        assert Dialog.from_data(json.loads(json.dumps(dialog.to_data()))) == dialog
        if dialog.stage is Stage.QUESTION and dialog.reviewing:  # a change: every answer is still there
            assert dialog.step in dialog.steps and r.next_step(dialog) is None
        elif dialog.stage is Stage.QUESTION:
            assert dialog.step in dialog.steps and r.next_step(dialog) == dialog.step
        if dialog.stage is Stage.REVIEW:
            assert isinstance(action, Review) and r.next_step(dialog) is None
        if isinstance(action, AwaitCode):
            assert dialog.channel is action.channel


# --- "No code? Check what you typed"


def awaiting(way: Way = Way.POLICY, *, matched: bool) -> Dialog:
    dialog, _ = answer_all(*r.on_way(r.begin(None, consents_given=True)[0], way))
    return r.on_submitted(dialog, 7 if matched else None, (Channel.SMS,) if matched else ())[0]


def test_the_review_is_the_same_for_a_match_and_a_miss_and_lists_only_what_was_typed() -> None:
    matched, match_action = r.on_review(awaiting(matched=True))
    missed, miss_action = r.on_review(awaiting(matched=False))
    assert match_action == miss_action == Review(can_wait=True)
    assert (
        r.reviewed(matched)
        == r.reviewed(missed)
        == (
            (Step.POLICY, "123-14"),
            (Step.LAST_NAME, "Иванов"),
            (Step.FIRST_NAME, "Иван"),
            (Step.PATRONYMIC, ""),
            (Step.BIRTH_DATE, "1985-03-15"),
            (Step.PHONE, "+79161000001"),
        )
    )
    assert matched.stage is missed.stage is Stage.REVIEW
    # Back to the code: no new one (WaitOn, not AwaitCode), and the match is kept for the real code.
    for dialog in (matched, missed):
        waiting, action = r.on_wait(dialog)
        assert action == WaitOn(Channel.SMS) and waiting.stage is Stage.CODE
        assert waiting.person_id == dialog.person_id and r.on_back(dialog) == (waiting, action)


def test_a_changed_answer_returns_to_the_review_then_the_details_are_submitted_again() -> None:
    listed, _ = r.on_review(awaiting(matched=True))
    asked, action = r.on_change(listed, Step.POLICY)
    assert action == Ask(Step.POLICY) and asked.reviewing and asked.person_id is None and asked.channel is None
    back, action = r.on_back(asked)  # Back while changing: the list again, the answer as it was
    assert action == Review(can_wait=False) and r.reviewed(back) == r.reviewed(listed)
    changed, action = r.on_answer(asked, r.parse_answer(Step.POLICY, "123/14", date(2026, 11, 21)))
    assert action == Review(can_wait=False) and changed.stage is Stage.REVIEW and not changed.reviewing
    assert dict(r.reviewed(changed))[Step.POLICY] == "123/14" and changed.answers["number_key"] == "12314"
    assert r.on_wait(changed)[1] == Ignore()  # the details changed: the old code is not waited on
    submitted, action = r.on_resubmit(changed)
    assert action == Submit() and submitted.stage is Stage.CODE
    assert r.on_submitted(submitted, None, ())[1] == AwaitCode(Channel.SMS)


def test_changing_the_phone_takes_its_keyboard_away_on_the_way_back() -> None:
    listed, _ = r.on_review(awaiting(matched=False))
    asked, action = r.on_change(listed, Step.PHONE)
    assert action == Ask(Step.PHONE)
    assert r.on_answer(asked, r.phone_answer("+7 916 100-00-02", verified=False))[1] == Review(False, True)
    assert r.on_back(asked)[1] == Review(can_wait=False, leaving_phone=True)


def test_the_review_is_offered_only_while_the_first_code_is_awaited() -> None:
    dialog, _ = answer_all(*r.on_way(r.begin(None, consents_given=True)[0], Way.PERSONAL))
    assert r.on_review(dialog)[1] == Ignore()  # submitting, not awaiting yet
    proven, _ = r.on_code_verified(replace(awaiting(matched=True), pending=(Channel.EMAIL,)))
    assert r.on_review(proven)[1] == Ignore()  # a channel is proven: the exact reasons follow
    listed, _ = r.on_review(awaiting(Way.PERSONAL, matched=False))
    assert r.on_change(listed, Step.POLICY)[1] == Ignore()  # not a question of this way
    assert r.on_resubmit(awaiting(matched=False))[1] == Ignore()
    assert r.current_action(listed) == Review(can_wait=True)


def test_the_policy_number_is_listed_back_as_typed() -> None:
    today = date(2026, 11, 21)
    assert r.parse_answer(Step.POLICY, " АМ 012345678-13 ", today) == {
        "number_key": "AM01234567813",
        "number": "АМ 012345678-13",
    }
    spaced = "1" + " " * 10 + "-" * 60 + "2"
    assert r.parse_answer(Step.POLICY, spaced, today)["number"] == "12"  # too long to list back: the key
    assert r.parse_answer(Step.LAST_NAME, "Салтыков - Щедрин", today)["last_name"] == "Салтыков-Щедрин"

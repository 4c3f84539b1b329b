"""The registration dialog as data: a typed state and pure transitions, no aiogram and no I/O.

The front end (the chat today, a web page later) keeps a `Dialog` between messages (JSON-safe: it
may live in Redis), feeds it what the user did, and does what the returned `Action` says: show a
question, record a consent, submit the details, wait for a code, complete. What matches the
registry and which channel gets a real code is decided by the registration use case; this module
only knows the order of things:

- consents first (the required ones, then notifications), unless given in their current version;
- then a way in: the invite link (policy number as a second factor, then the phone), the policy
  number (number, names, birth date, phone) or personal data (names, birth date, phone);
- the phone is a *submission*: the details are checked and a code goes to that phone only when they
  match the registry with that phone; the user is told the same either way, and may prove by e-mail
  instead, which is a second submission (the e-mail the registry holds gets a code, then the phone);
- Back returns to the previous question (from a code, to the answer the code went to), never
  sends a code again and forgets nothing else;
- "No code? Check what you typed", offered with the code to everyone alike (a match or not): the
  user's own answers listed back (never anything of the registry), each with a way to change it; a
  changed answer returns to the list, from which the details are submitted again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from core.errors import InputError
from core.matching import Channel, Claim
from core.normalize import (
    canonical_policy,
    display_name,
    email_with_key,
    name_key,
    normalize_phone,
    patronymic_key,
    read_birth_date,
)
from core.normalize.translit import latin_key

SUBMISSIONS_PER_DAY = 10  # submissions of details per Telegram user per day
KEY_FAILURES_PER_DAY = 5  # failed submissions naming one key (a number; a name and birth date) per day

REQUIRED_CONSENTS = ("personal_data", "rules")
CONSENT_KINDS = (*REQUIRED_CONSENTS, "notifications")


class Way(StrEnum):
    POLICY = "policy"  # policy (or personnel) number, names, birth date, phone
    PERSONAL = "personal"  # no number: names, birth date, phone
    INVITE = "invite"  # the insurer's personal link: policy number as a second factor, phone


class Step(StrEnum):
    POLICY = "policy"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    PATRONYMIC = "patronymic"
    BIRTH_DATE = "birth_date"
    PHONE = "phone"
    EMAIL = "email"


class Stage(StrEnum):
    CONSENT = "consent"  # a consent is asked
    WAY = "way"  # with a policy number, or without
    QUESTION = "question"  # `step` is asked
    CODE = "code"  # a code is awaited for `channel`
    REVIEW = "review"  # the user's own answers are listed back (no code came)


STEPS: dict[Way, tuple[Step, ...]] = {
    Way.POLICY: (Step.POLICY, Step.LAST_NAME, Step.FIRST_NAME, Step.PATRONYMIC, Step.BIRTH_DATE, Step.PHONE),
    Way.PERSONAL: (Step.LAST_NAME, Step.FIRST_NAME, Step.PATRONYMIC, Step.BIRTH_DATE, Step.PHONE),
    Way.INVITE: (Step.POLICY, Step.PHONE),
}
OPTIONAL_STEPS = frozenset({Step.PATRONYMIC})

# The answer fields each step fills (the first one tells whether it was answered; the last one is what
# the user typed, cleaned, to list it back).
ANSWER_FIELDS: dict[Step, tuple[str, ...]] = {
    Step.POLICY: ("number_key", "number"),
    Step.LAST_NAME: ("last_key", "last_name"),
    Step.FIRST_NAME: ("first_key", "first_name"),
    Step.PATRONYMIC: ("patronymic_key", "patronymic"),
    Step.BIRTH_DATE: ("birth_date",),
    Step.PHONE: ("phone_verified", "phone"),
    Step.EMAIL: ("email_key", "email"),
}
MAX_SHOWN = 60  # a typed policy number longer than this (separators galore) is listed back canonical


@dataclass(frozen=True)
class Dialog:
    stage: Stage
    consent: str | None = None  # CONSENT: the kind asked
    invite: str | None = None  # the invite token the dialog started with
    way: Way | None = None
    answers: dict = field(default_factory=dict)  # JSON-safe fields of the answered steps
    step: Step | None = None  # QUESTION: the step asked
    by_email: bool = False  # the user chose to prove by e-mail: the EMAIL step follows the phone
    reviewing: bool = False  # QUESTION: an answer changed from the review, which follows it
    channel: Channel | None = None  # CODE: the channel whose code is awaited
    # Set by the use case, never shown: the registry row the details matched (None: none did) and the
    # channels still to prove after `channel`.
    person_id: int | None = None
    pending: tuple[Channel, ...] = ()
    proven: tuple[Channel, ...] = ()

    def to_data(self) -> dict:
        return {
            "stage": self.stage.value,
            "consent": self.consent,
            "invite": self.invite,
            "way": self.way.value if self.way else None,
            "answers": dict(self.answers),
            "step": self.step.value if self.step else None,
            "by_email": self.by_email,
            "reviewing": self.reviewing,
            "channel": self.channel.value if self.channel else None,
            "person_id": self.person_id,
            "pending": [c.value for c in self.pending],
            "proven": [c.value for c in self.proven],
        }

    @classmethod
    def from_data(cls, data: dict) -> Dialog:
        return cls(
            stage=Stage(data["stage"]),
            consent=data.get("consent"),
            invite=data.get("invite"),
            way=Way(data["way"]) if data.get("way") else None,
            answers=dict(data.get("answers") or {}),
            step=Step(data["step"]) if data.get("step") else None,
            by_email=bool(data.get("by_email")),
            reviewing=bool(data.get("reviewing")),
            channel=Channel(data["channel"]) if data.get("channel") else None,
            person_id=data.get("person_id"),
            pending=tuple(Channel(c) for c in data.get("pending") or ()),
            proven=tuple(Channel(c) for c in data.get("proven") or ()),
        )

    @property
    def steps(self) -> tuple[Step, ...]:
        steps = STEPS[self.way] if self.way else ()
        return (*steps, Step.EMAIL) if self.by_email else steps


# --- what the front end does next


@dataclass(frozen=True)
class AskConsent:
    kind: str


@dataclass(frozen=True)
class ChooseWay:
    pass


@dataclass(frozen=True)
class Ask:
    step: Step
    leaving_phone: bool = False  # the phone's reply keyboard is on screen and must go


@dataclass(frozen=True)
class Submit:
    """Check the details; the use case sends a code (or not) and says which channel is awaited."""


@dataclass(frozen=True)
class AwaitCode:
    channel: Channel
    resent: bool = False


@dataclass(frozen=True)
class WaitOn:
    """Back to the code already sent (or not: it reads the same): where it went, no new code."""

    channel: Channel


@dataclass(frozen=True)
class Review:
    """List the user's own answers back (`reviewed`), each with a way to change it; submit them again,
    wait on for the code (`can_wait`), or ask support."""

    can_wait: bool
    leaving_phone: bool = False


@dataclass(frozen=True)
class Complete:
    """Every channel is proven: link the account, or tell the exact reason."""


@dataclass(frozen=True)
class Stop:
    reason: str  # consent_required | cancelled


@dataclass(frozen=True)
class Ignore:
    """A press that belongs to a screen already answered."""


Action = AskConsent | ChooseWay | Ask | Submit | AwaitCode | WaitOn | Review | Complete | Stop | Ignore


# --- transitions


def begin(invite: str | None, *, consents_given: bool) -> tuple[Dialog, Action]:
    dialog = Dialog(Stage.CONSENT, invite=invite)
    if consents_given:
        return after_consents(dialog)
    return replace(dialog, consent=CONSENT_KINDS[0]), AskConsent(CONSENT_KINDS[0])


def on_consent(dialog: Dialog, kind: str, granted: bool) -> tuple[Dialog, Action]:
    """The consent's answer; the caller records it when the action is not Ignore."""
    if dialog.stage is not Stage.CONSENT or kind != dialog.consent:
        return dialog, Ignore()
    if not granted and kind in REQUIRED_CONSENTS:
        return dialog, Stop("consent_required")
    following = CONSENT_KINDS[CONSENT_KINDS.index(kind) + 1 :]
    if following:
        return replace(dialog, consent=following[0]), AskConsent(following[0])
    return after_consents(dialog)


def after_consents(dialog: Dialog) -> tuple[Dialog, Action]:
    if dialog.invite:
        return _ask(replace(dialog, way=Way.INVITE, consent=None, answers={}))
    return replace(dialog, stage=Stage.WAY, consent=None), ChooseWay()


def on_way(dialog: Dialog, way: Way) -> tuple[Dialog, Action]:
    if dialog.stage is not Stage.WAY or way is Way.INVITE:
        return dialog, Ignore()
    return _ask(replace(dialog, way=way, answers={}, by_email=False))


def on_answer(dialog: Dialog, fields: dict) -> tuple[Dialog, Action]:
    """A step answered (fields from `parse_answer`/`phone_answer`); the last one (the phone, or the
    e-mail when proving by e-mail) submits the details; an answer changed from the review returns to it."""
    answered = replace(dialog, answers={**dialog.answers, **fields})
    if dialog.reviewing:
        return _review(answered, leaving_phone=dialog.step is Step.PHONE)
    if next_step(answered) is None:
        return replace(answered, stage=Stage.CODE, step=None), Submit()
    return _ask(answered)


def on_wrong_number(dialog: Dialog) -> tuple[Dialog, Action]:
    """Invite link: the number typed is not the invited person's. Asked again; the phone is kept."""
    return _ask(_forget(dialog, Step.POLICY))


def on_prove_by_email(dialog: Dialog) -> tuple[Dialog, Action]:
    """Instead of the phone's code: the e-mail the registry holds gets one (then the phone)."""
    if dialog.stage is not Stage.CODE or dialog.way is Way.INVITE or dialog.by_email:
        return dialog, Ignore()
    return _ask(_forget(replace(dialog, by_email=True), Step.EMAIL), leaving_phone=False)


def on_back(dialog: Dialog) -> tuple[Dialog, Action]:
    if dialog.stage is Stage.REVIEW:
        return on_wait(dialog)
    if dialog.stage is Stage.QUESTION and dialog.reviewing:  # the answer stays as it was
        return _review(dialog, leaving_phone=dialog.step is Step.PHONE)
    if dialog.stage is Stage.CODE:
        # Back to the answer the code went to (the last submitting step); no code goes again.
        last = dialog.steps[-1]
        return _ask(_forget(dialog, last))
    if dialog.stage is not Stage.QUESTION:
        return dialog, Ignore()
    index = dialog.steps.index(dialog.step)
    leaving_phone = dialog.step is Step.PHONE
    if index == 0:
        if dialog.way is Way.INVITE:
            return _ask(dialog, leaving_phone=leaving_phone)
        return replace(dialog, stage=Stage.WAY, step=None, answers={}), ChooseWay()
    return _ask(_forget(dialog, dialog.steps[index - 1]), leaving_phone=leaving_phone)


def on_submitted(dialog: Dialog, person_id: int | None, channels: tuple[Channel, ...]) -> tuple[Dialog, Action]:
    """What the use case decided: the channels to prove (for a match), or none matched. Either way
    the user waits for a code on the channel of the step just answered, and is told the same."""
    submitted = Channel.EMAIL if dialog.by_email else Channel.SMS
    if person_id is not None and not channels:  # a trusted own contact: proven already
        return replace(dialog, person_id=person_id, channel=None, pending=()), Complete()
    first, *rest = channels or (submitted,)
    return (
        replace(dialog, stage=Stage.CODE, person_id=person_id, channel=first, pending=tuple(rest), proven=()),
        AwaitCode(first),
    )


def on_review(dialog: Dialog) -> tuple[Dialog, Action]:
    """ "No code? Check what you typed": offered while the first code is awaited, when nothing tells a
    match from a miss; so it is the same for both."""
    if dialog.stage is not Stage.CODE or dialog.channel is None or dialog.proven:
        return dialog, Ignore()
    return replace(dialog, stage=Stage.REVIEW), Review(can_wait=True)


def reviewed(dialog: Dialog) -> tuple[tuple[Step, str], ...]:
    """The answers listed back, in the order asked: each step with what the user typed ("" for a
    patronymic they have none of). Only the user's own answers: nothing of the registry."""
    return tuple((step, dialog.answers.get(ANSWER_FIELDS[step][-1], "")) for step in dialog.steps)


def under_review(dialog: Dialog) -> tuple[tuple[Step, str], ...] | None:
    """The answers to list back while the dialog shows its review ("check what you typed"), else None: the
    Mini App's page of them shows nothing at any other point of the dialog."""
    return reviewed(dialog) if dialog.stage is Stage.REVIEW else None


def on_change(dialog: Dialog, step: Step) -> tuple[Dialog, Action]:
    """One answer of the review asked again; the code awaited so far is given up (the details change)."""
    if dialog.stage is not Stage.REVIEW or step not in dialog.steps:
        return dialog, Ignore()
    asked = replace(
        dialog, stage=Stage.QUESTION, step=step, reviewing=True, channel=None, person_id=None, pending=(), proven=()
    )
    return asked, Ask(step)


def on_resubmit(dialog: Dialog) -> tuple[Dialog, Action]:
    """The reviewed details submitted again (a submission like the first: it counts)."""
    if dialog.stage is not Stage.REVIEW or next_step(dialog) is not None:
        return dialog, Ignore()
    return replace(dialog, stage=Stage.CODE, channel=None, person_id=None, pending=(), proven=()), Submit()


def on_wait(dialog: Dialog) -> tuple[Dialog, Action]:
    """From the review back to the code awaited, when no answer was changed since it was asked."""
    if dialog.stage is not Stage.REVIEW or dialog.channel is None:
        return dialog, Ignore()
    return replace(dialog, stage=Stage.CODE), WaitOn(dialog.channel)


def on_code_verified(dialog: Dialog) -> tuple[Dialog, Action]:
    proven = (*dialog.proven, dialog.channel)
    if dialog.pending:
        first, *rest = dialog.pending
        return replace(dialog, channel=first, pending=tuple(rest), proven=proven), AwaitCode(first)
    return replace(dialog, channel=None, proven=proven), Complete()


def current_action(dialog: Dialog) -> Action:
    """What to show again when the user comes back to an unfinished dialog ("continue")."""
    if dialog.stage is Stage.CONSENT:
        return AskConsent(dialog.consent)
    if dialog.stage is Stage.WAY:
        return ChooseWay()
    if dialog.stage is Stage.QUESTION:
        return Ask(dialog.step)
    if dialog.stage is Stage.REVIEW:
        return Review(can_wait=dialog.channel is not None)
    return AwaitCode(dialog.channel, resent=False) if dialog.channel else Submit()


def next_step(dialog: Dialog) -> Step | None:
    """The first question of the way not answered yet."""
    for step in dialog.steps:
        if ANSWER_FIELDS[step][0] not in dialog.answers:
            return step
    return None


def _ask(dialog: Dialog, *, leaving_phone: bool = False) -> tuple[Dialog, Action]:
    step = next_step(dialog)
    if step is None:  # everything is answered: the last step again (cannot happen through the buttons)
        step = dialog.steps[-1]
        dialog = _forget(dialog, step)
    asked = replace(dialog, stage=Stage.QUESTION, step=step, channel=None, person_id=None, pending=(), proven=())
    return asked, Ask(step, leaving_phone=leaving_phone and step is not Step.PHONE)


def _review(dialog: Dialog, *, leaving_phone: bool = False) -> tuple[Dialog, Action]:
    listed = replace(dialog, stage=Stage.REVIEW, step=None, reviewing=False)
    return listed, Review(can_wait=dialog.channel is not None, leaving_phone=leaving_phone)


def _forget(dialog: Dialog, step: Step) -> Dialog:
    return replace(dialog, answers={k: v for k, v in dialog.answers.items() if k not in ANSWER_FIELDS[step]})


# --- reading answers


def parse_answer(step: Step, text: str, today: date) -> dict[str, str | bool]:
    """The stored fields of one typed answer; InputError when it cannot be read."""
    if step is Step.POLICY:
        key, shown = canonical_policy(text), " ".join(text.split())
        return {"number_key": key, "number": shown if len(shown) <= MAX_SHOWN else key}
    if step is Step.LAST_NAME:
        return {"last_key": name_key(text, "last_name"), "last_name": display_name(text)}
    if step is Step.FIRST_NAME:
        return {"first_key": name_key(text, "first_name"), "first_name": display_name(text)}
    if step is Step.PATRONYMIC:
        return {"patronymic_key": patronymic_key(text), "patronymic": display_name(text)}
    if step is Step.BIRTH_DATE:
        return {"birth_date": read_birth_date(text, today).isoformat()}
    if step is Step.PHONE:
        return phone_answer(text, verified=False)
    email, key = email_with_key(text)
    return {"email": email, "email_key": key}


def phone_answer(text: str, *, verified: bool) -> dict[str, str | bool]:
    """`verified`: a Telegram contact of the sender's own, not a typed number."""
    return {"phone": normalize_phone(text), "phone_verified": verified}


def skipped(step: Step) -> dict[str, str]:
    """The answer of an optional step the user has none for."""
    if step not in OPTIONAL_STEPS:
        raise ValueError(f"{step} cannot be skipped")
    return dict.fromkeys(ANSWER_FIELDS[step], "")


def claim_of(answers: dict[str, str]) -> Claim:
    return Claim(
        last_name_key=answers["last_key"],
        first_name_key=answers["first_key"],
        patronymic_key=answers.get("patronymic_key", ""),
        birth_date=date.fromisoformat(answers["birth_date"]),
        number_key=answers.get("number_key"),
    )


def claim_keys(claim: Claim) -> tuple[tuple[str, str], ...]:
    """The keys a submission names, as (kind, value): the number, if any, and the name with the birth
    date (in its passport spelling, so typing it in Latin or Cyrillic is the same key). A submission
    that matches no registry row counts as failed against each of them."""
    last, first = latin_key(claim.last_name_key), latin_key(claim.first_name_key)
    person = f"{last}|{first}|{claim.birth_date.isoformat()}"
    keys = [("person", person)]
    if claim.number_key is not None:
        keys.insert(0, ("number", claim.number_key))
    return tuple(keys)


def registry_keys(
    policy_key: str, personnel_key: str | None, last_name_key: str, first_name_key: str, birth_date: date
) -> tuple[tuple[str, str], ...]:
    """The keys a submission naming this registry row would name (`claim_keys`): its policy number, its
    personnel number if any, and its name with the birth date. What staff see locked, and lift."""
    person = f"{latin_key(last_name_key)}|{latin_key(first_name_key)}|{birth_date.isoformat()}"
    numbers = [("number", key) for key in dict.fromkeys((policy_key, personnel_key)) if key]
    return (*numbers, ("person", person))


def read_code(text: str) -> str:
    """A one-time code as typed: six digits, spaces and dashes forgiven."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise InputError("code", "code.format")
    return digits

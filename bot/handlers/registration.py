"""Registration: consents, then one of three ways in (invite link, policy number, personal data),
then the codes that prove a channel the registry holds, then the account is linked.

The rules are in core (registration steps, matching, codes); this module only moves the dialog.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject
from aiogram_i18n import I18nContext

from bot.keyboards.callbacks import ConsentCb, RegCb
from bot.states.registration import Registration
from bot.views import registration as views
from bot.views.menu import main_menu
from core.errors import InputError
from core.gateways.email import mask_email
from core.matching import Channel, Reason
from core.normalize import mask_phone
from core.registration import ANSWER_FIELDS, Step, Way, next_step, parse_answer, phone_answer, previous_step, read_code
from core.services.codes import CodeDelivery
from core.services.codes import Message as CodeMessage
from core.services.registration import CONSENT_KINDS, REQUIRED_CONSENTS, RegistrationService
from core.services.viewers import Viewer


@dataclass
class Flow:
    """One step of one user's registration: where to answer and what to call."""

    message: Message
    user_id: int
    state: FSMContext
    i18n: I18nContext
    service: RegistrationService
    codes: CodeDelivery

    async def say(self, key: str, **kwargs: Any) -> None:
        await self.message.answer(self.i18n.get(key, **kwargs))

    async def explain(self, error: InputError, step: Step) -> None:
        """What was wrong, with an example; the question stays where it was."""
        await self.say("reg-invalid", problem=self.i18n.get(f"error-{error.code.replace('.', '-')}"),
                       example=self.i18n.get(f"reg-example-{step.value}"))

    async def show(self, view: tuple[str, Any]) -> None:
        text, markup = view
        await self.message.answer(text, reply_markup=markup)

    def consent_version(self, kind: str) -> str:
        return self.i18n.get(f"reg-consent-{kind}-version")

    # --- the dialog

    async def begin(self, invite_token: str | None = None) -> None:
        await self.state.clear()
        if await self.service.attempts_left(self.user_id) <= 0:
            await self.say("reg-too-many-attempts")  # before asking anything that could not be used
            return
        await self.state.update_data(invite=invite_token)
        versions = {kind: self.consent_version(kind) for kind in REQUIRED_CONSENTS}
        if await self.service.has_required_consents(self.user_id, versions):
            await self.after_consents()
        else:
            await self.ask_consent(CONSENT_KINDS[0])

    async def ask_consent(self, kind: str) -> None:
        await self.state.set_state(Registration.consent)
        await self.state.update_data(consent=kind)
        await self.show(views.consent(self.i18n, kind))

    async def after_consents(self) -> None:
        if (await self.state.get_data()).get("invite"):
            await self.start_way(Way.INVITE)
        else:
            await self.state.set_state(Registration.way)
            await self.show(views.choose_way(self.i18n))

    async def start_way(self, way: Way) -> None:
        await self.state.update_data(way=way.value, answers={}, email_asked=False)
        await self.ask_next()

    async def ask_next(self) -> None:
        data = await self.state.get_data()
        step = next_step(Way(data["way"]), data["answers"], email_asked=data["email_asked"])
        if step is None:
            await self.match()
            return
        await self.state.set_state(Registration.answering)
        await self.state.update_data(step=step.value)
        await self.show(views.question(self.i18n, step))

    async def answer(self, fields: dict) -> None:
        data = await self.state.get_data()
        await self.state.update_data(answers={**data["answers"], **fields})
        if "phone" in fields:
            # Acknowledge and take the phone keyboard away before the next question.
            await self.message.answer(self.i18n.get("reg-phone-received", phone=mask_phone(fields["phone"])),
                                      reply_markup=ReplyKeyboardRemove())
        await self.ask_next()

    async def back(self) -> None:
        data = await self.state.get_data()
        if await self.state.get_state() == Registration.code.state:
            step = Step.EMAIL if data["email_asked"] or data["way"] == Way.PERSONAL else Step.PHONE
        else:
            current = Step(data["step"])
            step = previous_step(Way(data["way"]), current, email_asked=data["email_asked"])
        if step is None:  # back from the first question: choose the way again
            await (self.ask_next() if data["way"] == Way.INVITE else self.after_consents())
            return
        answers = {k: v for k, v in data["answers"].items() if k not in ANSWER_FIELDS[step]}
        await self.state.update_data(answers=answers)
        await self.ask_next()

    async def cancel(self) -> None:
        await self.state.clear()
        await self.message.answer(self.i18n.get("reg-cancelled"), reply_markup=ReplyKeyboardRemove())

    async def match(self) -> None:
        if await self.service.attempts_left(self.user_id) <= 0:
            await self.state.clear()
            await self.say("reg-too-many-attempts")
            return
        data = await self.state.get_data()
        decision = await self.service.match(self.user_id, Way(data["way"]), data["answers"], data.get("invite"))
        if decision.reason is Reason.NEED_EMAIL:
            await self.state.update_data(email_asked=True)
            await self.ask_next()
        elif decision.refused_unproven:
            await self.state.clear()
            await self.show(views.try_again(self.i18n, "reg-refused-generic"))
        else:
            await self.state.update_data(person_id=decision.person_id, channels=[c.value for c in decision.channels])
            await self.prove_next()

    async def prove_next(self) -> None:
        data = await self.state.get_data()
        if not data["channels"]:
            await self.complete()
            return
        await self.state.set_state(Registration.code)
        await self.send_code(data["channels"][0])

    async def destination(self, channel: str) -> str:
        data = await self.state.get_data()
        if channel == Channel.SMS:
            return data["answers"]["phone"]
        return await self.service.registry_email(data["person_id"])

    async def send_code(self, channel: str) -> None:
        destination = await self.destination(channel)
        render = self._render_sms if channel == Channel.SMS else self._render_email
        sent = await self.codes.send(self.user_id, channel, destination, render)
        masked = mask_phone(destination) if channel == Channel.SMS else mask_email(destination)
        if sent.ok:
            await self.show(views.code_prompt(self.i18n, f"reg-code-sent-{channel}", to=masked))
        else:
            await self.show(views.code_prompt(self.i18n, f"reg-code-refused-{sent.refusal}", seconds=sent.retry_after))

    def _render_sms(self, code: str) -> CodeMessage:
        return CodeMessage("", self.i18n.get("otp-sms", code=code))

    def _render_email(self, code: str) -> CodeMessage:
        return CodeMessage(self.i18n.get("otp-email-subject"), self.i18n.get("otp-email-body", code=code))

    async def check_code(self, typed: str) -> None:
        data = await self.state.get_data()
        channel = data["channels"][0]
        verified = await self.codes.check(self.user_id, channel, await self.destination(channel), typed)
        if not verified.ok:
            await self.say(f"reg-code-{verified.reason}", tries=verified.tries_left)
            return
        answers = {**data["answers"], **({"email_proven": True} if channel == Channel.EMAIL else {})}
        await self.state.update_data(answers=answers, channels=data["channels"][1:])
        await self.prove_next()

    async def complete(self) -> None:
        data = await self.state.get_data()
        decision = await self.service.complete(self.user_id, Way(data["way"]), data["answers"], data.get("invite"))
        await self.state.clear()
        if decision.reason is Reason.FOUND:
            await self.say("reg-done")
            await self.show(main_menu(self.i18n, registered=True))
        elif decision.refused_unproven:
            await self.show(views.try_again(self.i18n, "reg-refused-generic"))
        else:
            # The channel is proven: now the exact reason may be told.
            await self.say(f"reg-refused-{decision.reason.value}")


class FlowMiddleware(BaseMiddleware):
    """Builds the `flow` of the registration handlers from the dispatcher's dependencies."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        message = event.message if isinstance(event, CallbackQuery) else event
        data["flow"] = Flow(message, data["event_from_user"].id, data["state"], data["i18n"], data["registration"],
                            data["codes"])
        return await handler(event, data)


# --- handlers


async def on_consent(_: CallbackQuery, callback_data: ConsentCb, flow: Flow) -> None:
    kind, granted = callback_data.kind, callback_data.granted
    if kind != (await flow.state.get_data())["consent"]:
        return  # a second press on an answered consent
    await flow.service.record_consent(flow.user_id, kind, flow.consent_version(kind), granted)
    await flow.message.edit_reply_markup(reply_markup=None)  # answered: its buttons go
    if not granted and kind in REQUIRED_CONSENTS:
        await flow.state.clear()
        await flow.show(views.try_again(flow.i18n, "reg-consent-required"))
        return
    following = CONSENT_KINDS[CONSENT_KINDS.index(kind) + 1:]
    await (flow.ask_consent(following[0]) if following else flow.after_consents())


async def on_way(_: CallbackQuery, callback_data: RegCb, flow: Flow) -> None:
    await flow.message.edit_reply_markup(reply_markup=None)
    await flow.start_way(Way(callback_data.value))


def typed(key: str) -> Callable[[Message, I18nContext], Awaitable[bool]]:
    """A filter: the text of a reply-keyboard button (the phone step's Back and Cancel), in the user's language."""

    async def check(message: Message, i18n: I18nContext) -> bool:
        return message.text == i18n.get(key)

    return check


async def on_text(message: Message, flow: Flow) -> None:
    step = Step((await flow.state.get_data())["step"])
    try:
        fields = parse_answer(step, message.text, flow.service.clock.today())
    except InputError as error:
        await flow.explain(error, step)
        return
    await flow.answer(fields)


async def on_contact(message: Message, flow: Flow) -> None:
    if (await flow.state.get_data())["step"] != Step.PHONE:
        await flow.say("reg-contact-not-expected")
        return
    if message.contact.user_id != message.from_user.id:
        await flow.say("reg-contact-not-own")
        return
    try:
        fields = phone_answer(message.contact.phone_number, verified=True)
    except InputError as error:
        await flow.explain(error, Step.PHONE)
        return
    await flow.answer(fields)


async def on_code(message: Message, flow: Flow) -> None:
    try:
        code = read_code(message.text)
    except InputError:
        await flow.say("reg-code-format")
        return
    await flow.check_code(code)


async def on_resend(_: CallbackQuery, flow: Flow) -> None:
    channel = (await flow.state.get_data())["channels"][0]
    await flow.send_code(channel)


async def on_skip(_: CallbackQuery, flow: Flow) -> None:
    step = Step((await flow.state.get_data())["step"])
    await flow.answer({ANSWER_FIELDS[step][0]: ""})


async def on_back(_: CallbackQuery | Message, flow: Flow) -> None:
    await flow.back()


async def on_cancel(_: CallbackQuery | Message, flow: Flow) -> None:
    await flow.cancel()


async def on_restart(_: CallbackQuery, flow: Flow, viewer: Viewer) -> None:
    if viewer.registered:
        await flow.show(main_menu(flow.i18n, registered=True))
        return
    await flow.begin()


async def on_unexpected(message: Message, flow: Flow) -> None:
    """A sticker, a photo… while a question waits for text."""
    await flow.say("reg-text-expected")


def create_router() -> Router:
    router = Router(name="registration")
    router.message.middleware(FlowMiddleware())
    router.callback_query.middleware(FlowMiddleware())
    waiting = StateFilter(Registration.answering, Registration.code)  # a question or a code is awaited
    router.callback_query.register(on_consent, ConsentCb.filter(), Registration.consent)
    router.callback_query.register(on_way, RegCb.filter((F.action == "way") & F.value.in_(("policy", "personal"))),
                                   Registration.way)
    router.callback_query.register(on_skip, RegCb.filter(F.action == "skip"), Registration.answering)
    router.callback_query.register(on_resend, RegCb.filter(F.action == "resend"), Registration.code)
    router.callback_query.register(on_back, RegCb.filter(F.action == "back"), waiting)
    router.callback_query.register(on_cancel, RegCb.filter(F.action == "cancel"), StateFilter(Registration))
    router.callback_query.register(on_restart, RegCb.filter(F.action == "restart"))
    router.message.register(on_back, waiting, typed("button-back"))
    router.message.register(on_cancel, waiting, typed("button-cancel"))
    router.message.register(on_text, Registration.answering, F.text)
    router.message.register(on_contact, Registration.answering, F.contact)
    router.message.register(on_code, Registration.code, F.text)
    router.message.register(on_unexpected, waiting)
    return router

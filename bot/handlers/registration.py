"""Registration in the chat: the dialog of `core.registration` kept in the FSM, moved by what the user
does, and shown through `bot.views.registration`. The rules (the order of questions, what Back
does, when details are submitted, which channel gets a code) are in core; this module parses input,
calls the use case and renders.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject
from aiogram_i18n import I18nContext

from bot.callbacks.common import ConsentCb, RegCb
from bot.filters import not_text, shared_contact, typed_text
from bot.middlewares.held_message import hold
from bot.states.registration import Registration
from bot.views import registration as views
from bot.views.menu import main_menu
from bot.views.pages import PageLinks
from core import registration as dialogs
from core.errors import InputError
from core.gateways.email import mask_email
from core.matching import Channel, Reason
from core.normalize import mask_phone
from core.registration import Action, Dialog, Stage, Step, Way
from core.services.codes import Message as CodeMessage
from core.services.codes import Sent
from core.services.registration import RegistrationService
from core.services.viewers import Viewer


@dataclass
class Flow:
    """One user's registration, for the length of one update. Its messages go through `send`: answering
    a message, the latest is returned for the webhook's answer to carry (bot/middlewares/held_message.py)."""

    message: Message
    user_id: int
    state: FSMContext
    i18n: I18nContext
    service: RegistrationService
    raw_state: str | None  # the FSM state when the update came
    pages: PageLinks | None  # the Mini App mode: nothing the user typed is shown back in the chat

    async def send(self, text: str, markup: Any = None) -> None:
        await hold(self.message.answer(text, reply_markup=markup))

    async def say(self, key: str, **kwargs: Any) -> None:
        await self.send(self.i18n.get(key, **kwargs))

    async def show(self, view: tuple[str, Any]) -> None:
        await self.send(*view)

    async def dialog(self) -> Dialog | None:
        data = (await self.state.get_data()).get("dialog")
        return Dialog.from_data(data) if data else None

    def consent_version(self, kind: str) -> str:
        return self.i18n.get(f"reg-consent-{kind}-version")

    # --- the dialog

    async def begin(self, invite_token: str | None = None) -> None:
        await self.state.clear()
        self.raw_state = None
        if await self.service.submissions_left(self.user_id) <= 0:
            await self.show(views.ended(self.i18n, "reg-too-many-attempts", support=True))
            return
        versions = {kind: self.consent_version(kind) for kind in dialogs.REQUIRED_CONSENTS}
        given = await self.service.has_required_consents(self.user_id, versions)
        await self.run(*dialogs.begin(invite_token, consents_given=given))

    async def run(self, dialog: Dialog, action: Action, *, sent: Sent | None = None) -> None:
        """Keep the dialog and do what the action says."""
        if self.raw_state != Registration.active.state:
            await self.state.set_state(Registration.active)
            self.raw_state = Registration.active.state
        await self.state.set_data({"dialog": dialog.to_data()})  # the dialog is all this state keeps
        match action:
            case dialogs.AskConsent(kind):
                await self.show(views.consent(self.i18n, kind))
            case dialogs.ChooseWay():
                await self.show(views.choose_way(self.i18n))
            case dialogs.Ask(step, leaving_phone):
                if leaving_phone:  # the phone's reply keyboard would stay on screen under any other question
                    await self.send(self.i18n.get("reg-back"), ReplyKeyboardRemove())
                await self.show(views.question(self.i18n, step))
            case dialogs.Submit():
                await self.submit(dialog)
            case dialogs.AwaitCode(channel, resent):
                if sent is None:
                    sent = await self.service.send_code(self.user_id, dialog, self.render, again=resent)
                await self.show_code_prompt(dialog, channel, sent)
            case dialogs.WaitOn(channel):
                await self.show_waiting(dialog, channel)
            case dialogs.Review(can_wait, leaving_phone):
                if leaving_phone:  # the phone's reply keyboard goes, as after the first submission
                    await self.send(self.phone_received(dialog), ReplyKeyboardRemove())
                page = None if self.pages is None else self.pages.registration_check()
                await self.show(views.review(self.i18n, dialogs.reviewed(dialog), can_wait=can_wait, page=page))
            case dialogs.Complete():
                await self.complete(dialog)
            case dialogs.Stop(reason):
                await self.state.clear()
                await self.show(views.ended(self.i18n, f"reg-stopped-{reason}"))

    async def follow(self, transition: tuple[Dialog, Action]) -> None:
        """Run a transition's outcome, unless it ignores the press (a button of a screen already answered)."""
        moved, action = transition
        if not isinstance(action, dialogs.Ignore):
            await self.run(moved, action)

    async def answer(self, dialog: Dialog, read: Callable[[], dict[str, str | bool]]) -> None:
        """The question's answer, read by `read`, moves the dialog on; one that cannot be read is told what
        was wrong with it, and the question stays."""
        try:
            fields = read()
        except InputError as error:
            await self.show(views.invalid(self.i18n, error, dialog.step))
            return
        await self.run(*dialogs.on_answer(dialog, fields))

    async def submit(self, dialog: Dialog) -> None:
        if not dialog.by_email:
            # The phone is acknowledged and its reply keyboard taken away before the answer.
            await self.send(self.phone_received(dialog), ReplyKeyboardRemove())
        submitted = await self.service.submit(self.user_id, dialog, self.render)
        if submitted.too_many:
            await self.state.clear()
            await self.show(views.ended(self.i18n, "reg-too-many-attempts", support=True))
        elif submitted.wrong_policy:
            await self.say("reg-invite-wrong-policy")
            await self.run(*dialogs.on_wrong_number(dialog))
        else:
            moved, action = dialogs.on_submitted(dialog, submitted.person_id, submitted.channels)
            await self.run(moved, action, sent=submitted.sent)

    async def show_code_prompt(self, dialog: Dialog, channel: Channel, sent: Sent) -> None:
        if sent.ok:
            # After a proven channel there is nothing left to keep quiet about: the code did go.
            stage = "next" if dialog.proven else "sent"
            text = self.i18n.get(f"reg-code-{stage}-{channel}", to=self.masked(dialog, channel))
        else:
            text = self.i18n.get(f"reg-code-refused-{sent.refusal}-{channel}", seconds=sent.retry_after)
        await self.show(self.code_prompt(dialog, text))

    async def show_waiting(self, dialog: Dialog, channel: Channel) -> None:
        """The code asked for earlier: where it went, and no new one."""
        text = self.i18n.get(f"reg-code-waiting-{channel}", to=self.masked(dialog, channel))
        await self.show(self.code_prompt(dialog, text))

    def code_prompt(self, dialog: Dialog, text: str) -> views.Screen:
        may_use_email = dialog.channel == Channel.SMS and not dialog.by_email and dialog.way is not Way.INVITE
        unproven = not dialog.proven  # nothing yet tells a match from a miss
        return views.code_prompt(self.i18n, text, by_email=may_use_email and unproven, review=unproven)

    def phone_received(self, dialog: Dialog) -> str:
        if self.pages is not None:
            return self.i18n.get("reg-phone-received-hidden")
        return self.i18n.get("reg-phone-received", phone=mask_phone(dialog.answers["phone"]))

    def masked(self, dialog: Dialog, channel: Channel) -> str:
        """Where the code went: masked, or in the Mini App mode only "the number / the address you gave"."""
        if self.pages is not None:
            return self.i18n.get(f"reg-destination-{channel}")
        if channel == Channel.SMS:
            return self.i18n.get("reg-destination-masked-sms", to=mask_phone(dialog.answers["phone"]))
        return self.i18n.get("reg-destination-masked-email", to=escape(mask_email(dialog.answers["email"])))

    def render(self, channel: str, code: str) -> CodeMessage:
        if channel == Channel.SMS:
            return CodeMessage("", self.i18n.get("otp-sms", code=code))
        return CodeMessage(self.i18n.get("otp-email-subject"), self.i18n.get("otp-email-body", code=code))

    async def check_code(self, dialog: Dialog, typed: str) -> None:
        verified = await self.service.check_code(self.user_id, dialog, typed)
        if verified.ok:
            await self.run(*dialogs.on_code_verified(dialog))
            return
        # The last wrong try burns the code: said at once, not on the next try.
        reason = "burned" if verified.reason == "wrong" and verified.tries_left == 0 else verified.reason
        text = self.i18n.get(f"reg-code-{reason}", tries=verified.tries_left)
        await self.show(views.code_prompt(self.i18n, text, by_email=False, review=not dialog.proven))

    async def complete(self, dialog: Dialog) -> None:
        decision = await self.service.complete(self.user_id, dialog, language=self.i18n.locale)
        await self.state.clear()
        if decision.reason is Reason.FOUND:
            await self.say("reg-done")
            await self.show(main_menu(self.i18n, registered=True))
        elif decision.refused_unproven:
            await self.show(views.ended(self.i18n, "reg-refused-generic"))
        else:
            # A channel is proven: now the exact reason may be told.
            await self.show(
                views.ended(
                    self.i18n, f"reg-refused-{decision.reason.value}", support=decision.reason in SUPPORT_REASONS
                )
            )


# Refusals that only support can resolve: the message offers to write to them.
SUPPORT_REASONS = frozenset({Reason.ALREADY_LINKED, Reason.PHONE_TAKEN, Reason.EMAIL_TAKEN})


class FlowMiddleware(BaseMiddleware):
    """Builds the `flow` of the registration handlers from the dispatcher's dependencies."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["flow"] = Flow(
            event.message if isinstance(event, CallbackQuery) else event,
            data["event_from_user"].id,
            data["state"],
            data["i18n"],
            data["registration"],
            data.get("raw_state"),
            data.get("pages"),
        )
        return await handler(event, data)


# --- handlers: each reads the dialog, moves it with a core transition, and lets the flow show it


async def on_consent(_: CallbackQuery, callback_data: ConsentCb, flow: Flow, dialog: Dialog) -> None:
    kind, granted = callback_data.kind, callback_data.granted
    moved, action = dialogs.on_consent(dialog, kind, granted)
    if isinstance(action, dialogs.Ignore):
        return  # a second press on an answered consent
    await flow.service.record_consent(flow.user_id, kind, flow.consent_version(kind), granted)
    await flow.message.edit_reply_markup(reply_markup=None)  # answered: its buttons go
    await flow.run(moved, action)


async def on_way(_: CallbackQuery, callback_data: RegCb, flow: Flow, dialog: Dialog) -> None:
    moved, action = dialogs.on_way(dialog, Way(callback_data.value))
    if not isinstance(action, dialogs.Ignore):
        await flow.message.edit_reply_markup(reply_markup=None)
        await flow.run(moved, action)


async def on_text(message: Message, flow: Flow, dialog: Dialog) -> None:
    if dialog.stage is Stage.CODE:
        try:
            code = dialogs.read_code(message.text)
        except InputError:
            await flow.say("reg-code-format")
            return
        await flow.check_code(dialog, code)
        return
    if dialog.stage is not Stage.QUESTION:
        await flow.say("reg-buttons-expected")
        return
    await flow.answer(dialog, lambda: dialogs.parse_answer(dialog.step, message.text, flow.service.clock.today()))


async def on_contact(message: Message, flow: Flow, dialog: Dialog) -> None:
    if dialog.stage is not Stage.QUESTION or dialog.step is not Step.PHONE:
        await flow.say("reg-contact-not-expected")
        return
    if message.contact.user_id != message.from_user.id:
        await flow.say("reg-contact-not-own")
        return
    await flow.answer(dialog, lambda: dialogs.phone_answer(message.contact.phone_number, verified=True))


async def on_skip(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    if dialog.stage is Stage.QUESTION and dialog.step in dialogs.OPTIONAL_STEPS:
        await flow.run(*dialogs.on_answer(dialog, dialogs.skipped(dialog.step)))


async def on_resend(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    if dialog.stage is Stage.CODE and dialog.channel is not None:
        await flow.run(dialog, dialogs.AwaitCode(dialog.channel, resent=True))


async def on_prove_by_email(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    await flow.follow(dialogs.on_prove_by_email(dialog))


async def on_back(_: CallbackQuery | Message, flow: Flow, dialog: Dialog) -> None:
    await flow.follow(dialogs.on_back(dialog))


async def on_review(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    await flow.follow(dialogs.on_review(dialog))


async def on_change(_: CallbackQuery, callback_data: RegCb, flow: Flow, dialog: Dialog) -> None:
    await flow.follow(dialogs.on_change(dialog, Step(callback_data.value)))


async def on_resubmit(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    moved, action = dialogs.on_resubmit(dialog)
    if not isinstance(action, dialogs.Ignore):
        await flow.message.edit_reply_markup(reply_markup=None)  # submitted: the list's buttons go
        await flow.run(moved, action)


async def on_wait(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    await flow.follow(dialogs.on_wait(dialog))


async def on_cancel(_: CallbackQuery | Message, flow: Flow) -> None:
    await flow.state.clear()
    await flow.send(flow.i18n.get("reg-cancelled"), ReplyKeyboardRemove())
    await flow.show(views.ended(flow.i18n, "reg-start-again"))


async def on_restart(_: CallbackQuery, flow: Flow, viewer: Viewer) -> None:
    if viewer.registered:
        await flow.show(main_menu(flow.i18n, registered=True))
        return
    await flow.begin()


async def on_continue(_: CallbackQuery, flow: Flow, dialog: Dialog) -> None:
    """Back to where the user was (after /start in the middle): the question again, no code re-sent."""
    action = dialogs.current_action(dialog)
    if isinstance(action, dialogs.AwaitCode):
        action = dialogs.WaitOn(action.channel)
    await flow.run(dialog, action)


async def on_unexpected(message: Message, flow: Flow) -> None:
    """A sticker, a photo… while the dialog waits for text or a button."""
    await flow.say("reg-text-expected")


async def with_dialog(event: TelegramObject, state: FSMContext) -> dict[str, Dialog] | bool:
    """A filter: the user is in a registration dialog; hands it to the handler as `dialog`."""
    data = (await state.get_data()).get("dialog")
    return {"dialog": Dialog.from_data(data)} if data else False


def typed(key: str) -> Callable[[Message, I18nContext], Awaitable[bool]]:
    """A filter: the text of a reply-keyboard button (the phone step's Back and Cancel), in the user's language."""

    async def check(message: Message, i18n: I18nContext) -> bool:
        return message.text == i18n.get(key)

    return check


def create_router() -> Router:
    router = Router(name="registration")
    router.message.middleware(FlowMiddleware())
    router.callback_query.middleware(FlowMiddleware())
    active = StateFilter(Registration.active)
    cb, msg = router.callback_query, router.message
    cb.register(on_consent, ConsentCb.filter(), active, with_dialog)
    cb.register(on_way, RegCb.filter((F.action == "way") & F.value.in_(("policy", "personal"))), active, with_dialog)
    cb.register(on_skip, RegCb.filter(F.action == "skip"), active, with_dialog)
    cb.register(on_resend, RegCb.filter(F.action == "resend"), active, with_dialog)
    cb.register(on_prove_by_email, RegCb.filter(F.action == "by_email"), active, with_dialog)
    cb.register(on_back, RegCb.filter(F.action == "back"), active, with_dialog)
    cb.register(on_review, RegCb.filter(F.action == "review"), active, with_dialog)
    cb.register(on_change, RegCb.filter((F.action == "change") & F.value.in_(tuple(Step))), active, with_dialog)
    cb.register(on_resubmit, RegCb.filter(F.action == "resubmit"), active, with_dialog)
    cb.register(on_wait, RegCb.filter(F.action == "wait"), active, with_dialog)
    cb.register(on_cancel, RegCb.filter(F.action == "cancel"), active)
    cb.register(on_continue, RegCb.filter(F.action == "continue"), active, with_dialog)
    cb.register(on_restart, RegCb.filter(F.action == "restart"))
    msg.register(on_back, active, typed("button-back"), with_dialog)
    msg.register(on_cancel, active, typed("button-cancel"))
    msg.register(on_text, active, typed_text, with_dialog)
    msg.register(on_contact, active, shared_contact, with_dialog)
    msg.register(on_unexpected, active, not_text)
    return router

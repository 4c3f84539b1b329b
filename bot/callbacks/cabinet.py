"""Callback data of the cabinet sections. Ids, page numbers and short codes only: every handler
checks that the ids belong to the caller (a modified client can send any of these)."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, PageNo
from core.cabinet.notifications import NotificationKind
from core.cabinet.requests import RequestKind


class ToMenuCb(CallbackData, prefix="home"):
    """Back to the main menu, leaving whatever form was open."""


# --- policies and children


class PoliciesCb(CallbackData, prefix="pols"):
    page: PageNo = 0


class PolicyCb(CallbackData, prefix="pol"):
    person_id: Id


class PolicyMemoCb(CallbackData, prefix="memo"):
    """The policy's memo as a PDF (the policy resolver checks the person is the caller's to see)."""

    person_id: Id


class AddChildCb(CallbackData, prefix="kid"):
    """Start adding a child's policy."""


class ChildFormAction(StrEnum):
    BACK = "back"  # to the previous step (from the first: the policy list)
    SKIP = "skip"  # no patronymic


class ChildFormCb(CallbackData, prefix="kidf"):
    """A button of the child's form."""

    action: ChildFormAction


# --- clinics


class ClinicsCb(CallbackData, prefix="cls"):
    """A page of a policy's clinics; `search` names the search kept in the FSM ('' for the whole list)."""

    person_id: Id
    page: PageNo = 0
    search: str = ""


class ClinicCb(CallbackData, prefix="clc"):
    """A clinic's card; page and search lead back to the list it was opened from."""

    person_id: Id
    clinic_id: str
    page: PageNo = 0
    search: str = ""


class ClinicsNearCb(CallbackData, prefix="cln"):
    """Ask for the user's location to list the policy's clinics nearest first."""

    person_id: Id


class ClinicMapCb(CallbackData, prefix="clm"):
    person_id: Id
    clinic_id: str


class ClinicSearchCb(CallbackData, prefix="clq"):
    person_id: Id


class AddClinicCb(CallbackData, prefix="cla"):
    """The "ask to add a clinic" form, for a policy."""

    person_id: Id


# --- franchise


class FranchiseListCb(CallbackData, prefix="frs"):
    page: PageNo = 0


class FranchiseCb(CallbackData, prefix="fr"):
    person_id: Id


class FranchiseConsentCb(CallbackData, prefix="frok"):
    person_id: Id


# --- requests


class RequestsCb(CallbackData, prefix="reqs"):
    page: PageNo = 0


class RequestCb(CallbackData, prefix="req"):
    number: Id


class CloseRequestCb(CallbackData, prefix="reqx"):
    number: Id


class NewRequestCb(CallbackData, prefix="reqn"):
    kind: RequestKind


# --- settings


class NotificationCb(CallbackData, prefix="ntf"):
    kind: NotificationKind


class EmailCb(CallbackData, prefix="eml"):
    action: str  # change | resend


class ServicesSharingCb(CallbackData, prefix="shs"):
    """The caller's own permission for her holder to read her service names: on or off. `holder_id` is the
    holder the screen named (checked against the registry's holder now); no field names whose setting."""

    allow: bool
    holder_id: Id

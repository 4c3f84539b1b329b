"""Queries of the cabinet sections (policies, clinics, franchise, children, requests, settings), by name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import (
    Account,
    AuditEvent,
    ChildLink,
    Clinic,
    FranchiseActivation,
    InsuredPerson,
    NotificationSetting,
    Program,
    UserRequest,
    clinic_programs,
)

# --- people linked to a policy


async def relatives_of(session: AsyncSession, holder_policy_key: str) -> list[InsuredPerson]:
    query = select(InsuredPerson).where(InsuredPerson.holder_policy_key == holder_policy_key)
    return list(await session.scalars(query.order_by(InsuredPerson.policy_key)))


async def children_of(session: AsyncSession, parent_person_id: int) -> list[InsuredPerson]:
    query = (
        select(InsuredPerson)
        .join(ChildLink, ChildLink.child_person_id == InsuredPerson.id)
        .where(ChildLink.parent_person_id == parent_person_id)
    )
    return list(await session.scalars(query.order_by(InsuredPerson.policy_key)))


async def parent_of(session: AsyncSession, child_person_id: int) -> InsuredPerson | None:
    query = (
        select(InsuredPerson)
        .join(ChildLink, ChildLink.parent_person_id == InsuredPerson.id)
        .where(ChildLink.child_person_id == child_person_id)
    )
    return await session.scalar(query)


async def programs_by_code(session: AsyncSession, codes: Iterable[str]) -> dict[str, Program]:
    programs = await session.scalars(select(Program).where(Program.code.in_(set(codes))))
    return {program.code: program for program in programs}


async def activations_of(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, FranchiseActivation]:
    query = select(FranchiseActivation).where(FranchiseActivation.person_id.in_(set(person_ids)))
    return {activation.person_id: activation for activation in await session.scalars(query)}


# --- clinics


async def clinic_names(session: AsyncSession, program_code: str) -> list[tuple[str, str, str]]:
    """(id, name, search_key) of every clinic of a program: small rows, searched and paged in `core`."""
    query = (
        select(Clinic.id, Clinic.name, Clinic.search_key)
        .join(clinic_programs, clinic_programs.c.clinic_id == Clinic.id)
        .where(clinic_programs.c.program_code == program_code)
    )
    return [tuple(row) for row in await session.execute(query)]


async def clinics_by_id(session: AsyncSession, ids: Iterable[str]) -> dict[str, Clinic]:
    return {clinic.id: clinic for clinic in await session.scalars(select(Clinic).where(Clinic.id.in_(set(ids))))}


async def clinic_of_program(session: AsyncSession, clinic_id: str, program_code: str) -> Clinic | None:
    query = (
        select(Clinic)
        .join(clinic_programs, clinic_programs.c.clinic_id == Clinic.id)
        .where(Clinic.id == clinic_id, clinic_programs.c.program_code == program_code)
    )
    return await session.scalar(query)


# --- requests


async def count_requests(session: AsyncSession, account_id: int) -> int:
    query = select(func.count()).select_from(UserRequest).where(UserRequest.account_id == account_id)
    return await session.scalar(query) or 0


async def requests_page(session: AsyncSession, account_id: int, offset: int, limit: int) -> list[UserRequest]:
    query = (
        select(UserRequest)
        .where(UserRequest.account_id == account_id)
        .order_by(UserRequest.created_at.desc(), UserRequest.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def request_of(session: AsyncSession, account_id: int, request_id: int) -> UserRequest | None:
    """The request, only when it is this account's."""
    query = select(UserRequest).where(UserRequest.id == request_id, UserRequest.account_id == account_id)
    return await session.scalar(query)


# --- settings


async def notification_settings(session: AsyncSession, account_id: int) -> dict[str, NotificationSetting]:
    query = select(NotificationSetting).where(NotificationSetting.account_id == account_id)
    return {setting.kind: setting for setting in await session.scalars(query)}


async def email_owner(session: AsyncSession, email_key: str) -> int | None:
    """The telegram id of the account holding this e-mail, if any."""
    return await session.scalar(select(Account.telegram_id).where(Account.email_key == email_key))


# --- limits


async def actions_since(session: AsyncSession, actor_telegram_id: int, action: str, since: datetime) -> int:
    query = select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_telegram_id == actor_telegram_id, AuditEvent.action == action, AuditEvent.at >= since
    )
    return await session.scalar(query) or 0

"""policy keys without separators: `123/14` and `123-14` are one policy

The canonical policy number used to keep `/` (every other separator was already dropped), so a
stored key differs from the new canonical form only by its slashes. Every column holding one loses
them: the people's own keys, personnel keys, holder references (relatives, deposits) and the holder
an adult relative shared her services with. Registration failure keys (audit rows) are keyed hashes of
the old form: they count per day and simply lapse.

Two rows may now share a key (`123/14` and `12314`, or `12/314`). Both are kept: the one already in
the new form, else the oldest, takes the key; the others keep their old key, and each such pair is
logged (row ids only) and recorded as an audit event `registry.key_collision` for staff
(docs/domain.md, "Policy number"). References to a row that kept its old key keep it too.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:30:00.000000

"""
import logging
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

log = logging.getLogger("core.db.migrations")

CHUNK = 500  # keys per `IN (...)`

people = sa.table(
    "insured_people", sa.column("id", sa.Integer), sa.column("policy_key", sa.String),
    sa.column("holder_policy_key", sa.String), sa.column("personnel_key", sa.String),
)
deposits = sa.table("deposits", sa.column("reference", sa.String), sa.column("holder_policy_key", sa.String))
accounts = sa.table("accounts", sa.column("id", sa.Integer), sa.column("services_shared_with", sa.String))
audit = sa.table(
    "audit_events", sa.column("at", sa.DateTime(timezone=True)), sa.column("action", sa.String),
    sa.column("object_type", sa.String), sa.column("object_id", sa.String), sa.column("reason", sa.String),
    sa.column("details", sa.JSON),
)


def _new(key: str) -> str:
    return key.replace("/", "")


def upgrade() -> None:
    bind = op.get_bind()
    slashed = bind.execute(
        sa.select(people.c.id, people.c.policy_key).where(people.c.policy_key.contains("/")).order_by(people.c.id)
    ).all()
    # Who holds each new key: a row already in the new form, else the oldest of the re-keyed ones.
    holders: dict[str, int] = {}
    wanted = sorted({_new(key) for _, key in slashed})
    for start in range(0, len(wanted), CHUNK):
        query = sa.select(people.c.policy_key, people.c.id).where(people.c.policy_key.in_(wanted[start : start + CHUNK]))
        holders.update(bind.execute(query).all())
    rekeyed, kept, collisions = [], set(), []
    for row_id, key in slashed:
        holder = holders.setdefault(_new(key), row_id)
        if holder == row_id:
            rekeyed.append({"row_id": row_id, "key": _new(key)})
        else:
            kept.add(key)
            collisions.append((holder, row_id))
    if rekeyed:
        bind.execute(
            people.update().where(people.c.id == sa.bindparam("row_id")).values(policy_key=sa.bindparam("key")), rekeyed
        )

    def reference(old: str) -> str:
        return old if old in kept else _new(old)

    for table, key_column, column in (
        (people, people.c.id, people.c.holder_policy_key),
        (people, people.c.id, people.c.personnel_key),
        (deposits, deposits.c.reference, deposits.c.holder_policy_key),
        (accounts, accounts.c.id, accounts.c.services_shared_with),
    ):
        rows = bind.execute(sa.select(key_column, column).where(column.contains("/"))).all()
        # A personnel number is no reference to a policy: it loses its slashes whatever the policies did.
        new = _new if column is people.c.personnel_key else reference
        changes = [{"row_key": row_key, "value": new(value)} for row_key, value in rows if new(value) != value]
        if changes:
            bind.execute(
                table.update().where(key_column == sa.bindparam("row_key")).values({column.name: sa.bindparam("value")}),
                changes,
            )
    _report(bind, collisions)


def _report(bind: sa.Connection, collisions: list[tuple[int, int]]) -> None:
    """Each pair now sharing a key: a warning and an audit event, ids only (the keys are personal data)."""
    now = datetime.now(timezone.utc)
    for holder, other in collisions:
        log.warning(
            "policy key collision: insured_people row %s kept its old key, row %s has the new one; "
            "staff must decide (docs/domain.md, Policy number)", other, holder,
        )
    if collisions:
        bind.execute(audit.insert(), [
            {"at": now, "action": "registry.key_collision", "object_type": "insured_person", "object_id": str(other),
             "reason": "old_key_kept", "details": {"holder_person_id": holder}}
            for holder, other in collisions
        ])


def downgrade() -> None:
    # The slashes are gone and cannot be told back from the keys; the printed numbers still have them.
    pass

"""audit_events: an index on (action, at), for counting one kind of event over a period (/stats)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 01:00:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_audit_events_action_at', 'audit_events', ['action', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_events_action_at', table_name='audit_events')

"""staff roles: roles granted in the bot (/roles), beside those of the configuration

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('staff_roles',
    sa.Column('telegram_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('granted_by_telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('telegram_id', name=op.f('pk_staff_roles'))
    )


def downgrade() -> None:
    op.drop_table('staff_roles')

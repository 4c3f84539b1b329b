"""named limit counters; blocked Telegram users

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'limit_counters',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=80), nullable=False),
        sa.Column('window', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', 'subject', 'window', name=op.f('pk_limit_counters')),
    )
    op.create_index(op.f('ix_limit_counters_window'), 'limit_counters', ['window'], unique=False)
    op.create_table(
        'blocked_users',
        sa.Column('telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('blocked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('blocked_by', sa.BigInteger(), nullable=False),
        sa.Column('noticed_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ['person_id'], ['insured_people.id'], name=op.f('fk_blocked_users_person_id_insured_people'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('telegram_id', name=op.f('pk_blocked_users')),
    )
    op.create_index(op.f('ix_blocked_users_person_id'), 'blocked_users', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_blocked_users_person_id'), table_name='blocked_users')
    op.drop_table('blocked_users')
    op.drop_index(op.f('ix_limit_counters_window'), table_name='limit_counters')
    op.drop_table('limit_counters')

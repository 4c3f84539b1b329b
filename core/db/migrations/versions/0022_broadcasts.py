"""broadcasts: a message to a segment; outbox rows carry a priority and their broadcast

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 00:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'broadcasts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.BigInteger(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('screen', sa.String(length=10), nullable=True),
        sa.Column('segment', sa.String(length=10), nullable=False),
        sa.Column('segment_value', sa.String(length=200), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('blocked', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('cancelled', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('priority', sa.SmallInteger(), server_default='0', nullable=False))
        batch.add_column(sa.Column('broadcast_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_outbox_broadcast_id_broadcasts', 'broadcasts', ['broadcast_id'], ['id'])
        batch.create_index('ix_outbox_broadcast_id', ['broadcast_id'])
        batch.drop_index('ix_outbox_pending')
        batch.create_index('ix_outbox_due', ['sent_at', 'priority', 'id'])


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_index('ix_outbox_due')
        batch.create_index('ix_outbox_pending', ['sent_at', 'id'])
        batch.drop_index('ix_outbox_broadcast_id')
        batch.drop_constraint('fk_outbox_broadcast_id_broadcasts', type_='foreignkey')
        batch.drop_column('broadcast_id')
        batch.drop_column('priority')
    op.drop_table('broadcasts')

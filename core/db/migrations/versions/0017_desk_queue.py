"""the desk's queue: claims, muted staff, a request's conversation, the asker's language

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 22:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'desk_claims',
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('taken_by', sa.BigInteger(), nullable=True),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('kind', 'item_id', name=op.f('pk_desk_claims')),
    )
    op.create_table(
        'desk_mutes',
        sa.Column('telegram_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('muted_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('telegram_id', name=op.f('pk_desk_mutes')),
    )
    op.create_table(
        'request_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('from_staff', sa.Boolean(), nullable=False),
        sa.Column('telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['request_id'], ['user_requests.id'], name=op.f('fk_request_messages_request_id_user_requests'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_request_messages')),
    )
    op.create_index(op.f('ix_request_messages_request_id'), 'request_messages', ['request_id'], unique=False)
    with op.batch_alter_table('user_requests') as batch:
        batch.add_column(sa.Column('language', sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_requests') as batch:
        batch.drop_column('language')
    op.drop_index(op.f('ix_request_messages_request_id'), table_name='request_messages')
    op.drop_table('request_messages')
    op.drop_table('desk_mutes')
    op.drop_table('desk_claims')

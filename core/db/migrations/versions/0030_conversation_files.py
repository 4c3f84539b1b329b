"""conversations: support's attachments kept by their Telegram file id, and a dispute's conversation

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 10:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0030'
down_revision: Union[str, Sequence[str], None] = '0029'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FILE_COLUMNS = ('file_kind', 'file_id', 'file_name')


def _file_columns() -> list[sa.Column]:
    return [
        sa.Column('file_kind', sa.String(length=10), nullable=True),
        sa.Column('file_id', sa.String(length=255), nullable=True),
        sa.Column('file_name', sa.String(length=255), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table('request_messages') as batch:
        for column in _file_columns():
            batch.add_column(column)
    op.create_table(
        'dispute_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dispute_id', sa.Integer(), nullable=False),
        sa.Column('from_staff', sa.Boolean(), nullable=False),
        sa.Column('telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        *_file_columns(),
        sa.ForeignKeyConstraint(
            ['dispute_id'], ['disputes.id'], name='fk_dispute_messages_dispute_id_disputes', ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_dispute_messages_dispute_id', 'dispute_messages', ['dispute_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_dispute_messages_dispute_id', table_name='dispute_messages')
    op.drop_table('dispute_messages')
    with op.batch_alter_table('request_messages') as batch:
        for name in reversed(FILE_COLUMNS):
            batch.drop_column(name)

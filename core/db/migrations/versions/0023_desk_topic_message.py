"""desk_topics.message_id: a topic's first message, rewritten as its item changes

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 00:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('desk_topics') as batch:
        batch.add_column(sa.Column('message_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('desk_topics') as batch:
        batch.drop_column('message_id')

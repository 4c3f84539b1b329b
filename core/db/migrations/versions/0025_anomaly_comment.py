"""desk_claims: the comment an admin dismissed a payment anomaly with

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 01:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0025'
down_revision: Union[str, Sequence[str], None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('desk_claims') as batch:
        batch.add_column(sa.Column('comment', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('desk_claims') as batch:
        batch.drop_column('comment')

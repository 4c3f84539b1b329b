"""payment_methods.first6: the card's first six digits, so that the same card bound again is one row

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 22:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('payment_methods') as batch:
        batch.add_column(sa.Column('first6', sa.String(length=6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('payment_methods') as batch:
        batch.drop_column('first6')

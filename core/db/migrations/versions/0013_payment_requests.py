"""payment and refund requests stored for retries; anomalies for staff

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    for table in ('payments', 'refunds'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('request', sa.JSON(), nullable=True))
            batch_op.add_column(sa.Column('anomaly', sa.String(length=20), nullable=True))


def downgrade() -> None:
    for table in ('refunds', 'payments'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('anomaly')
            batch_op.drop_column('request')

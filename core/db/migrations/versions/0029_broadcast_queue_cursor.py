"""broadcasts: where the queuing stands (the last account id queued, the last chunk's time), so it resumes

Revision ID: 0029
Revises: 0025
Create Date: 2026-12-07 04:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0029'
down_revision: Union[str, Sequence[str], None] = '0026'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('broadcasts') as batch:
        batch.add_column(sa.Column('queued_through', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('queue_beat', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('broadcasts') as batch:
        batch.drop_column('queue_beat')
        batch.drop_column('queued_through')

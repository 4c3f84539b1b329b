"""services shared: an adult relative lets her holder see the names of her services

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 16:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('services_shared_with', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('services_shared_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('services_shared_at')
        batch_op.drop_column('services_shared_with')

"""birth date index: names typed in Latin are looked up by birth date

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('insured_people', schema=None) as batch_op:
        batch_op.create_index('ix_insured_people_birth_date', ['birth_date'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('insured_people', schema=None) as batch_op:
        batch_op.drop_index('ix_insured_people_birth_date')

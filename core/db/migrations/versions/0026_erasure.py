"""Erasure: consents outlive their account (withdrawn, by ids only); a payment, a dispute and a franchise
consent may have lost the Telegram id of the person who erased their account

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 04:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = '0026'
down_revision: Union[str, Sequence[str], None] = '0025'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAMING = {'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s'}  # as core.db.models names them

ANONYMISED = (
    ('payments', 'telegram_id'),
    ('disputes', 'opened_by_telegram_id'),
    ('franchise_activations', 'consented_by_telegram_id'),
)


def upgrade() -> None:
    with op.batch_alter_table('consents', naming_convention=NAMING) as batch:
        batch.drop_constraint('fk_consents_account_id_accounts', type_='foreignkey')
        batch.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    for table, column in ANONYMISED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    # Only while nothing was anonymised yet: an erased person's rows cannot get their Telegram id back.
    for table, column in ANONYMISED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.BigInteger(), nullable=False)
    with op.batch_alter_table('consents', naming_convention=NAMING) as batch:
        batch.drop_column('withdrawn_at')
        batch.create_foreign_key(
            'fk_consents_account_id_accounts', 'accounts', ['account_id'], ['id'], ondelete='CASCADE'
        )

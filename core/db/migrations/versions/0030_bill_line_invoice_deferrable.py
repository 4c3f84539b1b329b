"""bill_lines.invoice_id: its foreign key deferrable, so an import writes the lines before their invoices

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 07:00:00.000000

PostgreSQL only. SQLite defers any foreign key for one transaction (`PRAGMA defer_foreign_keys`), so its
table is not rebuilt for a word in its schema.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0030'
down_revision: Union[str, Sequence[str], None] = '0029'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CONSTRAINT = 'fk_bill_lines_invoice_id_invoices'


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE bill_lines ALTER CONSTRAINT {CONSTRAINT} DEFERRABLE INITIALLY IMMEDIATE')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE bill_lines ALTER CONSTRAINT {CONSTRAINT} NOT DEFERRABLE')

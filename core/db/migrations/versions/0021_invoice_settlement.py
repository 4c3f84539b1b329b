"""invoices: when and how an invoice was paid, its offline reference, when and why it was cancelled

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 00:45:00.000000

Invoices paid before this revision are read back from what is stored: a succeeded payment of the
invoice (yookassa, its settlement time), else an accepted dispute (credit, its answer time), else the
deposit (deposit, the issue time).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: Union[str, Sequence[str], None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_PAID = "status IN ('paid', 'refunded') AND paid_how IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('invoices') as batch:
        batch.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('paid_how', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('offline_reference', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
    paid_by_payment = (
        "SELECT MIN(p.settled_at) FROM payment_invoices pi JOIN payments p ON p.id = pi.payment_id "
        "WHERE pi.invoice_id = invoices.id AND p.status = 'succeeded'"
    )
    op.execute(
        f"UPDATE invoices SET paid_how = 'yookassa', paid_at = COALESCE(({paid_by_payment}), updated_at) "
        f"WHERE {_PAID} AND EXISTS ({paid_by_payment.replace('MIN(p.settled_at)', '1')})"
    )
    credited = "SELECT MAX(d.answered_at) FROM disputes d WHERE d.invoice_id = invoices.id AND d.status = 'accepted'"
    op.execute(
        f"UPDATE invoices SET paid_how = 'credit', paid_at = COALESCE(({credited}), updated_at) "
        f"WHERE {_PAID} AND EXISTS ({credited.replace('MAX(d.answered_at)', '1')})"
    )
    op.execute(f"UPDATE invoices SET paid_how = 'deposit', paid_at = created_at WHERE {_PAID}")
    op.execute("UPDATE invoices SET cancelled_at = updated_at WHERE status = 'cancelled'")


def downgrade() -> None:
    with op.batch_alter_table('invoices') as batch:
        batch.drop_column('cancel_reason')
        batch.drop_column('cancelled_at')
        batch.drop_column('offline_reference')
        batch.drop_column('paid_how')
        batch.drop_column('paid_at')

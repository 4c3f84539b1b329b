"""disputes: a line of an unpaid invoice questioned, held until staff answer

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('bill_line_id', sa.String(length=60), nullable=False),
    sa.Column('opened_by_account_id', sa.Integer(), nullable=True),
    sa.Column('opened_by_telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_telegram_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['bill_line_id'], ['bill_lines.id'], name=op.f('fk_disputes_bill_line_id_bill_lines')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_disputes_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['opened_by_account_id'], ['accounts.id'], name=op.f('fk_disputes_opened_by_account_id_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_bill_line_id'), ['bill_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index('ix_disputes_status_deadline', ['status', 'deadline'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_disputes_status_deadline')
        batch_op.drop_index(batch_op.f('ix_disputes_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_bill_line_id'))

    op.drop_table('disputes')

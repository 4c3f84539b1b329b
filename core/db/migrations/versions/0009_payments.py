"""payments: YooKassa payments of invoices, their refunds

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 16:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotence_key', sa.String(length=64), nullable=False),
    sa.Column('invoice_set', sa.String(length=64), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('payer_person_id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('amount_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=True),
    sa.Column('confirmation_url', sa.Text(), nullable=True),
    sa.Column('cancellation_reason', sa.String(length=64), nullable=True),
    sa.Column('receipt_registration', sa.String(length=12), nullable=True),
    sa.Column('refunded_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['payer_person_id'], ['insured_people.id'], name=op.f('fk_payments_payer_person_id_insured_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('idempotence_key', name=op.f('uq_payments_idempotence_key')),
    sa.UniqueConstraint('provider_id', name=op.f('uq_payments_provider_id'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_invoice_set'), ['invoice_set'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_payer_person_id'), ['payer_person_id'], unique=False)
        batch_op.create_index('ix_payments_status_created_at', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_telegram_id'), ['telegram_id'], unique=False)

    op.create_table('payment_invoices',
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount_kopecks', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payment_invoices_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_invoices_payment_id_payments')),
    sa.PrimaryKeyConstraint('payment_id', 'invoice_id', name=op.f('pk_payment_invoices'))
    )
    with op.batch_alter_table('payment_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_invoices_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('idempotence_key', sa.String(length=64), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=True),
    sa.Column('amount_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_by_telegram_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('idempotence_key', name=op.f('uq_refunds_idempotence_key')),
    sa.UniqueConstraint('provider_id', name=op.f('uq_refunds_provider_id'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index('ix_refunds_status_created_at', ['status', 'created_at'], unique=False)

    op.create_table('refund_invoices',
    sa.Column('refund_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount_kopecks', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_refund_invoices_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_refund_invoices_refund_id_refunds')),
    sa.PrimaryKeyConstraint('refund_id', 'invoice_id', name=op.f('pk_refund_invoices'))
    )
    with op.batch_alter_table('refund_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_invoices_invoice_id'), ['invoice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refund_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_invoices_invoice_id'))

    op.drop_table('refund_invoices')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index('ix_refunds_status_created_at')
        batch_op.drop_index(batch_op.f('ix_refunds_payment_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('payment_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_invoices_invoice_id'))

    op.drop_table('payment_invoices')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_telegram_id'))
        batch_op.drop_index('ix_payments_status_created_at')
        batch_op.drop_index(batch_op.f('ix_payments_payer_person_id'))
        batch_op.drop_index(batch_op.f('ix_payments_invoice_set'))

    op.drop_table('payments')

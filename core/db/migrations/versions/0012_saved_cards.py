"""saved cards and automatic charges: payment methods, autopay charges, payment kinds

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 19:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('autopay', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='invoices', nullable=False))
        batch_op.add_column(sa.Column('payment_method_id', sa.Integer(), nullable=True))
    op.create_table('payment_methods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payer_person_id', sa.Integer(), nullable=False),
    sa.Column('provider_method_id', sa.String(length=64), nullable=False),
    sa.Column('binding_payment_id', sa.Integer(), nullable=False),
    sa.Column('card_type', sa.String(length=32), nullable=False),
    sa.Column('last4', sa.String(length=4), nullable=False),
    sa.Column('expiry_month', sa.Integer(), nullable=False),
    sa.Column('expiry_year', sa.Integer(), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['binding_payment_id'], ['payments.id'], name=op.f('fk_payment_methods_binding_payment_id_payments')),
    sa.ForeignKeyConstraint(['payer_person_id'], ['insured_people.id'], name=op.f('fk_payment_methods_payer_person_id_insured_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_methods')),
    sa.UniqueConstraint('binding_payment_id', name=op.f('uq_payment_methods_binding_payment_id'))
    )
    op.create_index(op.f('ix_payment_methods_payer_person_id'), 'payment_methods', ['payer_person_id'], unique=False)
    op.create_table('autopay_charges',
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('payer_person_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('skipped', sa.String(length=16), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_autopay_charges_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['payer_person_id'], ['insured_people.id'], name=op.f('fk_autopay_charges_payer_person_id_insured_people')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_autopay_charges_payment_id_payments')),
    sa.PrimaryKeyConstraint('invoice_id', name=op.f('pk_autopay_charges')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_autopay_charges_payment_id'))
    )
    op.create_index(op.f('ix_autopay_charges_payer_person_id'), 'autopay_charges', ['payer_person_id'], unique=False)
    op.create_index(op.f('ix_autopay_charges_done_at'), 'autopay_charges', ['done_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_autopay_charges_done_at'), table_name='autopay_charges')
    op.drop_index(op.f('ix_autopay_charges_payer_person_id'), table_name='autopay_charges')
    op.drop_table('autopay_charges')
    op.drop_index(op.f('ix_payment_methods_payer_person_id'), table_name='payment_methods')
    op.drop_table('payment_methods')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('payment_method_id')
        batch_op.drop_column('kind')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('autopay')

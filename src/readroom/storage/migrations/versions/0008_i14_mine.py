"""reading_decision: each decision at the end of a pass, with its date

Revision ID: 0008_i14_mine
Revises: 0007_structure_source
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_i14_mine'
down_revision = '0007_structure_source'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reading_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reading_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_decision_paper_id'), ['paper_id'], unique=False)
    # A paper parked, dropped or done before this table existed keeps that decision, dated by its last change.
    op.execute("INSERT INTO reading_decision (paper_id, pass_no, decision, reason, decided_at)"
               " SELECT paper_id, pass_no, CASE decision WHEN 'parked' THEN 'park' WHEN 'dropped' THEN 'drop'"
               " ELSE 'done' END, reason, updated_at FROM reading WHERE decision != 'reading'")


def downgrade() -> None:
    with op.batch_alter_table('reading_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_decision_paper_id'))
    op.drop_table('reading_decision')

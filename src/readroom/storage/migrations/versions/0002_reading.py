"""reading state: pass, decision, checklist ticks, notes, time, to-read queue

Revision ID: 0002_reading
Revises: 0001_papers
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0002_reading'
down_revision = '0001_papers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checklist_tick',
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('checked_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'pass_no', 'item_id')
    )
    op.create_table('pass_time',
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'pass_no')
    )
    op.create_table('reading',
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id')
    )
    op.create_table('reading_note',
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('slot', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'pass_no', 'slot')
    )
    op.create_table('to_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_paper_id', sa.String(length=36), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('arxiv_id', sa.String(), nullable=True),
    sa.Column('doi', sa.String(), nullable=True),
    sa.Column('paper_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['from_paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('to_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_to_read_from_paper_id'), ['from_paper_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('to_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_to_read_from_paper_id'))

    op.drop_table('to_read')
    op.drop_table('reading_note')
    op.drop_table('reading')
    op.drop_table('pass_time')
    op.drop_table('checklist_tick')

"""reading time per study day, for the reading streak

Revision ID: 0005_reading_day
Revises: 0004_sanity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_reading_day'
down_revision = '0004_sanity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reading_day',
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'day')
    )
    with op.batch_alter_table('reading_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_day_day'), ['day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reading_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_day_day'))
    op.drop_table('reading_day')

"""sync_note, sync_card: what the last `readroom sync` left on both sides (notes, suspensions, buries)

Revision ID: 0011_i16_state
Revises: 0010_figure_notes
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_i16_state'
down_revision = '0010_figure_notes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_note',
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('mod', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('guid')
    )
    op.create_table('sync_card',
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('ord', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.Column('buried', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('guid', 'ord')
    )


def downgrade() -> None:
    op.drop_table('sync_card')
    op.drop_table('sync_note')

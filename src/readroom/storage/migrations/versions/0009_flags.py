"""card.flag: Anki's card flag (0 none, 1 red, 2 orange, 3 green, 4 blue)

Revision ID: 0009_flags
Revises: 0008_i14_mine
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0009_flags'
down_revision = '0008_i14_mine'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flag', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_column('flag')

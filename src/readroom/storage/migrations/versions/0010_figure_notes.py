"""note.image and note.areas: figure cards (an image on the front) and image-occlusion cards (one per hidden area)

Revision ID: 0010_figure_notes
Revises: 0009_flags
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_figure_notes'
down_revision = '0009_flags'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('areas', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_column('areas')
        batch_op.drop_column('image')

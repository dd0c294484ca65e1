"""structure_source: where a parsed paper's sections came from ("outline", "layout", later "html")

Revision ID: 0007_structure_source
Revises: 0006_discover
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_structure_source'
down_revision = '0006_discover'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.add_column(sa.Column('structure_source', sa.String(length=16), nullable=True))
    # Every paper parsed so far was parsed by layout; unparsed papers have no structure to have a source.
    op.execute("UPDATE paper SET structure_source = 'layout' WHERE parse_status = 'parsed'")


def downgrade() -> None:
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.drop_column('structure_source')

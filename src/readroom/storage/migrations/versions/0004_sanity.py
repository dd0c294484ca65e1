"""sanity: local arXiv-Sanity index, sync state, dismissed papers

Revision ID: 0004_sanity
Revises: 0003_cards
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_sanity'
down_revision = '0003_cards'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sanity_dismissed',
    sa.Column('arxiv_id', sa.String(length=32), nullable=False),
    sa.Column('dismissed_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('arxiv_id')
    )
    op.create_table('sanity_paper',
    sa.Column('arxiv_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('authors', sa.Text(), nullable=False),
    sa.Column('abstract', sa.Text(), nullable=False),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('primary_category', sa.String(length=32), nullable=True),
    sa.Column('published', sa.String(length=32), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=True),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('arxiv_id')
    )
    with op.batch_alter_table('sanity_paper', schema=None) as batch_op:
        batch_op.create_index('ix_sanity_paper_published', ['published'], unique=False)
        batch_op.create_index('ix_sanity_paper_rev', ['rev'], unique=False)

    op.create_table('sanity_sync',
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('gaps', sa.Text(), nullable=False),
    sa.Column('last_sync_at', sa.String(length=32), nullable=True),
    sa.Column('completed_at', sa.String(length=32), nullable=True),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('source')
    )


def downgrade() -> None:
    op.drop_table('sanity_sync')
    with op.batch_alter_table('sanity_paper', schema=None) as batch_op:
        batch_op.drop_index('ix_sanity_paper_rev')
        batch_op.drop_index('ix_sanity_paper_published')

    op.drop_table('sanity_paper')
    op.drop_table('sanity_dismissed')

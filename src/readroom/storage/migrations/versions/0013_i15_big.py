"""Indexes the stats report counts from alone at 1M cards: ix_review_log_reviewed_at also holds what a day's
answers are summed by (state_before, rating, elapsed_ms), so no review-log row is read; ix_card_buried holds only
the cards ever buried (buried_until set), so counting the buried ones is no longer a scan of every card.

Revision ID: 0013_i15_big
Revises: 0012_note_updated_index
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_i15_big'
down_revision = '0012_note_updated_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_review_log_reviewed_at', table_name='review_log')
    op.create_index('ix_review_log_reviewed_at', 'review_log', ['reviewed_at', 'state_before', 'rating', 'elapsed_ms'],
                    unique=False)
    op.create_index('ix_card_buried', 'card', ['buried_until', 'suspended', 'state'], unique=False,
                    sqlite_where=sa.text('buried_until IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_card_buried', table_name='card')
    op.drop_index('ix_review_log_reviewed_at', table_name='review_log')
    op.create_index('ix_review_log_reviewed_at', 'review_log', ['reviewed_at'], unique=False)

"""ix_note_updated_at: the sync state line counts the notes changed since the last sync without reading them all

Revision ID: 0012_note_updated_index
Revises: 0011_i16_state
Create Date: 2026-12-02
"""

from alembic import op

revision = '0012_note_updated_index'
down_revision = '0011_i16_state'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_note_updated_at', 'note', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_note_updated_at', table_name='note')

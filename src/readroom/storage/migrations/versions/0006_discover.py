"""discover: the sanity_* tables take Discover's name (discover_paper, discover_sync, discover_dismissed)

Revision ID: 0006_discover
Revises: 0005_reading_day
Create Date: 2026-11-24
"""

from alembic import op

revision = '0006_discover'
down_revision = '0005_reading_day'
branch_labels = None
depends_on = None

TABLES = ('paper', 'sync', 'dismissed')


def upgrade() -> None:
    for table in TABLES:
        op.rename_table(f'sanity_{table}', f'discover_{table}')
    _rename_indexes('sanity', 'discover')


def downgrade() -> None:
    _rename_indexes('discover', 'sanity')
    for table in TABLES:
        op.rename_table(f'discover_{table}', f'sanity_{table}')


def _rename_indexes(old: str, new: str) -> None:
    # SQLite cannot rename an index: drop it and create it again under the new name. Both ways run while the
    # table is called discover_paper (after the rename up, before the rename down).
    with op.batch_alter_table('discover_paper', schema=None) as batch_op:
        for column in ('published', 'rev'):
            batch_op.drop_index(f'ix_{old}_paper_{column}')
            batch_op.create_index(f'ix_{new}_paper_{column}', [column], unique=False)

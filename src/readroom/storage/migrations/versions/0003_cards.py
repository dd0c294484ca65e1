"""cards: highlights, notes (card sources), cards with FSRS state, review log

Revision ID: 0003_cards
Revises: 0002_reading
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_cards'
down_revision = '0002_reading'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('highlight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('section', sa.String(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('color', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('annot_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('highlight', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_highlight_annot_key'), ['annot_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_highlight_paper_id'), ['paper_id'], unique=False)

    op.create_table('note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('front', sa.Text(), nullable=False),
    sa.Column('back', sa.Text(), nullable=False),
    sa.Column('paper_id', sa.String(length=36), nullable=True),
    sa.Column('highlight_id', sa.Integer(), nullable=True),
    sa.Column('section', sa.String(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['highlight_id'], ['highlight.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_highlight_id'), ['highlight_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_paper_id'), ['paper_id'], unique=False)

    op.create_table('card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=True),
    sa.Column('stability', sa.Float(), nullable=True),
    sa.Column('difficulty', sa.Float(), nullable=True),
    sa.Column('due', sa.String(length=32), nullable=False),
    sa.Column('last_review', sa.String(length=32), nullable=True),
    sa.Column('reps', sa.Integer(), nullable=False),
    sa.Column('lapses', sa.Integer(), nullable=False),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.Column('buried_until', sa.String(length=32), nullable=True),
    sa.Column('leech', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['note.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.create_index('ix_card_due', ['due'], unique=False)
        batch_op.create_index('ix_card_note_ord', ['note_id', 'ord'], unique=True)
        batch_op.create_index('ix_card_queue', ['suspended', 'state', 'due'], unique=False)
        batch_op.create_index('ix_card_suspended_due', ['suspended', 'due'], unique=False)

    op.create_table('review_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.String(length=32), nullable=False),
    sa.Column('elapsed_ms', sa.Integer(), nullable=False),
    sa.Column('state_before', sa.Integer(), nullable=False),
    sa.Column('state_after', sa.Integer(), nullable=False),
    sa.Column('interval_days', sa.Float(), nullable=False),
    sa.Column('step_before', sa.Integer(), nullable=True),
    sa.Column('stability_before', sa.Float(), nullable=True),
    sa.Column('difficulty_before', sa.Float(), nullable=True),
    sa.Column('due_before', sa.String(length=32), nullable=False),
    sa.Column('due_after', sa.String(length=32), nullable=False),
    sa.Column('last_review_before', sa.String(length=32), nullable=True),
    sa.Column('stability_after', sa.Float(), nullable=True),
    sa.Column('difficulty_after', sa.Float(), nullable=True),
    sa.Column('made_leech', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_log_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_log_reviewed_at'), ['reviewed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_log_reviewed_at'))
        batch_op.drop_index(batch_op.f('ix_review_log_card_id'))

    op.drop_table('review_log')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_index('ix_card_suspended_due')
        batch_op.drop_index('ix_card_queue')
        batch_op.drop_index('ix_card_note_ord')
        batch_op.drop_index('ix_card_due')

    op.drop_table('card')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_paper_id'))
        batch_op.drop_index(batch_op.f('ix_note_highlight_id'))

    op.drop_table('note')
    with op.batch_alter_table('highlight', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_highlight_paper_id'))
        batch_op.drop_index(batch_op.f('ix_highlight_annot_key'))

    op.drop_table('highlight')

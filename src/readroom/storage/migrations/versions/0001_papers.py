"""Papers, their tags and parsed structure (sections, figures, references).

JSON lists are TEXT, datetimes are UTC ISO strings (see storage/types.py).

Revision ID: 0001_papers
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0001_papers'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('paper',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('arxiv_id', sa.String(length=32), nullable=True),
    sa.Column('arxiv_version', sa.Integer(), nullable=True),
    sa.Column('latest_version', sa.Integer(), nullable=True),
    sa.Column('doi', sa.String(), nullable=True),
    sa.Column('classic_key', sa.String(length=64), nullable=True),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('authors', sa.Text(), nullable=False),
    sa.Column('abstract', sa.Text(), nullable=False),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('primary_category', sa.String(), nullable=True),
    sa.Column('published', sa.String(length=32), nullable=True),
    sa.Column('updated', sa.String(length=32), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(), nullable=True),
    sa.Column('journal_ref', sa.String(), nullable=True),
    sa.Column('pdf_path', sa.String(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_size', sa.Integer(), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.String(length=32), nullable=False),
    sa.Column('parse_status', sa.String(length=16), nullable=False),
    sa.Column('parse_error', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.create_index('ix_paper_added_at', ['added_at'], unique=False)
        batch_op.create_index('ix_paper_arxiv_id', ['arxiv_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_paper_classic_key'), ['classic_key'], unique=False)
        batch_op.create_index('ix_paper_pdf_sha256', ['pdf_sha256'], unique=False)

    op.create_table('paper_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('paper_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_figure_paper_id'), ['paper_id'], unique=False)

    op.create_table('paper_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('arxiv_id', sa.String(length=32), nullable=True),
    sa.Column('doi', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('paper_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_reference_arxiv_id'), ['arxiv_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_reference_paper_id'), ['paper_id'], unique=False)

    op.create_table('paper_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('paper_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_section_paper_id'), ['paper_id'], unique=False)

    op.create_table('paper_tag',
    sa.Column('paper_id', sa.String(length=36), nullable=False),
    sa.Column('tag', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'tag')
    )
    with op.batch_alter_table('paper_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_tag_tag'), ['tag'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('paper_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_tag_tag'))

    op.drop_table('paper_tag')
    with op.batch_alter_table('paper_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_section_paper_id'))

    op.drop_table('paper_section')
    with op.batch_alter_table('paper_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_reference_paper_id'))
        batch_op.drop_index(batch_op.f('ix_paper_reference_arxiv_id'))

    op.drop_table('paper_reference')
    with op.batch_alter_table('paper_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_figure_paper_id'))

    op.drop_table('paper_figure')
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.drop_index('ix_paper_pdf_sha256')
        batch_op.drop_index(batch_op.f('ix_paper_classic_key'))
        batch_op.drop_index('ix_paper_arxiv_id')
        batch_op.drop_index('ix_paper_added_at')

    op.drop_table('paper')

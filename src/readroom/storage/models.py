"""The tables. Every schema change here ships with a migration in migrations/versions/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from readroom.storage.types import JSONList, UTCDateTime


def _paper_fk() -> Column:
    return Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), nullable=False, index=True)


class Paper(SQLModel, table=True):
    __tablename__ = "paper"
    __table_args__ = (
        Index("ix_paper_arxiv_id", "arxiv_id", unique=True),
        Index("ix_paper_pdf_sha256", "pdf_sha256"),
        Index("ix_paper_added_at", "added_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    source: str = Field(sa_column=Column(String(16), nullable=False))  # arxiv / classic / local / url
    arxiv_id: str | None = Field(default=None, sa_column=Column(String(32)))
    arxiv_version: int | None = None
    latest_version: int | None = None  # newest version arXiv reported, when newer than ours
    doi: str | None = None
    classic_key: str | None = Field(default=None, sa_column=Column(String(64), index=True))
    url: str | None = None  # where the PDF came from, for url and catalogue entries
    title: str = Field(sa_column=Column(Text, nullable=False))
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSONList, nullable=False))
    abstract: str = Field(default="", sa_column=Column(Text, nullable=False))
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSONList, nullable=False))
    primary_category: str | None = None
    published: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    updated: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    year: int | None = None
    comment: str | None = None
    journal_ref: str | None = None
    pdf_path: str | None = None  # relative to $READROOM_HOME/papers, so the home folder can move
    pdf_sha256: str | None = Field(default=None, sa_column=Column(String(64)))
    pdf_size: int | None = None
    page_count: int | None = None
    added_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    parse_status: str = Field(default="pending", sa_column=Column(String(16), nullable=False))
    parse_error: str | None = None


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"

    paper_id: str = Field(
        sa_column=Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(64), primary_key=True, index=True))


class PaperSection(SQLModel, table=True):
    __tablename__ = "paper_section"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    paper_id: str = Field(sa_column=_paper_fk())
    position: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    level: int
    page: int
    text: str = Field(default="", sa_column=Column(Text, nullable=False))


class PaperFigure(SQLModel, table=True):
    __tablename__ = "paper_figure"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    paper_id: str = Field(sa_column=_paper_fk())
    position: int
    kind: str  # figure / table
    label: str
    caption: str = Field(sa_column=Column(Text, nullable=False))
    page: int


class PaperReference(SQLModel, table=True):
    __tablename__ = "paper_reference"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    paper_id: str = Field(sa_column=_paper_fk())
    position: int
    raw: str = Field(sa_column=Column(Text, nullable=False))
    arxiv_id: str | None = Field(default=None, sa_column=Column(String(32), index=True))
    doi: str | None = None


# --------------------------------------------------------------------------------------------- reading


class Reading(SQLModel, table=True):
    """Where a user is with one paper: the pass they are on and their decision about it."""

    __tablename__ = "reading"

    paper_id: str = Field(
        sa_column=Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    pass_no: int = 1  # 1 skim, 2 grasp, 3 re-derive
    decision: str = Field(default="reading", sa_column=Column(String(16), nullable=False))  # reading/parked/dropped/done
    reason: str | None = None  # why it was parked or dropped
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ChecklistTick(SQLModel, table=True):
    __tablename__ = "checklist_tick"

    paper_id: str = Field(
        sa_column=Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    pass_no: int = Field(sa_column=Column(Integer, primary_key=True))
    item_id: str = Field(sa_column=Column(String(64), primary_key=True))
    checked_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReadingNote(SQLModel, table=True):
    """Free text per paper, pass and slot: 'notes', the five Cs ('cs:category'...), 'section:<title>'..."""

    __tablename__ = "reading_note"

    paper_id: str = Field(
        sa_column=Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    pass_no: int = Field(sa_column=Column(Integer, primary_key=True))
    slot: str = Field(sa_column=Column(String(200), primary_key=True))
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class PassTime(SQLModel, table=True):
    __tablename__ = "pass_time"

    paper_id: str = Field(
        sa_column=Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    pass_no: int = Field(sa_column=Column(Integer, primary_key=True))
    seconds: float = 0.0


class ToRead(SQLModel, table=True):
    """A reference queued 'to read' from a paper's reference list; linked once it is in the library."""

    __tablename__ = "to_read"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    from_paper_id: str = Field(sa_column=_paper_fk())
    raw: str = Field(sa_column=Column(Text, nullable=False))
    arxiv_id: str | None = None
    doi: str | None = None
    paper_id: str | None = Field(
        default=None, sa_column=Column(String(36), ForeignKey("paper.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))

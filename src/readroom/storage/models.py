"""The tables. Every schema change here ships with a migration in migrations/versions/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, text
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
    structure_source: str | None = Field(default=None, sa_column=Column(String(16)))  # outline / layout; None unparsed


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


class ReadingDecision(SQLModel, table=True):
    """Each decision at the end of a pass and when it was made (next, park, drop, done, resume): the reading's
    history, which `show` and the notes export list; `reading` keeps only where it led."""

    __tablename__ = "reading_decision"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    paper_id: str = Field(sa_column=_paper_fk())
    pass_no: int = Field(sa_column=Column(Integer, nullable=False))  # the pass it was made at
    decision: str = Field(sa_column=Column(String(16), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text))
    decided_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


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


class ReadingDay(SQLModel, table=True):
    """Reading time per paper and study day (4 a.m. to 4 a.m. local), so the reading streak can count it."""

    __tablename__ = "reading_day"

    paper_id: str = Field(
        sa_column=Column(String(36), ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    day: str = Field(sa_column=Column(String(10), primary_key=True, index=True))  # ISO date of the study day
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


# --------------------------------------------------------------------------------------------- cards


class Highlight(SQLModel, table=True):
    """A passage the user marked in a paper, with enough around it to find it again if the parse changes."""

    __tablename__ = "highlight"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    paper_id: str = Field(sa_column=_paper_fk())
    pass_no: int | None = None
    page: int | None = None
    section: str | None = None
    start: int | None = None  # character offsets in the page's (or section's) text
    end: int | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    before: str = Field(default="", sa_column=Column(Text, nullable=False))  # some text around it
    after: str = Field(default="", sa_column=Column(Text, nullable=False))
    kind: str | None = Field(default=None, sa_column=Column(String(16)))  # definition / claim / result / question
    color: str | None = Field(default=None, sa_column=Column(String(16)))
    note: str | None = Field(default=None, sa_column=Column(Text))
    annot_key: str | None = Field(default=None, sa_column=Column(String(64), index=True))  # PDF import dedup
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Note(SQLModel, table=True):
    """What cards are made from: a question and answer (one card) or a cloze text (one card per number)."""

    __tablename__ = "note"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String(8), nullable=False))  # qa / cloze / figure / occlude
    front: str = Field(sa_column=Column(Text, nullable=False))  # the question, or the cloze text
    back: str = Field(default="", sa_column=Column(Text, nullable=False))  # the answer, or extra text for a cloze
    # Cards outlive the paper or highlight they came from: their review history is the user's work.
    paper_id: str | None = Field(
        default=None, sa_column=Column(String(36), ForeignKey("paper.id", ondelete="SET NULL"), index=True)
    )
    highlight_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("highlight.id", ondelete="SET NULL"), index=True)
    )
    section: str | None = None
    page: int | None = None
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSONList, nullable=False))
    # figure / occlude notes: the image (relative to $READROOM_HOME, under media/) and, for occlusion, the hidden
    # areas as [left, top, width, height] fractions of the image, one card per area
    image: str | None = Field(default=None, sa_column=Column(Text))
    areas: list[list[float]] = Field(default_factory=list, sa_column=Column(JSONList))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # indexed: what a sync would send is the notes changed since the last one (storage/sync_status.py)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


class Card(SQLModel, table=True):
    """One schedulable card with its FSRS memory state (state 0 new, 1 learning, 2 review, 3 relearning)."""

    __tablename__ = "card"
    __table_args__ = (
        Index("ix_card_note_ord", "note_id", "ord", unique=True),
        Index("ix_card_due", "due"),
        Index("ix_card_suspended_due", "suspended", "due"),
        Index("ix_card_queue", "suspended", "state", "due"),  # the day's queue reads one range per state
        # the cards ever buried only: the stats count the buried ones from it (storage/stats.py)
        Index("ix_card_buried", "buried_until", "suspended", "state", sqlite_where=text("buried_until IS NOT NULL")),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    note_id: int = Field(sa_column=Column(Integer, ForeignKey("note.id", ondelete="CASCADE"), nullable=False))
    ord: int = 0  # the cloze number; 0 for a question/answer card
    state: int = 0
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))  # new cards: creation time, for order
    last_review: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    leech: bool = False
    flag: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))  # Anki's: 1 red .. 4 blue
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReviewLog(SQLModel, table=True):
    """One answer; holds the card's whole prior state so that undo restores it exactly."""

    __tablename__ = "review_log"
    # covering: the stats sum a day's answers from the index alone (storage/stats.py reviews_per_day)
    __table_args__ = (Index("ix_review_log_reviewed_at", "reviewed_at", "state_before", "rating", "elapsed_ms"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    card_id: int = Field(
        sa_column=Column(Integer, ForeignKey("card.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    rating: int
    reviewed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    elapsed_ms: int = 0  # capped at the timer cap (60 s), as Anki does
    state_before: int
    state_after: int
    interval_days: float  # scheduled interval: due_after - reviewed_at
    step_before: int | None = None
    stability_before: float | None = None
    difficulty_before: float | None = None
    due_before: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    due_after: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_review_before: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    stability_after: float | None = None
    difficulty_after: float | None = None
    made_leech: bool = False  # this answer tagged the card leech and suspended it


# --------------------------------------------------------------------------------------------- discover (a local arXiv-Sanity)


class DiscoverPaper(SQLModel, table=True):
    """One paper of the local arXiv-Sanity index: metadata only (the PDF comes with `readroom add`)."""

    __tablename__ = "discover_paper"
    __table_args__ = (
        Index("ix_discover_paper_published", "published"),
        Index("ix_discover_paper_rev", "rev"),
    )

    arxiv_id: str = Field(sa_column=Column(String(32), primary_key=True))  # without version
    version: int = 1
    title: str = Field(sa_column=Column(Text, nullable=False))
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSONList, nullable=False))
    abstract: str = Field(default="", sa_column=Column(Text, nullable=False))
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSONList, nullable=False))
    primary_category: str | None = Field(default=None, sa_column=Column(String(32)))
    published: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    rev: int = 0  # the index revision that wrote this row: the features cache catches up from its own rev
    fetched_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class DiscoverSync(SQLModel, table=True):
    """Where a sync of one listing (a category query, or a sanity-lite instance) stands, for resuming it."""

    __tablename__ = "discover_sync"

    source: str = Field(sa_column=Column(String(500), primary_key=True))
    # JSON list of unfinished stretches of the listing, newest first: [{"start": offset, "total": results then}]
    gaps: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    last_sync_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    total: int | None = None  # results the listing reported last time


class DiscoverDismissed(SQLModel, table=True):
    """A paper the user waved away in Discover: hidden from then on, and a negative for the models."""

    __tablename__ = "discover_dismissed"

    arxiv_id: str = Field(sa_column=Column(String(32), primary_key=True))
    dismissed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


# --------------------------------------------------------------------------------------------- sync (readroom sync)


class SyncNote(SQLModel, table=True):
    """A note as the last `readroom sync` left it in the companion Anki collection (by GUID, as there): what tells
    a note deleted on one side from one never sent."""

    __tablename__ = "sync_note"

    guid: str = Field(sa_column=Column(String(36), primary_key=True))
    mod: int  # Anki's note modified time (seconds) then: a later one is an edit made elsewhere since


class SyncCard(SQLModel, table=True):
    """A card's suspension and bury as the last sync left them on both sides: the base that tells which side
    changed since. Keyed like Anki's card (note GUID, Anki ord), so a deleted card's row outlives it."""

    __tablename__ = "sync_card"

    guid: str = Field(sa_column=Column(String(36), primary_key=True))
    ord: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    suspended: bool
    buried: bool

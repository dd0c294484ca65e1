"""What the service layer hands to the CLI and the TUI: plain data, no ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from readroom import cloze
from readroom.structure import Caption, Reference, Section

# FSRS card states and answer ratings, numbered as in Anki and py-fsrs.
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}


@dataclass(frozen=True)
class CardState:
    """What FSRS needs to know about a card, and what it gives back. Times are UTC-aware."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def first_author(authors: list[str]) -> str:
    """The first author's last name, with "et al." when there are more: how lists name a paper."""
    if not authors:
        return ""
    words = authors[0].split()
    return (words[-1] if words else authors[0]) + (" et al." if len(authors) > 1 else "")


# --------------------------------------------------------------------------------------------- papers


@dataclass(frozen=True)
class ArxivEntry:
    """One arXiv paper's metadata, from the arXiv API (`readroom add`), a listing or the Discover index. Each
    source sets what it knows: only the API gives comment, journal_ref and doi."""

    arxiv_id: str  # without version
    version: int
    title: str
    authors: list[str]
    abstract: str
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    @property
    def first_author(self) -> str:
        return first_author(self.authors)


@dataclass
class PaperSummary:
    id: str
    source: str
    title: str
    authors: list[str]
    year: int | None
    arxiv_id: str | None
    arxiv_version: int | None
    classic_key: str | None
    added_at: datetime
    parse_status: str
    tags: list[str] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def first_author(self) -> str:
        return first_author(self.authors)

    def to_json(self) -> dict:
        data = asdict(self)
        data["added_at"] = self.added_at.isoformat()
        return data


@dataclass
class PaperDetail(PaperSummary):
    abstract: str = ""
    doi: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    comment: str | None = None
    journal_ref: str | None = None
    latest_version: int | None = None
    pdf_path: str | None = None  # absolute path of the stored PDF
    pdf_sha256: str | None = None
    pdf_size: int | None = None
    page_count: int | None = None
    parse_error: str | None = None
    sections: list[Section] = field(default_factory=list)
    figures: list[Caption] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def to_json(self, *, with_text: bool = False) -> dict:
        data = super().to_json()
        for key in ("published", "updated"):
            data[key] = getattr(self, key).isoformat() if getattr(self, key) else None
        if not with_text:
            for section in data["sections"]:
                section.pop("text", None)
        return data


@dataclass
class AddOutcome:
    """What happened to one argument of `readroom add`."""

    query: str
    status: str  # added / exists / updated / failed
    message: str
    paper: PaperSummary | None = None
    warning: str | None = None  # e.g. the PDF could not be parsed, but the paper was kept
    exit_code: int = 0  # the failure's exit code, for the CLI


# --------------------------------------------------------------------------------------------- cards


@dataclass
class CardView:
    """A card with its note, as the faces show it. `question`/`answer` are rendered (cloze blanks filled)."""

    id: int
    uuid: str
    note_id: int
    note_uuid: str
    ord: int
    kind: str
    front: str
    back: str
    paper_id: str | None
    section: str | None
    page: int | None
    tags: list[str]
    memory: CardState  # what FSRS schedules on: the scheduler's own record
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    leech: bool
    highlight_id: int | None = None  # the highlight the note was made from, to open the paper there

    @property
    def state(self) -> int:
        return self.memory.state

    @property
    def due(self) -> datetime:
        return self.memory.due

    @property
    def short_id(self) -> str:
        return self.uuid[:8]

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def question(self) -> str:
        return cloze.render_front(self.front, self.ord) if self.kind == "cloze" else self.front

    @property
    def answer(self) -> str:
        if self.kind == "cloze":
            extra = f"\n\n{self.back}" if self.back else ""
            return cloze.render_back(self.front, self.ord) + extra
        return self.back

    def status(self, now: datetime) -> str:
        """One word for tables: suspended / buried / leech, else the FSRS state."""
        if self.suspended:
            return "leech" if self.leech else "suspended"
        if self.buried_until and self.buried_until > now:
            return "buried"
        return self.state_name

    def to_json(self) -> dict:
        data: dict = {}
        for key, value in asdict(self).items():
            if key == "memory":
                data.update(value)  # its fields flat, in its place, as `--json` has always given them
            else:
                data[key] = value
        for key in ("due", "last_review", "buried_until"):
            data[key] = data[key].isoformat() if data[key] else None
        data.update(state_name=self.state_name, question=self.question, answer=self.answer)
        return data


@dataclass
class HighlightView:
    """A passage marked in a paper (the highlight table's row)."""

    id: int
    uuid: str
    paper_id: str
    text: str
    pass_no: int | None = None
    page: int | None = None
    section: str | None = None
    start: int | None = None
    end: int | None = None
    before: str = ""
    after: str = ""
    kind: str | None = None
    color: str | None = None
    note: str | None = None
    annot_key: str | None = None
    created_at: datetime | None = None

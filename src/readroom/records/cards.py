"""Cards: the FSRS memory of a card, a card with its note as the faces show it, and highlights."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from readroom import cloze

# FSRS card states and answer ratings, numbered as in Anki and py-fsrs.
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}
PAGES = range(1, 100_000)  # the page a card comes from; no paper comes near


@dataclass(frozen=True)
class CardState:
    """What FSRS needs to know about a card, and what it gives back. Times are UTC-aware."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


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
    flag: int = 0  # Anki's card flag: 0 none, 1 red, 2 orange, 3 green, 4 blue
    image: str | None = None  # figure / occlude notes: the image, relative to $READROOM_HOME (media/…)
    # occlude notes: every hidden area as (left, top, width, height) fractions of the image; card `ord` hides area ord
    areas: list[tuple[float, ...]] = field(default_factory=list)

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

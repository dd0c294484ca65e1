"""The three-pass method as a service: which pass a paper is in, its checklists, notes, time and decision.

Used by the reader in the TUI (and any future CLI command). Reads go through the stdlib sqlite3 path so the
reader opens fast; writes go through SQLModel sessions, one transaction each, so nothing half-saved remains.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from readroom import config, paths
from readroom.errors import BadInput, NotFound

PASSES = (1, 2, 3)
DECISIONS = ("reading", "parked", "dropped", "done")


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    own: bool = False  # added by the user in config.toml


@dataclass(frozen=True)
class NoteSlot:
    slot: str
    label: str
    hint: str


@dataclass(frozen=True)
class PassPlan:
    number: int
    name: str
    question: str
    budget_seconds: int
    items: tuple[ChecklistItem, ...]
    notes: tuple[NoteSlot, ...]


@dataclass
class ReadingState:
    paper_id: str
    pass_no: int = 1
    decision: str = "reading"
    reason: str | None = None
    ticks: dict[int, set[str]] = field(default_factory=lambda: {p: set() for p in PASSES})
    notes: dict[tuple[int, str], str] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=lambda: {p: 0.0 for p in PASSES})

    def progress(self, pass_no: int | None = None) -> tuple[int, int]:
        """Ticked and total checklist items of a pass (the current one by default)."""
        plan = plans()[pass_no or self.pass_no]
        ids = {item.id for item in plan.items}
        return len(self.ticks.get(plan.number, set()) & ids), len(ids)

    def note(self, pass_no: int, slot: str) -> str:
        return self.notes.get((pass_no, slot), "")

    @property
    def status(self) -> str:
        """One word for tables: 'pass 2', 'parked', 'dropped', 'done'."""
        return f"pass {self.pass_no}" if self.decision == "reading" else self.decision


# --------------------------------------------------------------------------------------------- plans


@lru_cache(maxsize=4)
def _plans_for(reading: config.ReadingConfig, checklists: config.ChecklistsConfig) -> dict[int, PassPlan]:
    shipped = tomllib.loads((paths.shipped_data_dir() / "checklists.toml").read_text(encoding="utf-8"))
    result = {}
    for number in PASSES:
        table = shipped[f"pass{number}"]
        items = [ChecklistItem(i["id"], i["text"]) for i in table["items"]]
        for text in checklists.items(number):
            items.append(ChecklistItem("own-" + _slug(text), text, own=True))
        minutes = reading.minutes(number) or table["budget_minutes"]
        result[number] = PassPlan(
            number, table["name"], table["question"], int(minutes * 60), tuple(items),
            tuple(NoteSlot(n["slot"], n["label"], n["hint"]) for n in table["notes"]),
        )
    return result


def plans() -> dict[int, PassPlan]:
    """The checklist, note slots and time budget of each pass: shipped defaults plus the user's config."""
    settings = config.load()
    return _plans_for(settings.reading, settings.checklists)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "item"


# --------------------------------------------------------------------------------------------- reading


def state(paper_id: str) -> ReadingState:
    """Where the user is with one paper (a fresh pass-1 state for a paper never opened)."""
    return states([paper_id]).get(paper_id) or ReadingState(paper_id)


def states(paper_ids: list[str] | None = None) -> dict[str, ReadingState]:
    """Reading states of the given papers (all papers with any state when None), in four queries."""
    from readroom.storage.fast import read_db

    with read_db() as conn:
        if conn is None:
            return {}
        where, args = ("", [])
        if paper_ids is not None:
            if not paper_ids:
                return {}
            where = f" WHERE paper_id IN ({','.join('?' * len(paper_ids))})"
            args = list(paper_ids)
        result: dict[str, ReadingState] = {}

        def get(pid: str) -> ReadingState:
            return result.setdefault(pid, ReadingState(pid))

        for row in conn.execute(f"SELECT paper_id, pass_no, decision, reason FROM reading{where}", args):
            s = get(row[0])
            s.pass_no, s.decision, s.reason = row[1], row[2], row[3]
        for row in conn.execute(f"SELECT paper_id, pass_no, item_id FROM checklist_tick{where}", args):
            get(row[0]).ticks.setdefault(row[1], set()).add(row[2])
        for row in conn.execute(f"SELECT paper_id, pass_no, slot, text FROM reading_note{where}", args):
            get(row[0]).notes[(row[1], row[2])] = row[3]
        for row in conn.execute(f"SELECT paper_id, pass_no, seconds FROM pass_time{where}", args):
            get(row[0]).seconds[row[1]] = row[2]
        return result


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check(pass_no: int) -> None:
    if pass_no not in PASSES:
        raise BadInput(f"There is no pass {pass_no}; passes are 1, 2 and 3.")


def _ensure_reading(s, paper_id: str):
    from readroom.storage.models import Paper, Reading

    row = s.get(Reading, paper_id)
    if row is None:
        if s.get(Paper, paper_id) is None:
            raise NotFound(f"No paper with id {paper_id} in your library.")
        row = Reading(paper_id=paper_id, updated_at=_now())
        s.add(row)
    return row


def tick(paper_id: str, pass_no: int, item_id: str, checked: bool = True) -> None:
    """Tick (or untick) one checklist item of a pass."""
    from readroom.storage import db
    from readroom.storage.models import ChecklistTick

    _check(pass_no)
    with db.session() as s:
        _ensure_reading(s, paper_id).updated_at = _now()
        existing = s.get(ChecklistTick, (paper_id, pass_no, item_id))
        if checked and existing is None:
            s.add(ChecklistTick(paper_id=paper_id, pass_no=pass_no, item_id=item_id, checked_at=_now()))
        elif not checked and existing is not None:
            s.delete(existing)


def save_note(paper_id: str, pass_no: int, slot: str, text: str) -> None:
    """Store the text of one note slot (the whole text: saves are idempotent, so autosave may repeat them)."""
    from readroom.storage import db
    from readroom.storage.models import ReadingNote

    _check(pass_no)
    with db.session() as s:
        _ensure_reading(s, paper_id)
        s.merge(ReadingNote(paper_id=paper_id, pass_no=pass_no, slot=slot, text=text, updated_at=_now()))


def add_time(paper_id: str, pass_no: int, seconds: float, now: datetime | None = None) -> float:
    """Add reading time to a pass (and to the study day it was read on, for the streak); returns the pass's
    total."""
    from readroom.cards.scheduler import load_settings, study_day
    from readroom.storage import db
    from readroom.storage.models import PassTime, ReadingDay

    _check(pass_no)
    if seconds < 0:
        raise BadInput("Reading time cannot be negative.")
    review = load_settings()
    day = study_day(now or _now(), review.zone(), review.day_starts_at)[0].isoformat()
    with db.session() as s:
        _ensure_reading(s, paper_id)
        row = s.get(PassTime, (paper_id, pass_no)) or PassTime(paper_id=paper_id, pass_no=pass_no, seconds=0.0)
        row.seconds += seconds
        s.add(row)
        today = s.get(ReadingDay, (paper_id, day)) or ReadingDay(paper_id=paper_id, day=day, seconds=0.0)
        today.seconds += seconds
        s.add(today)
        return row.seconds


def decide(paper_id: str, decision: str, reason: str | None = None) -> ReadingState:
    """The decision at the end of a pass: 'next' (go on to the next pass), 'park', 'drop', 'done' or 'resume'."""
    from readroom.storage import db

    if decision not in ("next", "park", "drop", "done", "resume"):
        raise BadInput(f"Unknown decision '{decision}'; choose next, park, drop, done or resume.")
    with db.session() as s:
        row = _ensure_reading(s, paper_id)
        if decision == "next":
            if row.pass_no >= 3:
                row.decision = "done"
            else:
                row.pass_no += 1
                row.decision = "reading"
            row.reason = None
        elif decision == "resume":
            row.decision, row.reason = "reading", None
        else:
            row.decision = {"park": "parked", "drop": "dropped", "done": "done"}[decision]
            row.reason = (reason or "").strip() or None
        row.updated_at = _now()
    return state(paper_id)


def set_pass(paper_id: str, pass_no: int) -> ReadingState:
    """Move to a pass directly (to look back at pass 1 notes from pass 3, say)."""
    from readroom.storage import db

    _check(pass_no)
    with db.session() as s:
        row = _ensure_reading(s, paper_id)
        row.pass_no, row.decision, row.updated_at = pass_no, "reading", _now()
    return state(paper_id)


# --------------------------------------------------------------------------------------------- to read


@dataclass
class QueuedReference:
    raw: str
    message: str
    paper_id: str | None = None  # set when the reference is (now) in the library


def queue_reference(paper_id: str, position: int) -> QueuedReference:
    """Queue reference `position` (0-based) of a paper 'to read'.

    With an arXiv id or a catalogue match it becomes a library entry tagged to-read (the PDF is fetched as
    by `readroom add`); otherwise it is kept in the to-read list with its text, to add by hand later.
    """
    from readroom import library
    from readroom.storage import db
    from readroom.storage.models import ToRead

    detail = library.show(paper_id)
    if not 0 <= position < len(detail.references):
        raise NotFound(f"Reference {position + 1} does not exist; this paper lists {len(detail.references)}.")
    ref = detail.references[position]
    query = ref.arxiv_id or _classic_key(ref.raw)
    linked = None
    message = "Kept in your to-read list (no arXiv id or catalogue match to fetch it by)."
    if query:
        outcome = library.add([query], library.AddOptions(tags=["to-read"]))[0]
        if outcome.status == "failed":
            message = f"Kept in your to-read list; fetching it failed: {outcome.message}"
        else:
            linked = outcome.paper.id
            if outcome.status == "exists":
                library.tag(linked, ["to-read"])
            message = f"Added to your library, tagged to-read: {outcome.paper.title}"
    with db.session() as s:
        s.add(ToRead(from_paper_id=paper_id, raw=ref.raw, arxiv_id=ref.arxiv_id, doi=ref.doi, paper_id=linked,
                     created_at=_now()))
    return QueuedReference(ref.raw, message, linked)


def _classic_key(raw: str) -> str | None:
    """The catalogue entry whose title appears in a reference's text, if any."""
    from readroom.sources.classics import load_classics

    text = re.sub(r"\W+", " ", raw.lower())
    for classic in load_classics():
        if re.sub(r"\W+", " ", classic.title.lower()).strip() in text:
            return classic.key
    return None


def library_marks(references_arxiv: list[str | None]) -> list[bool]:
    """For each reference's arXiv id, whether that paper is already in the library."""
    from readroom.storage.fast import read_db

    wanted = sorted({a for a in references_arxiv if a})
    if not wanted:
        return [False] * len(references_arxiv)
    with read_db() as conn:
        if conn is None:
            return [False] * len(references_arxiv)
        have = {r[0] for r in conn.execute(
            f"SELECT arxiv_id FROM paper WHERE arxiv_id IN ({','.join('?' * len(wanted))})", wanted)}
    return [bool(a) and a in have for a in references_arxiv]

"""The three-pass method as a service: which pass a paper is in, its checklists, notes, time and decision.

Used by the reader in the TUI (and any future CLI command). The rules live here (which passes exist, what a
decision does, which study day time counts for); storage.reading keeps the rows, on the stdlib driver so the
reader opens and saves without waiting for SQLAlchemy, one transaction per write so nothing half-saved remains.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from readroom import clock, config, paths
from readroom.errors import BadInput, NotFound
from readroom.records.cards import HighlightView
from readroom.storage import papers
from readroom.storage import reading as stored
from readroom.storage.reading import Decided, Position
from readroom.terminal import excerpt

PASSES = (1, 2, 3)
DECISIONS = ("reading", "parked", "dropped", "done")
# What the library filters papers by (its status menu, `readroom list --status`): 'reading' is any of the passes.
STATUSES = ("reading", "pass 1", "pass 2", "pass 3", "parked", "dropped", "done")


def has_status(state: ReadingState, wanted: str) -> bool:
    """Whether a paper's reading is in `wanted`, one of STATUSES."""
    return state.decision == "reading" if wanted == "reading" else state.status == wanted


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
    decisions: list[Decided] = field(default_factory=list)  # oldest first

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
    """Reading states of the given papers (all papers with any state when None), in five queries."""
    rows = stored.load(paper_ids)
    result: dict[str, ReadingState] = {}

    def get(pid: str) -> ReadingState:
        return result.setdefault(pid, ReadingState(pid))

    for pid, position in rows.positions:
        s = get(pid)
        s.pass_no, s.decision, s.reason = position.pass_no, position.decision, position.reason
    for pid, pass_no, item_id in rows.ticks:
        get(pid).ticks.setdefault(pass_no, set()).add(item_id)
    for pid, pass_no, slot, text in rows.notes:
        get(pid).notes[(pass_no, slot)] = text
    for pid, pass_no, seconds in rows.seconds:
        get(pid).seconds[pass_no] = seconds
    for pid, decided in rows.decisions:
        get(pid).decisions.append(decided)
    return result


def _check(pass_no: int) -> None:
    if pass_no not in PASSES:
        raise BadInput(f"There is no pass {pass_no}; passes are 1, 2 and 3.")


def _found(written: object, paper_id: str) -> None:
    """Storage writes nothing and says False (or None) for a paper that is not in the library."""
    if written is False or written is None:
        raise NotFound(f"No paper with id {paper_id} in your library.")


def tick(paper_id: str, pass_no: int, item_id: str, checked: bool = True) -> None:
    """Tick (or untick) one checklist item of a pass."""
    _check(pass_no)
    _found(stored.tick(paper_id, pass_no, item_id, checked, clock.now()), paper_id)


def save_note(paper_id: str, pass_no: int, slot: str, text: str) -> None:
    """Store the text of one note slot (the whole text: saves are idempotent, so autosave may repeat them)."""
    _check(pass_no)
    _found(stored.save_note(paper_id, pass_no, slot, text, clock.now()), paper_id)


def add_time(paper_id: str, pass_no: int, seconds: float, now: datetime | None = None) -> float:
    """Add reading time to a pass (and to the study day it was read on, for the streak); returns the pass's
    total."""
    from readroom.cards.scheduler import study_day

    _check(pass_no)
    if seconds < 0:
        raise BadInput("Reading time cannot be negative.")
    now = now or clock.now()
    review = config.load().review
    day = study_day(now, review.zone(), review.day_starts_at)[0].isoformat()
    total = stored.add_time(paper_id, pass_no, day, seconds, now)
    _found(total, paper_id)
    assert total is not None  # _found raised otherwise
    return total


def decide(paper_id: str, decision: str, reason: str | None = None) -> ReadingState:
    """The decision at the end of a pass: 'next' (go on to the next pass), 'park', 'drop', 'done' or 'resume'."""
    if decision not in ("next", "park", "drop", "done", "resume"):
        raise BadInput(f"Unknown decision '{excerpt(decision)}'; choose next, park, drop, done or resume.")

    def change(at: Position) -> Position:
        if decision == "next":
            return Position(at.pass_no, "done") if at.pass_no >= 3 else Position(at.pass_no + 1, "reading")
        if decision == "resume":
            return Position(at.pass_no, "reading")
        parked = {"park": "parked", "drop": "dropped", "done": "done"}[decision]
        return Position(at.pass_no, parked, (reason or "").strip() or None)

    _found(stored.move(paper_id, change, clock.now(), decision=decision), paper_id)
    return state(paper_id)


def set_pass(paper_id: str, pass_no: int) -> ReadingState:
    """Move to a pass directly (to look back at pass 1 notes from pass 3, say)."""
    _check(pass_no)
    _found(stored.move(paper_id, lambda at: replace(at, pass_no=pass_no, decision="reading"), clock.now()), paper_id)
    return state(paper_id)


# --------------------------------------------------------------------------------------------- what was read

FIVE_CS = "cs:"  # the slot prefix of pass 1's five Cs ("cs:category" ...)
FREE_NOTES = "notes"  # each pass's free notes
SECTION_NOTE = "section:"  # a pass-3 note on one section ("section:<heading>")
_DECIDED = {"next": "went on", "park": "parked", "drop": "dropped", "done": "done", "resume": "resumed"}


@dataclass(frozen=True)
class WrittenNote:
    slot: str
    label: str
    text: str


@dataclass
class PaperReading:
    """What the user made of one paper: the five Cs, each pass's notes and time, the decisions, the highlights.
    `readroom show` prints it, `show --json` and the Markdown notes export carry it (texts exactly as stored)."""

    state: ReadingState
    plans: dict[int, PassPlan]
    highlights: list[HighlightView]

    def five_cs(self) -> list[WrittenNote]:
        """The five Cs in the checklist's order, answered or not."""
        return [WrittenNote(n.slot, n.label, self.state.note(1, n.slot))
                for n in self.plans[1].notes if n.slot.startswith(FIVE_CS)]

    def notes(self, pass_no: int) -> list[WrittenNote]:
        """A pass's written notes but the five Cs: its questions in order, then section notes, then free notes."""
        plan = self.plans[pass_no]
        asked = [n for n in plan.notes if not n.slot.startswith(FIVE_CS)]
        known = {n.slot for n in plan.notes}
        extra = sorted(slot for (p, slot) in self.state.notes if p == pass_no and slot not in known)
        labels = [(n.slot, n.label) for n in asked] + [(slot, _slot_label(slot)) for slot in extra
                                                       if slot != FREE_NOTES]
        labels += [(FREE_NOTES, "Notes")] if FREE_NOTES in extra else []
        written = [WrittenNote(slot, label, self.state.note(pass_no, slot)) for slot, label in labels]
        return [n for n in written if n.text.strip()]

    @property
    def started(self) -> bool:
        """Anything read, written, ticked, decided or marked: a paper never opened has nothing to show."""
        s = self.state
        return bool(any(s.seconds.values()) or any(t.strip() for t in s.notes.values()) or any(s.ticks.values())
                    or s.decisions or self.highlights or s.pass_no != 1 or s.decision != "reading")

    def to_json(self) -> dict:
        """Stable keys (README, "Your reading as JSON"); times in UTC ISO 8601, texts as stored."""
        s = self.state
        return {
            "status": s.status, "pass": s.pass_no, "decision": s.decision, "reason": s.reason,
            "five_cs": {n.slot.removeprefix(FIVE_CS): n.text for n in self.five_cs()},
            "passes": [{
                "pass": plan.number, "name": plan.name, "seconds": round(s.seconds.get(plan.number, 0.0), 1),
                "budget_seconds": plan.budget_seconds,
                "checklist": dict(zip(("ticked", "total"), s.progress(plan.number), strict=True)),
                "notes": [{"slot": n.slot, "label": n.label, "text": n.text} for n in self.notes(plan.number)],
            } for plan in self.plans.values()],
            "decisions": [{"pass": d.pass_no, "decision": d.decision, "reason": d.reason, "at": d.at.isoformat()}
                          for d in s.decisions],
            "highlights": [{"id": h.id, "text": h.text, "page": h.page, "section": h.section, "pass": h.pass_no,
                            "kind": h.kind, "note": h.note,
                            "created_at": h.created_at.isoformat() if h.created_at else None}
                           for h in self.highlights],
        }


def _slot_label(slot: str) -> str:
    return f"Section “{slot.removeprefix(SECTION_NOTE)}”" if slot.startswith(SECTION_NOTE) else slot


def decided_words(decided: Decided) -> str:
    """'went on to pass 2', 'parked: no code', 'resumed' ... for one decision."""
    words = _DECIDED.get(decided.decision, decided.decision)
    if decided.decision == "next":
        words = f"went on to pass {decided.pass_no + 1}" if decided.pass_no < 3 else "finished pass 3"
    return f"{words}: {decided.reason}" if decided.reason else words


def minutes(seconds: float) -> str:
    """Reading time as people say it: '40 s', '12 min', '1 h', '2 h 05 min'."""
    if seconds < 60:
        return f"{int(seconds)} s"
    hours, mins = divmod(round(seconds / 60), 60)
    return f"{mins} min" if not hours else f"{hours} h {mins:02d} min" if mins else f"{hours} h"


def paper_reading(paper_id: str) -> PaperReading:
    """What the user made of one paper (see PaperReading); a paper never opened gives an empty one."""
    from readroom.cards.service import list_highlights

    return PaperReading(state(paper_id), plans(), list_highlights(paper_id))


def warm() -> None:
    """Import the ORM that the other writes made from the reader (highlights, cards) use, ahead of the first."""
    from readroom.storage import db  # noqa: F401


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
            assert outcome.paper is not None  # every outcome but a failed one names its paper
            linked = outcome.paper.id
            if outcome.status == "exists":
                library.tag(linked, ["to-read"])
            message = f"Added to your library, tagged to-read: {outcome.paper.title}"
    stored.queue(paper_id, ref.raw, ref.arxiv_id, ref.doi, linked, clock.now())
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
    have = papers.arxiv_ids_present(a for a in references_arxiv if a)
    return [bool(a) and a in have for a in references_arxiv]

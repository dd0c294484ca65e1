"""Highlights, notes and cards, and the study day: the one service the CLI and the TUI call.

Reads go through stdlib sqlite3 (`readroom.storage.fast.read_db`), so `readroom due` and the review screen start
without SQLModel; writes go through `readroom.storage.db.session()`, one transaction per user action. An
answer writes the card's new state and its review-log row in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from readroom.cards import cloze
from readroom.cards.scheduler import (
    AGAIN, LEARNING, NEW, RELEARNING, REVIEW, STATE_NAMES, CardState, ReviewSettings, load_settings, study_day,
    utc_seconds,
)
from readroom.errors import BadInput, NotFound
from readroom.storage.types_light import parse_utc

KINDS = ("qa", "cloze")
HIGHLIGHT_KINDS = ("definition", "claim", "result", "question")
FILTER_STATES = ("new", "learning", "review", "relearning", "suspended", "buried", "leech")
LEECH_TAG = "leech"


# --------------------------------------------------------------------------------------------- records


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
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    leech: bool
    highlight_id: int | None = None  # the highlight the note was made from, to open the paper there

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

    def memory(self) -> CardState:
        return CardState(self.state, self.step, self.stability, self.difficulty, self.due, self.last_review)

    def status(self, now: datetime) -> str:
        """One word for tables: suspended / buried / leech, else the FSRS state."""
        if self.suspended:
            return "leech" if self.leech else "suspended"
        if self.buried_until and self.buried_until > now:
            return "buried"
        return self.state_name

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("due", "last_review", "buried_until"):
            data[key] = data[key].isoformat() if data[key] else None
        data.update(state_name=self.state_name, question=self.question, answer=self.answer)
        return data


@dataclass
class HighlightView:
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


@dataclass
class ReviewQueue:
    """Today's cards in the order to show them: learning due now, reviews, new cards, then learning ahead."""

    learning: list[int] = field(default_factory=list)  # due now
    reviews: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    learning_ahead: list[int] = field(default_factory=list)  # due within the learn-ahead window
    day_ends: datetime | None = None

    def cards(self) -> list[int]:
        return self.learning + self.reviews + self.new + self.learning_ahead

    def next_card(self) -> int | None:
        order = self.cards()
        return order[0] if order else None

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "learning": len(self.learning) + len(self.learning_ahead),
                "review": len(self.reviews)}


# --------------------------------------------------------------------------------------------- reading

_CARD_SELECT = (
    "SELECT c.id, c.uuid, c.note_id, n.uuid AS note_uuid, c.ord, n.kind, n.front, n.back, n.paper_id, n.section,"
    " n.page, n.tags, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, c.lapses,"
    " c.suspended, c.buried_until, c.leech, n.highlight_id FROM card c JOIN note n ON n.id = c.note_id"
)


def _row_view(row: sqlite3.Row) -> CardView:
    return CardView(
        id=row["id"], uuid=row["uuid"], note_id=row["note_id"], note_uuid=row["note_uuid"], ord=row["ord"],
        kind=row["kind"], front=row["front"], back=row["back"], paper_id=row["paper_id"], section=row["section"],
        page=row["page"], tags=json.loads(row["tags"] or "[]"), state=row["state"], step=row["step"],
        stability=row["stability"], difficulty=row["difficulty"], due=parse_utc(row["due"]),
        last_review=parse_utc(row["last_review"]), reps=row["reps"], lapses=row["lapses"],
        suspended=bool(row["suspended"]), buried_until=parse_utc(row["buried_until"]), leech=bool(row["leech"]),
        highlight_id=row["highlight_id"],
    )


def _orm_view(card, note) -> CardView:
    return CardView(
        id=card.id, uuid=card.uuid, note_id=note.id, note_uuid=note.uuid, ord=card.ord, kind=note.kind,
        front=note.front, back=note.back, paper_id=note.paper_id, section=note.section, page=note.page,
        tags=list(note.tags), state=card.state, step=card.step, stability=card.stability,
        difficulty=card.difficulty, due=card.due, last_review=card.last_review, reps=card.reps,
        lapses=card.lapses, suspended=card.suspended, buried_until=card.buried_until, leech=card.leech,
        highlight_id=note.highlight_id,
    )



def _iso(moment: datetime) -> str:
    """The stored form of a time (see storage.types.UTCDateTime), for comparisons in SQL."""
    return utc_seconds(moment).isoformat(timespec="seconds")


def get_card(card_id: int) -> CardView:
    from readroom.storage.fast import read_db

    with read_db() as conn:
        row = conn.execute(_CARD_SELECT + " WHERE c.id = ?", (card_id,)).fetchone() if conn else None
    if row is None:
        raise NotFound(f"No card with id {card_id}; see `readroom cards`.")
    return _row_view(row)


def resolve_card(ref: str) -> int:
    """The id of the card `ref` names: its number or the first characters (4 or more) of its uuid."""
    from readroom.storage.fast import read_db

    ref = ref.strip().lower()
    with read_db() as conn:
        if conn is None:
            raise NotFound("You have no cards yet; make one with `readroom card add`.")
        if ref.isdigit() and conn.execute("SELECT 1 FROM card WHERE id = ?", (int(ref),)).fetchone():
            return int(ref)
        if len(ref) >= 4:
            ids = [r[0] for r in conn.execute("SELECT id FROM card WHERE uuid LIKE ? LIMIT 2", (ref + "%",))]
            if len(ids) == 1:
                return ids[0]
            if ids:
                raise BadInput(f"'{ref}' matches several cards; give more characters of the id.")
    raise NotFound(f"No card matches '{ref}'; see `readroom cards`.")


def list_cards(*, paper: str | None = None, tag: str | None = None, state: str | None = None,
               search: str | None = None, note_id: int | None = None, now: datetime | None = None,
               limit: int | None = None) -> list[CardView]:
    """Cards for the browser: filtered by paper, tag, state (new ... leech) and words, in creation order; the
    first `limit` of them when given."""
    from readroom.library import resolve
    from readroom.storage.fast import read_db

    now = now or datetime.now(timezone.utc)
    where, params = [], []
    if paper:
        where.append("n.paper_id = ?")
        params.append(resolve(paper))
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(n.tags) WHERE value = ?)")
        params.append(tag.strip().lower())
    if note_id is not None:
        where.append("c.note_id = ?")
        params.append(note_id)
    if state:
        if state not in FILTER_STATES:
            raise BadInput(f"Unknown card state '{state}'; choose one of {', '.join(FILTER_STATES)}.")
        if state == "suspended":
            where.append("c.suspended = 1")
        elif state == "buried":
            where.append("c.buried_until > ?")
            params.append(_iso(now))
        elif state == "leech":
            where.append("c.leech = 1")
        else:
            where.append("c.state = ?")
            params.append({v: k for k, v in STATE_NAMES.items()}[state])
    for word in (search or "").split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(n.front LIKE ? ESCAPE '\\' OR n.back LIKE ? ESCAPE '\\')")
        params.extend([pattern, pattern])
    sql = _CARD_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.note_id, c.ord"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with read_db() as conn:
        if conn is None:
            return []
        return [_row_view(r) for r in conn.execute(sql, params)]


def card_facets() -> tuple[int, list[str], list[str]]:
    """How many cards there are, the papers they come from and their tags: the browser's filter choices."""
    from readroom.storage.fast import read_db

    with read_db() as conn:
        if conn is None:
            return 0, [], []
        total = conn.execute("SELECT count(*) FROM card").fetchone()[0]
        papers = [r[0] for r in conn.execute("SELECT DISTINCT paper_id FROM note WHERE paper_id IS NOT NULL")]
        tags = [r[0] for r in conn.execute("SELECT DISTINCT j.value FROM note, json_each(note.tags) j ORDER BY 1")]
        return total, papers, tags


def list_highlights(paper_id: str) -> list[HighlightView]:
    from readroom.storage.fast import read_db

    with read_db() as conn:
        if conn is None:
            return []
        rows = conn.execute("SELECT * FROM highlight WHERE paper_id = ? ORDER BY page, start, id", (paper_id,))
        return [HighlightView(**{k: (parse_utc(r[k]) if k == "created_at" else r[k]) for k in r.keys()
                                 if k in HighlightView.__dataclass_fields__}) for r in rows]


# --------------------------------------------------------------------------------------------- the day's queue


def today_queue(now: datetime, settings: ReviewSettings | None = None) -> ReviewQueue:
    """The cards to study now, within the day's limits (counting what was done since the day began).

    Siblings (other cards of a note) are held back for the rest of the study day once one of them was answered,
    and only one card per note is taken each day: nothing is written for this, so undo needs no clean-up.
    """
    from readroom.storage.fast import read_db

    settings = settings or load_settings()
    _day, day_start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    queue = ReviewQueue(day_ends=day_end)
    with read_db() as conn:
        if conn is None:
            return queue
        now_s, start_s, end_s = _iso(now), _iso(day_start), _iso(day_end)
        ahead_s = _iso(now + timedelta(minutes=settings.learn_ahead_minutes))
        new_done, reviews_done = conn.execute(
            "SELECT coalesce(sum(state_before = 0), 0), coalesce(sum(state_before = 2), 0)"
            " FROM review_log WHERE reviewed_at >= ?", (start_s,)).fetchone()
        # Shaped so SQLite starts from today's few log rows (a join makes it scan every card).
        seen_notes = {r[0] for r in conn.execute(
            "SELECT DISTINCT note_id FROM card WHERE id IN (SELECT card_id FROM review_log WHERE reviewed_at >= ?)",
            (start_s,))}
        not_buried = "(buried_until IS NULL OR buried_until <= ?)"
        # Without the hint SQLite walks ix_card_suspended_due over every card due so far (reviews included).
        for card_id, due in conn.execute(
                f"SELECT id, due FROM card INDEXED BY ix_card_queue WHERE suspended = 0"
                f" AND state IN ({LEARNING}, {RELEARNING}) AND due <= ? AND {not_buried} ORDER BY due",
                (ahead_s, now_s)):
            (queue.learning if due <= now_s else queue.learning_ahead).append(card_id)

        reviews_left = max(0, settings.reviews_per_day - reviews_done)
        queue.reviews = _one_per_note(conn, (
            f"SELECT id, note_id FROM card WHERE suspended = 0 AND state = {REVIEW} AND due < ? AND {not_buried}"
            " ORDER BY due"), (end_s, now_s), seen_notes, reviews_left)
        # As in Anki's v3 scheduler, the review limit also caps new cards.
        new_left = max(0, min(settings.new_per_day - new_done, reviews_left - len(queue.reviews)))
        queue.new = _one_per_note(conn, (
            f"SELECT id, note_id FROM card WHERE suspended = 0 AND state = {NEW} AND {not_buried}"
            " ORDER BY due, id"), (now_s,), seen_notes, new_left)
    return queue


def _one_per_note(conn: sqlite3.Connection, sql: str, params: tuple, seen_notes: set[int], limit: int) -> list[int]:
    taken: list[int] = []
    if limit <= 0:
        return taken
    for card_id, note_id in conn.execute(sql, params):
        if note_id in seen_notes:
            continue
        seen_notes.add(note_id)
        taken.append(card_id)
        if len(taken) >= limit:
            break
    return taken


def due_counts(now: datetime, settings: ReviewSettings | None = None) -> dict[str, int]:
    """New, learning and review cards due now within today's limits (for status bars)."""
    return today_queue(now, settings).counts()


def next_intervals(card_id: int, now: datetime, settings: ReviewSettings | None = None) -> dict[int, timedelta]:
    """How long until the card comes back, for each of the four ratings (the labels of the buttons)."""
    from readroom.cards import scheduler

    card = get_card(card_id)
    settings = settings or load_settings()
    return scheduler.next_intervals(card.memory(), now, settings, _fuzz_seed(card.uuid, card.reps))


def _fuzz_seed(card_uuid: str, reps: int) -> str:
    return f"{card_uuid}:{reps}"


# --------------------------------------------------------------------------------------------- answering


def answer(card_id: int, rating: int, now: datetime, elapsed_ms: int = 0,
           settings: ReviewSettings | None = None) -> CardView:
    """Schedule the card for `rating` and log the review, in one transaction; returns the card's new state."""
    from readroom.cards import scheduler
    from readroom.storage import db
    from readroom.storage.models import Card, Note, ReviewLog

    settings = settings or load_settings()
    now = utc_seconds(now)
    elapsed_ms = max(0, min(int(elapsed_ms), settings.timer_cap_seconds * 1000))
    with db.session() as s:
        card = s.get(Card, card_id)
        if card is None:
            raise NotFound(f"No card with id {card_id}; it may have been deleted.")
        if card.suspended:
            raise BadInput("This card is suspended; unsuspend it before answering it.")
        before = CardState(card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)
        after = scheduler.answer(before, rating, now, settings, _fuzz_seed(card.uuid, card.reps))
        lapse = before.state == REVIEW and rating == AGAIN
        card.state, card.step, card.stability, card.difficulty = after.state, after.step, after.stability, after.difficulty
        card.due, card.last_review = after.due, after.last_review
        card.reps += 1
        card.lapses += int(lapse)
        made_leech = lapse and _is_leech(card.lapses, settings.leech_threshold)
        note = s.get(Note, card.note_id)
        if made_leech:
            card.leech = card.suspended = True
            if LEECH_TAG not in note.tags:
                note.tags = [*note.tags, LEECH_TAG]
        s.add(ReviewLog(
            uuid=str(uuid.uuid4()), card_id=card.id, rating=rating, reviewed_at=now, elapsed_ms=elapsed_ms,
            state_before=before.state, state_after=after.state,
            interval_days=(after.due - now).total_seconds() / 86400,
            step_before=before.step, stability_before=before.stability, difficulty_before=before.difficulty,
            due_before=before.due, due_after=after.due, last_review_before=before.last_review,
            stability_after=after.stability, difficulty_after=after.difficulty, made_leech=made_leech,
        ))
        return _orm_view(card, note)


def _is_leech(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at the threshold, and again every half threshold after it."""
    return lapses >= threshold and (lapses - threshold) % max(1, threshold // 2) == 0


def undo(card_id: int | None = None) -> CardView | None:
    """Take back the latest answer (of one card, when given: a review session undoes its own answers even if
    another process answered meanwhile). The card gets its exact prior state and the log row goes.
    None if there is no answer to take back."""
    from sqlmodel import select

    from readroom.storage import db
    from readroom.storage.models import Card, Note, ReviewLog

    with db.session() as s:
        latest = select(ReviewLog)
        if card_id is not None:
            latest = latest.where(ReviewLog.card_id == card_id)
        log = s.exec(latest.order_by(ReviewLog.id.desc()).limit(1)).first()
        if log is None:
            return None
        card = s.get(Card, log.card_id)
        card.state, card.step = log.state_before, log.step_before
        card.stability, card.difficulty = log.stability_before, log.difficulty_before
        card.due, card.last_review = log.due_before, log.last_review_before
        card.reps -= 1
        card.lapses -= int(log.state_before == REVIEW and log.rating == AGAIN)
        note = s.get(Note, card.note_id)
        if log.made_leech:
            card.leech = card.suspended = False
            s.flush()
            others = s.exec(select(Card).where(Card.note_id == note.id, Card.leech == True)).first()  # noqa: E712
            if others is None:
                note.tags = [t for t in note.tags if t != LEECH_TAG]
        s.delete(log)
        s.flush()
        return _orm_view(card, note)


# --------------------------------------------------------------------------------------------- making cards


def create_highlight(paper_id: str, text: str, *, now: datetime, page: int | None = None, pass_no: int | None = None,
                     section: str | None = None, start: int | None = None, end: int | None = None, before: str = "",
                     after: str = "", kind: str | None = None, color: str | None = None, note: str | None = None,
                     annot_key: str | None = None) -> HighlightView:
    from readroom.storage import db
    from readroom.storage.models import Highlight, Paper

    if not text.strip():
        raise BadInput("A highlight needs some text; select a passage first.")
    if kind is not None and kind not in HIGHLIGHT_KINDS:
        raise BadInput(f"Unknown highlight kind '{kind}'; choose one of {', '.join(HIGHLIGHT_KINDS)}.")
    with db.session() as s:
        if s.get(Paper, paper_id) is None:
            raise NotFound(f"No paper with id {paper_id} in your library.")
        row = Highlight(uuid=str(uuid.uuid4()), paper_id=paper_id, text=text, page=page, pass_no=pass_no,
                        section=section, start=start, end=end, before=before, after=after, kind=kind, color=color,
                        note=note, annot_key=annot_key, created_at=utc_seconds(now))
        s.add(row)
        s.flush()
        return HighlightView(**{k: getattr(row, k) for k in HighlightView.__dataclass_fields__})


def delete_highlight(highlight_id: int) -> None:
    """Remove a highlight; cards made from it stay (they keep their own text)."""
    from readroom.storage import db
    from readroom.storage.models import Highlight

    with db.session() as s:
        row = s.get(Highlight, highlight_id)
        if row is None:
            raise NotFound(f"No highlight with id {highlight_id}.")
        s.delete(row)


def add_note(kind: str, front: str, back: str = "", *, now: datetime, paper_id: str | None = None,
             highlight_id: int | None = None, section: str | None = None, page: int | None = None,
             tags: list[str] | tuple[str, ...] = ()) -> list[CardView]:
    """A new note and its cards: one for a question/answer, one per cloze number for a cloze."""
    from readroom.storage import db
    from readroom.storage.models import Note, Paper

    numbers = _check_note(kind, front, back)
    now = utc_seconds(now)
    with db.session() as s:
        if paper_id is not None and s.get(Paper, paper_id) is None:
            raise NotFound(f"No paper with id {paper_id} in your library.")
        note = Note(uuid=str(uuid.uuid4()), kind=kind, front=front, back=back, paper_id=paper_id,
                    highlight_id=highlight_id, section=section, page=page, tags=_clean_tags(tags),
                    created_at=now, updated_at=now)
        s.add(note)
        s.flush()
        cards = [_new_card(s, note, number, now) for number in numbers]
        return [_orm_view(card, note) for card in cards]


def cards_from_highlight(highlight_id: int, kind: str, *, now: datetime, front: str | None = None,
                         cloze_text: str | None = None, tags: list[str] | tuple[str, ...] = ()) -> list[CardView]:
    """Cards from a highlight: Q&A (the user's question, the highlight as the answer) or a cloze of it."""
    from readroom.storage import db
    from readroom.storage.models import Highlight

    with db.session() as s:
        hl = s.get(Highlight, highlight_id)
        if hl is None:
            raise NotFound(f"No highlight with id {highlight_id}.")
        source = dict(paper_id=hl.paper_id, section=hl.section, page=hl.page, text=hl.text)
    if kind == "qa":
        return add_note("qa", front or "", source["text"], now=now, paper_id=source["paper_id"],
                        highlight_id=highlight_id, section=source["section"], page=source["page"], tags=tags)
    return add_note("cloze", cloze_text if cloze_text is not None else source["text"], "", now=now,
                    paper_id=source["paper_id"], highlight_id=highlight_id, section=source["section"],
                    page=source["page"], tags=tags)


def edit_note(note_id: int, *, now: datetime, front: str | None = None, back: str | None = None,
              tags: list[str] | None = None) -> list[CardView]:
    """Change a note's text or tags. A cloze gains a card per new number and loses those whose number is gone."""
    from sqlmodel import select

    from readroom.storage import db
    from readroom.storage.models import Card, Note

    with db.session() as s:
        note = s.get(Note, note_id)
        if note is None:
            raise NotFound(f"No note with id {note_id}.")
        new_front = note.front if front is None else front
        new_back = note.back if back is None else back
        numbers = _check_note(note.kind, new_front, new_back)
        note.front, note.back, note.updated_at = new_front, new_back, utc_seconds(now)
        if tags is not None:
            note.tags = _clean_tags(tags)
        cards = {c.ord: c for c in s.exec(select(Card).where(Card.note_id == note_id))}
        for number, card in cards.items():
            if number not in numbers:
                s.delete(card)
        for number in numbers:
            if number not in cards:
                cards[number] = _new_card(s, note, number, utc_seconds(now))
        s.flush()
        return [_orm_view(cards[n], note) for n in numbers]


def delete_note(note_id: int) -> None:
    """A note, its cards and their review history."""
    from readroom.storage import db
    from readroom.storage.models import Note

    with db.session() as s:
        note = s.get(Note, note_id)
        if note is None:
            raise NotFound(f"No note with id {note_id}.")
        s.delete(note)


def delete_card(card_id: int) -> None:
    """One card and its history; a note left without cards goes too."""
    from sqlmodel import select

    from readroom.storage import db
    from readroom.storage.models import Card, Note

    with db.session() as s:
        card = s.get(Card, card_id)
        if card is None:
            raise NotFound(f"No card with id {card_id}.")
        note_id = card.note_id
        s.delete(card)
        s.flush()
        if s.exec(select(Card.id).where(Card.note_id == note_id)).first() is None:
            s.delete(s.get(Note, note_id))


def set_suspended(card_ids: list[int], suspended: bool = True) -> None:
    _update_cards(card_ids, suspended=suspended)


def bury(card_ids: list[int], now: datetime, settings: ReviewSettings | None = None) -> None:
    """Hide cards until the next study day begins."""
    settings = settings or load_settings()
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    _update_cards(card_ids, buried_until=day_end)


def unbury(card_ids: list[int]) -> None:
    _update_cards(card_ids, buried_until=None)


def _update_cards(card_ids: list[int], **values) -> None:
    from readroom.storage import db
    from readroom.storage.models import Card

    with db.session() as s:
        for card_id in card_ids:
            card = s.get(Card, card_id)
            if card is None:
                raise NotFound(f"No card with id {card_id}.")
            for key, value in values.items():
                setattr(card, key, value)


def _check_note(kind: str, front: str, back: str) -> list[int]:
    """The card numbers the note yields; BadInput when it yields none."""
    if kind not in KINDS:
        raise BadInput(f"Unknown card kind '{kind}'; choose qa or cloze.")
    if kind == "qa":
        if not front.strip():
            raise BadInput("A question/answer card needs a question (front).")
        return [0]
    numbers = cloze.card_numbers(front)
    if not numbers:
        raise BadInput("A cloze needs at least one deletion, like {{c1::answer}} or {{c1::answer::hint}}.")
    return numbers


def _clean_tags(tags) -> list[str]:
    return sorted({t.strip().lower() for t in tags if t and t.strip()})


def _new_card(s, note, number: int, now: datetime):
    from readroom.storage.models import Card

    # New cards are due at creation, so "ORDER BY due" shows them oldest first.
    card = Card(uuid=str(uuid.uuid4()), note_id=note.id, ord=number, state=NEW, due=now, created_at=now)
    s.add(card)
    s.flush()
    return card


# --------------------------------------------------------------------------------------------- optimizer

# Fewer reviews than this give parameters noisier than FSRS's defaults (which were fitted on millions of Anki
# reviews); 512 is also fsrs's own mini-batch size, below which its Optimizer returns the defaults unchanged.
MIN_REVIEWS_TO_OPTIMIZE = 512


def review_history() -> list[tuple[int, int, datetime, int | None]]:
    """Every answer as (card id, rating, reviewed at, elapsed ms), oldest first: what the optimizer reads."""
    from readroom.storage.fast import read_db

    with read_db() as conn:
        if conn is None:
            return []
        return [(r[0], r[1], parse_utc(r[2]), r[3]) for r in conn.execute(
            "SELECT card_id, rating, reviewed_at, elapsed_ms FROM review_log ORDER BY reviewed_at, id")]


# --------------------------------------------------------------------------------------------- after the queue


def next_due(now: datetime, settings: ReviewSettings | None = None) -> datetime | None:
    """When a card is next up once today's queue is empty: a learning card's due time, else the next study day
    (for reviews due today but over the limit, and new cards); None when there is no card to wait for."""
    from readroom.storage.fast import read_db

    settings = settings or load_settings()
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with read_db() as conn:
        if conn is None:
            return None
        learning = conn.execute(f"SELECT min(due) FROM card WHERE suspended = 0 AND state IN ({LEARNING}, {RELEARNING})"
                                " AND due > ?", (_iso(now),)).fetchone()[0]
        review = conn.execute(f"SELECT min(due) FROM card WHERE suspended = 0 AND state = {REVIEW}").fetchone()[0]
        times = [parse_utc(learning)] if learning else []
        if review:
            times.append(max(parse_utc(review), day_end))  # due today but over the limit: tomorrow
        # Buried cards come back when the next day begins; `buried_until` has no index, so ask only if needed.
        if (conn.execute(f"SELECT 1 FROM card WHERE suspended = 0 AND state = {NEW} LIMIT 1").fetchone()
                or (not times and conn.execute("SELECT 1 FROM card WHERE suspended = 0 AND buried_until > ? LIMIT 1",
                                               (_iso(now),)).fetchone())):
            times.append(day_end)
    return min(times) if times else None


# --------------------------------------------------------------------------------------------- PDF annotations


def import_pdf_highlights(paper_id: str, annotations, *, now: datetime) -> tuple[list[HighlightView], int]:
    """Store annotations read from the paper's PDF (readroom.pdf.annotations) as highlights, in one transaction.

    An annotation whose `key` (page and PDF object) is already stored for this paper is skipped, so importing
    again after marking more passages adds only the new ones. Returns the new highlights and how many were skipped.
    """
    from sqlmodel import select

    from readroom.storage import db
    from readroom.storage.models import Highlight, Paper

    created = utc_seconds(now)
    added: list[HighlightView] = []
    with db.session() as s:
        if s.get(Paper, paper_id) is None:
            raise NotFound(f"No paper with id {paper_id} in your library.")
        known = set(s.exec(select(Highlight.annot_key).where(Highlight.paper_id == paper_id,
                                                              Highlight.annot_key.is_not(None))))
        skipped = 0
        for annot in annotations:
            if annot.key in known or not annot.text.strip():
                skipped += annot.key in known
                continue
            known.add(annot.key)
            row = Highlight(uuid=str(uuid.uuid4()), paper_id=paper_id, text=annot.text, page=annot.page,
                            section=annot.section, color=annot.color, note=annot.note or None,
                            annot_key=annot.key, created_at=created)
            s.add(row)
            s.flush()
            added.append(HighlightView(**{k: getattr(row, k) for k in HighlightView.__dataclass_fields__}))
    return added, skipped

"""What the review screen does besides answering, as Anki has it: bury or suspend a whole note, mark a note,
flag a card, card info, and "study more" when the day is done (more new cards, or review ahead).

Each write is one `write_db()` transaction; the note-wide ones return the cards they changed, so the review
screen's undo reverses exactly those (a sibling buried or suspended before stays so).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from readroom import config
from readroom.cards import service
from readroom.cards.scheduler import study_day
from readroom.cards.service import CardView, ReviewQueue
from readroom.config import ReviewConfig
from readroom.errors import BadInput, NotFound
from readroom.storage import cards as store
from readroom.storage.fast import read_db, write_db

MARKED_TAG = "marked"  # Anki's Mark Note adds this tag, so a marked note is found by it there too
FLAG_NAMES = {1: "red", 2: "orange", 3: "green", 4: "blue"}  # Anki's numbers and colours


def _note_of(conn, card_id: int) -> int:
    note_id = store.card_note(conn, card_id)
    if note_id is None:
        raise NotFound(f"No card with id {card_id}; it may have been deleted.")
    return note_id


def bury_note(card_id: int, now: datetime, settings: ReviewConfig | None = None) -> list[int]:
    """Bury every card of the card's note until the next study day; returns those it buried (not those already
    buried or suspended)."""
    settings = settings or config.load().review
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with write_db() as conn:
        note_id = _note_of(conn, card_id)
        ids = store.note_cards_active(conn, note_id, now)
        for cid in ids:
            store.update_card(conn, cid, buried_until=day_end)
    return ids


def suspend_note(card_id: int) -> list[int]:
    """Suspend every card of the card's note; returns those it suspended (not those already suspended)."""
    with write_db() as conn:
        ids = store.note_cards_unsuspended(conn, _note_of(conn, card_id))
        for cid in ids:
            store.update_card(conn, cid, suspended=True)
    return ids


def toggle_mark(card_id: int, marked: bool | None = None) -> bool:
    """Mark the card's note (Anki's tag `marked`), or unmark it; `marked` says which (an undo), else it flips.
    True when it is now marked."""
    with write_db() as conn:
        card = store.get_card(conn, card_id)
        if card is None:
            raise NotFound(f"No card with id {card_id}; it may have been deleted.")
        if marked is None:
            marked = MARKED_TAG not in card.tags
        if marked != (MARKED_TAG in card.tags):
            tags = [*card.tags, MARKED_TAG] if marked else [t for t in card.tags if t != MARKED_TAG]
            store.update_note(conn, card.note_id, tags=tags)
    return marked


def set_flag(card_id: int, flag: int, toggle: bool = True) -> int:
    """Give the card flag 1-4 (red, orange, green, blue); the flag it already has clears it, as in Anki, unless
    `toggle` is False (an undo putting back the flag it had, 0 for none). Returns the card's flag now."""
    if flag not in FLAG_NAMES and (toggle or flag != 0):
        raise BadInput(f"A flag is one of 1-4 ({', '.join(FLAG_NAMES.values())}), not {flag}.")
    with write_db() as conn:
        card = store.get_card(conn, card_id)
        if card is None:
            raise NotFound(f"No card with id {card_id}; it may have been deleted.")
        new = 0 if toggle and card.flag == flag else flag
        store.update_card(conn, card_id, flag=new)
    return new


# --------------------------------------------------------------------------------------------- card info


@dataclass(frozen=True)
class Review:
    at: datetime
    rating: int
    state_before: int
    interval: timedelta
    elapsed: timedelta


@dataclass(frozen=True)
class CardInfo:
    """What Anki's card info shows."""

    card: CardView
    added: datetime | None
    reviews: list[Review]
    retrievability: float | None  # None for a new card

    @property
    def first_review(self) -> datetime | None:
        return self.reviews[0].at if self.reviews else None

    @property
    def last_review(self) -> datetime | None:
        return self.reviews[-1].at if self.reviews else None


def card_info(card_id: int, now: datetime, settings: ReviewConfig | None = None) -> CardInfo:
    from readroom.cards import scheduler

    settings = settings or config.load().review
    with read_db() as conn:
        card = store.get_card(conn, card_id) if conn else None
        if conn is None or card is None:
            raise NotFound(f"No card with id {card_id}; it may have been deleted.")
        added = store.card_added(conn, card_id)
        reviews = [Review(at, rating, before, timedelta(days=days), timedelta(milliseconds=ms))
                   for at, rating, before, days, ms in store.card_reviews(conn, card_id)]
    recall = None if card.memory.stability is None else scheduler.retrievability(card.memory, now, settings)
    return CardInfo(card, added, reviews, recall)


# --------------------------------------------------------------------------------------------- study more


def study_queue(now: datetime, settings: ReviewConfig, ahead_days: int = 0) -> ReviewQueue:
    """Today's queue, and with `ahead_days` the review cards due in that many days after today (Anki's custom
    study "review ahead"), one per note, after today's reviews."""
    queue = service.today_queue(now, settings)
    if ahead_days > 0:
        queue.reviews.extend(_ahead(queue, now, settings, ahead_days))
    return queue


def _ahead(queue: ReviewQueue, now: datetime, settings: ReviewConfig, days: int) -> list[int]:
    _day, day_start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with read_db() as conn:
        if conn is None:
            return []
        taken = set(queue.cards())
        notes = store.notes_answered_since(conn, day_start) | {store.card_note(conn, c) for c in taken}
        ahead = []
        for card_id, note_id in store.reviews_due(conn, day_end + timedelta(days=days), now):
            if card_id not in taken and note_id not in notes:
                notes.add(note_id)
                ahead.append(card_id)
    return ahead


def more_new(settings: ReviewConfig, extra: int) -> ReviewConfig:
    """The settings with today's new-card limit raised by `extra` (Anki's "increase today's new card limit")."""
    return replace(settings, new_per_day=settings.new_per_day + extra)


def study_more_counts(now: datetime, settings: ReviewConfig, extra_new: int, ahead_days: int) -> tuple[int, int]:
    """How many cards each "study more" choice would add now: (new cards, reviews ahead)."""
    queue = service.today_queue(now, settings)
    raised = service.today_queue(now, more_new(settings, extra_new))
    return len(raised.new) - len(queue.new), len(_ahead(queue, now, settings, ahead_days))

"""Highlights, notes and cards, and the study day: the one service the CLI and the TUI call.

The rules live here (what a note must hold, FSRS scheduling through scheduler.py, the leech rule, the day's
limits and order); the queries live in `readroom.storage.cards`, all on the stdlib driver, so `readroom due`,
the review screen and answering start without SQLModel. Reads share one `read_db()` connection; each user
action writes in one `write_db()` transaction (an answer: the card's new state and its review-log row).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from readroom import clock, cloze, config
from readroom.cards.scheduler import AGAIN, LEARNING, NEW, RELEARNING, REVIEW, STATE_NAMES, study_day, utc_seconds
from readroom.config import ReviewConfig
from readroom.errors import BadInput, NotFound
from readroom.records.cards import PAGES, CardState, CardView, HighlightView  # the faces import them from here
from readroom.storage import cards as store
from readroom.storage.fast import held_connections, read_db, warm_up_writes, write_db
from readroom.storage.sql import stored_time
from readroom.tags import normalize_tags, tag_form
from readroom.terminal import excerpt

KINDS = ("qa", "cloze", "figure", "occlude")  # figure: an image on the front; occlude: one card per hidden area
IMAGE_KINDS = ("figure", "occlude")
HIGHLIGHT_KINDS = ("definition", "claim", "result", "question")
FILTER_STATES = ("new", "learning", "review", "relearning", "suspended", "buried", "leech")
LEECH_TAG = "leech"


# --------------------------------------------------------------------------------------------- records


@dataclass
class ReviewQueue:
    """Today's cards in the order to show them: learning due now, reviews, new cards, then learning ahead."""

    learning: list[int] = field(default_factory=list)  # due now
    reviews: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    learning_ahead: list[int] = field(default_factory=list)  # due within the learn-ahead window
    day_ends: datetime | None = None
    # The learning cards of both lists with their stored due times, and up to when they were read.
    learning_dues: dict[int, str] = field(default_factory=dict)
    learning_read_until: datetime | None = None
    _unplaced: list[int] = field(default_factory=list)  # learning cards added since the last split_learning

    def cards(self) -> list[int]:
        return self.learning + self.reviews + self.new + self.learning_ahead

    def next_card(self) -> int | None:
        return next((cards[0] for cards in (self.learning, self.reviews, self.new, self.learning_ahead) if cards),
                    None)  # without joining the lists: a day of reviews can hold thousands

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "learning": len(self.learning) + len(self.learning_ahead),
                "review": len(self.reviews)}

    def take_out(self, card_id: int) -> None:
        for cards in (self.learning, self.reviews, self.new, self.learning_ahead, self._unplaced):
            if card_id in cards:
                cards.remove(card_id)
        self.learning_dues.pop(card_id, None)

    def add_learning(self, dues: Iterable[tuple[int, str]]) -> None:
        """Learning cards (id, stored due) to place by their due time at the next split_learning."""
        for card_id, due in dues:
            if card_id in self.learning_dues:
                self.take_out(card_id)
            self.learning_dues[card_id] = due
            self._unplaced.append(card_id)

    def split_learning(self, now: datetime) -> None:
        """The learning cards into due now and due ahead, soonest first. Both lists stay sorted, so this moves
        only what time brought due and places the cards added since: a day can hold thousands of learning cards,
        and sorting them all after every answer made a step grow with the collection (1.4 ms at 1M cards)."""
        stamp = stored_time(now)
        due = self.learning_dues.__getitem__
        order = self._learning_order
        come = 0
        while come < len(self.learning_ahead) and due(self.learning_ahead[come]) <= stamp:
            come += 1
        self.learning += self.learning_ahead[:come]
        del self.learning_ahead[:come]
        back = len(self.learning)
        while back and due(self.learning[back - 1]) > stamp:  # `now` earlier than the last split's
            back -= 1
        self.learning_ahead[:0] = self.learning[back:]
        del self.learning[back:]
        for card_id in self._unplaced:
            bisect.insort(self.learning if due(card_id) <= stamp else self.learning_ahead, card_id, key=order)
        self._unplaced.clear()

    def _learning_order(self, card_id: int) -> tuple[str, int]:
        return self.learning_dues[card_id], card_id  # cards due at the same second: the older card first


# --------------------------------------------------------------------------------------------- reading


def get_card(card_id: int) -> CardView:
    with read_db() as conn:
        card = store.get_card(conn, card_id) if conn else None
    if card is None:
        raise NotFound(f"No card with id {card_id}; see `readroom cards`.")
    return card


def resolve_card(ref: str) -> int:
    """The id of the card `ref` names: its number or the first characters (4 or more) of its uuid."""
    ref = ref.strip().lower()
    with read_db() as conn:
        if conn is None:
            raise NotFound("You have no cards yet; make one with `readroom card add`.")
        ids = store.match_cards(conn, int(ref) if ref.isdigit() else None, ref if len(ref) >= 4 else None)
    if len(ids) == 1:
        return ids[0]
    if ids:
        raise BadInput(f"'{excerpt(ref)}' matches several cards; give more characters of the id.")
    raise NotFound(f"No card matches '{excerpt(ref)}'; see `readroom cards`.")


def list_cards(*, paper: str | None = None, tag: str | None = None, state: str | None = None,
               search: str | None = None, note_id: int | None = None, now: datetime | None = None,
               after: tuple[int, int] | None = None, limit: int | None = None) -> list[CardView]:
    """Cards for the browser: filtered by paper, tag, state (new ... leech) and words, in creation order; the
    first `limit` of them when given, from the one after `after` (a card's note id and ord) when that is given."""
    from readroom.library import resolve

    paper_id = resolve(paper) if paper else None
    if state and state not in FILTER_STATES:
        raise BadInput(f"Unknown card state '{excerpt(state)}'; choose one of {', '.join(FILTER_STATES)}.")
    filters: dict = {}
    if state in ("suspended", "leech"):
        filters[state] = True
    elif state == "buried":
        filters["buried_at"] = now or clock.now()
    elif state:
        filters["state"] = {v: k for k, v in STATE_NAMES.items()}[state]
    with read_db() as conn:
        if conn is None:
            return []
        return store.list_cards(conn, paper_id=paper_id, tag=tag_form(tag) if tag else None, note_id=note_id,
                                words=(search or "").split(), after=after, limit=limit, **filters)


def card_facets() -> tuple[int, list[str], list[str]]:
    """How many cards there are, the papers they come from and their tags: the browser's filter choices."""
    with read_db() as conn:
        return store.card_facets(conn) if conn else (0, [], [])


def list_highlights(paper_id: str) -> list[HighlightView]:
    with read_db() as conn:
        return store.list_highlights(conn, paper_id) if conn else []


# --------------------------------------------------------------------------------------------- the day's queue


def today_queue(now: datetime, settings: ReviewConfig | None = None) -> ReviewQueue:
    """The cards to study now, within the day's limits (counting what was done since the day began).

    Siblings (other cards of a note) are held back for the rest of the study day once one of them was answered,
    and only one card per note is taken each day: nothing is written for this, so undo needs no clean-up.
    """
    settings = settings or config.load().review
    _day, day_start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    queue = ReviewQueue(day_ends=day_end)
    with read_db() as conn:
        if conn is None:
            return queue
        new_done, reviews_done = store.answered_since(conn, day_start)
        seen_notes = store.notes_answered_since(conn, day_start)
        _read_learning(conn, queue, now, settings)

        # As in Anki's v3 scheduler, the review limit also caps new cards, and the new cards studied count against
        # it: so a kept queue, cut once to both limits, holds what a rebuild after each answer would.
        reviews_left = max(0, settings.reviews_per_day - reviews_done - new_done)
        queue.reviews = _one_per_note(store.reviews_due(conn, day_end, now), seen_notes, reviews_left)
        new_left = max(0, min(settings.new_per_day - new_done, reviews_left - len(queue.reviews)))
        queue.new = _one_per_note(store.new_cards(conn, now), seen_notes, new_left)
    return queue


def _read_learning(conn, queue: ReviewQueue, now: datetime, settings: ReviewConfig) -> None:
    """Learning cards come due as time passes: read those due since the last read, up to the learn-ahead window."""
    ahead = now + timedelta(minutes=settings.learn_ahead_minutes)
    if queue.learning_read_until is None or ahead > queue.learning_read_until:
        queue.add_learning(store.learning_due(conn, ahead, now, since=queue.learning_read_until))
        queue.learning_read_until = ahead
    queue.split_learning(now)


def queue_after(queue: ReviewQueue, card_id: int, now: datetime, settings: ReviewConfig | None = None,
                card: CardView | None = None) -> ReviewQueue:
    """Today's queue once `card_id` was answered or its answer undone, updated in place as Anki does rather than
    rebuilt from every due card (a bury or a suspension calls for a rebuild: the siblings held back may come).
    The card leaves its list and, given its state now (`card`), goes where that puts it: a learning card among
    the learning by due time, a new card or a review due today (an undone answer) at the front of its list. Only
    what time can change is read again, the learning cards coming due. The limits and the one-card-per-note
    rule hold as a rebuild would apply them: the queue was cut to them, and an answer uses up what it takes out.
    A new study day rebuilds it."""
    settings = settings or config.load().review
    if queue.day_ends is None or now >= queue.day_ends:
        return today_queue(now, settings)
    queue.take_out(card_id)
    if card is not None and not card.suspended and not _buried(card, now):
        if card.state in (LEARNING, RELEARNING):
            if queue.learning_read_until is not None and card.due <= queue.learning_read_until:
                queue.add_learning([(card_id, stored_time(card.due))])
        elif card.state == NEW:
            queue.new.insert(0, card_id)
        elif card.state == REVIEW and card.due < queue.day_ends:
            queue.reviews.insert(0, card_id)
    with read_db() as conn:
        if conn is not None:
            _read_learning(conn, queue, now, settings)
    return queue


def _buried(card: CardView, now: datetime) -> bool:
    return card.buried_until is not None and card.buried_until > now


def _one_per_note(candidates: Iterable[tuple[int, int]], seen_notes: set[int], limit: int) -> list[int]:
    """The first `limit` of the (card id, note id) candidates whose note has no card taken yet."""
    taken: list[int] = []
    if limit <= 0:
        return taken
    for card_id, note_id in candidates:
        if note_id in seen_notes:
            continue
        seen_notes.add(note_id)
        taken.append(card_id)
        if len(taken) >= limit:
            break
    return taken


def due_counts(now: datetime, settings: ReviewConfig | None = None) -> dict[str, int]:
    """New, learning and review cards due now within today's limits (for status bars)."""
    return today_queue(now, settings).counts()


def next_intervals(card_id: int, now: datetime, settings: ReviewConfig | None = None) -> dict[int, timedelta]:
    """How long until the card comes back, for each of the four ratings (the labels of the buttons)."""
    return intervals_of(get_card(card_id), now, settings)


def intervals_of(card: CardView, now: datetime, settings: ReviewConfig | None = None) -> dict[int, timedelta]:
    """next_intervals of a card already read."""
    from readroom.cards import scheduler

    settings = settings or config.load().review
    return scheduler.next_intervals(card.memory, now, settings, _fuzz_seed(card.uuid, card.reps))


@contextmanager
def review_session(settings: ReviewConfig | None = None) -> Iterator[None]:
    """A review screen's life: one read connection for all its reads and one write connection for its answers;
    and, started now in the background, what its first answer would otherwise wait for (today's backup of the
    library, FSRS's import)."""
    from readroom.cards import scheduler

    settings = settings or config.load().review
    warm_up_writes()
    threading.Thread(target=scheduler.warm_up, args=(settings,), name="readroom-fsrs-warm-up", daemon=True).start()
    with held_connections():
        yield


def _fuzz_seed(card_uuid: str, reps: int) -> str:
    return f"{card_uuid}:{reps}"


# --------------------------------------------------------------------------------------------- answering


def answer(card_id: int, rating: int, now: datetime, elapsed_ms: int = 0,
           settings: ReviewConfig | None = None) -> CardView:
    """Schedule the card for `rating` and log the review, in one transaction; returns the card's new state."""
    from readroom.cards import scheduler

    settings = settings or config.load().review
    now = utc_seconds(now)
    elapsed_ms = max(0, min(int(elapsed_ms), settings.timer_cap_seconds * 1000))
    with write_db() as conn:  # the card is read under the write lock: no other answer can slip in between
        card = store.get_card(conn, card_id)
        if card is None:
            raise NotFound(f"No card with id {card_id}; it may have been deleted.")
        if card.suspended:
            raise BadInput("This card is suspended; unsuspend it before answering it.")
        before = card.memory
        after = scheduler.answer(before, rating, now, settings, _fuzz_seed(card.uuid, card.reps))
        lapse = before.state == REVIEW and rating == AGAIN
        lapses = card.lapses + int(lapse)
        made_leech = lapse and is_leech(lapses, settings.leech_threshold)
        store.save_memory(conn, card_id, after, reps=card.reps + 1, lapses=lapses)
        if made_leech:
            store.update_card(conn, card_id, leech=True, suspended=True)
            if LEECH_TAG not in card.tags:
                store.update_note(conn, card.note_id, tags=[*card.tags, LEECH_TAG])
        store.insert_review(conn, card_id, rating, now, elapsed_ms, before, after, made_leech)
    tags = [*card.tags, LEECH_TAG] if made_leech and LEECH_TAG not in card.tags else card.tags
    return replace(card, memory=after, reps=card.reps + 1, lapses=lapses, tags=tags,
                   leech=card.leech or made_leech, suspended=made_leech)


def replay(card_uuid: str, start: CardState, answers: Iterable[tuple[int, datetime]],
           settings: ReviewConfig | None = None, reps: int = 0) -> tuple[list[tuple[CardState, CardState]], int]:
    """The card's (before, after) state for each (rating, time) answered from `start` (after `reps` answers), as
    answer() would have scheduled them one after another; and its lapses. What `readroom doctor --fix` rebuilds a
    card from, and a sync a card answered on both sides."""
    from readroom.cards import scheduler

    settings = settings or config.load().review
    steps: list[tuple[CardState, CardState]] = []
    lapses = 0
    memory = start
    for rep, (rating, at) in enumerate(answers, start=reps):
        after = scheduler.answer(memory, rating, at, settings, _fuzz_seed(card_uuid, rep))
        lapses += memory.state == REVIEW and rating == AGAIN
        steps.append((memory, after))
        memory = after
    return steps, lapses


def is_leech(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at the threshold, and again every half threshold after it (a sync's replay too)."""
    return lapses >= threshold and (lapses - threshold) % max(1, threshold // 2) == 0


def undo(card_id: int | None = None) -> CardView | None:
    """Take back the latest answer (of one card, when given: a review session undoes its own answers even if
    another process answered meanwhile). The card gets its exact prior state and the log row goes.
    None if there is no answer to take back."""
    with write_db() as conn:
        log = store.latest_review(conn, card_id)
        if log is None:
            return None
        card = store.get_card(conn, log.card_id)
        assert card is not None  # a card's review log goes with it (ON DELETE CASCADE)
        lapsed = log.before.state == REVIEW and log.rating == AGAIN
        store.save_memory(conn, card.id, log.before, reps=card.reps - 1, lapses=card.lapses - int(lapsed))
        if log.made_leech:
            store.update_card(conn, card.id, leech=False, suspended=False)
            if not store.note_has_leech(conn, card.note_id):
                store.update_note(conn, card.note_id, tags=[t for t in card.tags if t != LEECH_TAG])
        store.delete_review(conn, log.id)
        return store.get_card(conn, card.id)


# --------------------------------------------------------------------------------------------- making cards


def create_highlight(paper_id: str, text: str, *, now: datetime, page: int | None = None, pass_no: int | None = None,
                     section: str | None = None, start: int | None = None, end: int | None = None, before: str = "",
                     after: str = "", kind: str | None = None, color: str | None = None, note: str | None = None,
                     annot_key: str | None = None) -> HighlightView:
    if not text.strip():
        raise BadInput("A highlight needs some text; select a passage first.")
    if kind is not None and kind not in HIGHLIGHT_KINDS:
        raise BadInput(f"Unknown highlight kind '{kind}'; choose one of {', '.join(HIGHLIGHT_KINDS)}.")
    with write_db() as conn:
        _check_paper(conn, paper_id)
        return store.insert_highlight(conn, paper_id, text, created_at=now, page=page, pass_no=pass_no,
                                      section=section, start=start, end=end, before=before, after=after, kind=kind,
                                      color=color, note=note, annot_key=annot_key)


def _check_paper(conn, paper_id: str) -> None:
    if not store.paper_exists(conn, paper_id):
        raise NotFound(f"No paper with id {paper_id} in your library.")


def delete_highlight(highlight_id: int) -> None:
    """Remove a highlight; cards made from it stay (they keep their own text)."""
    with write_db() as conn:
        if not store.delete_highlight(conn, highlight_id):
            raise NotFound(f"No highlight with id {highlight_id}.")


def add_note(kind: str, front: str, back: str = "", *, now: datetime, paper_id: str | None = None,
             highlight_id: int | None = None, section: str | None = None, page: int | None = None,
             tags: list[str] | tuple[str, ...] = (), image: str | None = None,
             areas: list[tuple[float, ...]] | None = None) -> list[CardView]:
    """A new note and its cards: one for a question/answer or a figure, one per cloze number for a cloze, one per
    hidden area for an occlusion. `image` is relative to $READROOM_HOME (cards/figures.py puts it there)."""
    with write_db() as conn:
        return _insert_note(conn, kind, front, back, now=now, paper_id=paper_id, highlight_id=highlight_id,
                            section=section, page=page, tags=tags, image=image, areas=areas)


def _insert_note(conn, kind: str, front: str, back: str, *, now: datetime, paper_id: str | None,
                 highlight_id: int | None, section: str | None, page: int | None,
                 tags: list[str] | tuple[str, ...], image: str | None = None,
                 areas: list[tuple[float, ...]] | None = None) -> list[CardView]:
    numbers = _check_note(kind, front, back, image, areas)
    if page is not None and page not in PAGES:
        raise BadInput(f"A page is from {PAGES.start} to {PAGES.stop - 1}, not {excerpt(page)}.")
    if paper_id is not None:
        _check_paper(conn, paper_id)
    note_id = store.insert_note(conn, kind=kind, front=front, back=back, paper_id=paper_id,
                                highlight_id=highlight_id, section=section, page=page, tags=_note_tags(tags), now=now,
                                image=image, areas=[list(a) for a in areas] if areas else None)
    for number in numbers:
        store.insert_card(conn, note_id, number, now)
    return store.cards_of_note(conn, note_id)


def cards_from_highlight(highlight_id: int, kind: str, *, now: datetime, front: str | None = None,
                         cloze_text: str | None = None, tags: list[str] | tuple[str, ...] = ()) -> list[CardView]:
    """Cards from a highlight: Q&A (the user's question, the highlight as the answer) or a cloze of it. The
    highlight is read in the transaction that writes the note: one deleted meanwhile is NotFound, never a note
    pointing at nothing."""
    with write_db() as conn:
        hl = store.get_highlight(conn, highlight_id)
        if hl is None:
            raise NotFound(f"No highlight with id {highlight_id}; it may have been deleted.")
        front, back = (front or "", hl.text) if kind == "qa" else (cloze_text if cloze_text is not None else hl.text, "")
        return _insert_note(conn, "qa" if kind == "qa" else "cloze", front, back, now=now, paper_id=hl.paper_id,
                            highlight_id=highlight_id, section=hl.section, page=hl.page, tags=tags)


def edit_note(note_id: int, *, now: datetime, front: str | None = None, back: str | None = None,
              tags: list[str] | None = None, areas: list[tuple[float, ...]] | None = None) -> list[CardView]:
    """Change a note's text, tags or hidden areas. A cloze (an occlusion) gains a card per new number (area) and
    loses those whose number is gone; areas keep their numbers, so a card keeps its history while its area moves."""
    with write_db() as conn:
        stored = store.note_text(conn, note_id)
        if stored is None:
            raise NotFound(f"No note with id {note_id}.")
        kind, old_front, old_back, old_areas = stored
        new_front = old_front if front is None else front
        new_back = old_back if back is None else back
        new_areas = old_areas if areas is None else [list(a) for a in areas]
        numbers = _check_note(kind, new_front, new_back, "kept" if kind in IMAGE_KINDS else None, new_areas)
        changes: dict[str, object] = {"front": new_front, "back": new_back, "updated_at": now}
        if tags is not None:
            changes["tags"] = _note_tags(tags)
        if areas is not None:
            changes["areas"] = new_areas
        store.update_note(conn, note_id, **changes)
        cards = store.card_ords(conn, note_id)
        gone = [card for number, card in cards.items() if number not in numbers]
        if gone:
            store.delete_cards(conn, gone)  # their review log goes with them
        for number in numbers:
            if number not in cards:
                store.insert_card(conn, note_id, number, now)
        return store.cards_of_note(conn, note_id)


def delete_note(note_id: int) -> None:
    """A note, its cards and their review history."""
    with write_db() as conn:
        if not store.delete_note(conn, note_id):
            raise NotFound(f"No note with id {note_id}.")


def delete_card(card_id: int) -> None:
    """One card and its history; a note left without cards goes too."""
    with write_db() as conn:
        note_id = store.card_note(conn, card_id)
        if note_id is None:
            raise NotFound(f"No card with id {card_id}.")
        store.delete_cards(conn, [card_id])
        store.delete_note_if_empty(conn, note_id)


def set_suspended(card_ids: list[int], suspended: bool = True) -> None:
    _update_cards(card_ids, suspended=suspended)


def bury(card_ids: list[int], now: datetime, settings: ReviewConfig | None = None) -> None:
    """Hide cards until the next study day begins."""
    settings = settings or config.load().review
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    _update_cards(card_ids, buried_until=day_end)


def unbury(card_ids: list[int]) -> None:
    _update_cards(card_ids, buried_until=None)


def _update_cards(card_ids: list[int], **values) -> None:
    """All the cards or none: a missing one rolls the others back."""
    with write_db() as conn:
        for card_id in card_ids:
            if not store.update_card(conn, card_id, **values):
                raise NotFound(f"No card with id {card_id}.")


def _note_tags(tags) -> list[str]:
    """The paper tags' rule; blank entries (from free-text input) are dropped rather than refused."""
    return normalize_tags(t for t in tags if t and t.strip())


def _check_note(kind: str, front: str, back: str, image: str | None = None,
                areas: list | None = None) -> list[int]:
    """The card numbers the note yields; BadInput when it yields none."""
    if kind not in KINDS:
        raise BadInput(f"Unknown card kind '{excerpt(kind, 20)}'; choose one of {', '.join(KINDS)}.")
    if kind in IMAGE_KINDS and not image:
        raise BadInput(f"A {kind} card needs an image.")
    if kind == "qa":
        if not front.strip():
            raise BadInput("A question/answer card needs a question (front).")
        return [0]
    if kind == "figure":
        if not back.strip():
            raise BadInput("A figure card needs an answer (back): what the figure should bring to mind.")
        return [0]
    if kind == "occlude":
        return _area_numbers(areas or [])
    numbers = cloze.card_numbers(front)
    if not numbers:
        raise BadInput("A cloze needs at least one deletion, like {{c1::answer}} or {{c1::answer::hint}}.")
    if numbers[-1] not in cloze.NUMBERS:
        raise BadInput(f"Cloze numbers run from c{cloze.NUMBERS.start} to c{cloze.NUMBERS.stop - 1}, as in Anki; "
                       f"this text has c{excerpt(numbers[-1], 20)}.")
    return numbers


def _area_numbers(areas: list) -> list[int]:
    """Cards 1..N of an occlusion with N hidden areas, each a (left, top, width, height) inside the image."""
    if not areas:
        raise BadInput("An occlusion card needs at least one hidden area.")
    if len(areas) > cloze.NUMBERS.stop - 1:
        raise BadInput(f"An occlusion hides at most {cloze.NUMBERS.stop - 1} areas, as Anki's does.")
    for area in areas:
        if (len(area) != 4 or not all(isinstance(v, (int, float)) for v in area)
                or not (0 <= area[0] < 1 and 0 <= area[1] < 1 and area[2] > 0 and area[3] > 0
                        and area[0] + area[2] <= 1 + 1e-9 and area[1] + area[3] <= 1 + 1e-9)):
            raise BadInput(f"A hidden area is left, top, width, height as fractions of the image, inside it; "
                           f"not {excerpt(area, 60)}.")
    return list(range(1, len(areas) + 1))


# --------------------------------------------------------------------------------------------- optimizer

# Fewer reviews than this give parameters noisier than FSRS's defaults (which were fitted on millions of Anki
# reviews); 512 is also fsrs's own mini-batch size, below which its Optimizer returns the defaults unchanged.
MIN_REVIEWS_TO_OPTIMIZE = 512


def review_history() -> list[tuple[int, int, datetime, int | None]]:
    """Every answer as (card id, rating, reviewed at, elapsed ms), oldest first: what the optimizer reads."""
    with read_db() as conn:
        return store.review_history(conn) if conn else []


# --------------------------------------------------------------------------------------------- after the queue


def next_due(now: datetime, settings: ReviewConfig | None = None) -> datetime | None:
    """When a card is next up once today's queue is empty: a learning card's due time, else the next study day
    (for reviews due today but over the limit, and new cards); None when there is no card to wait for."""
    settings = settings or config.load().review
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with read_db() as conn:
        if conn is None:
            return None
        learning = store.next_learning_due(conn, now)
        review = store.first_review_due(conn)
        times = [learning] if learning else []
        if review:
            times.append(max(review, day_end))  # due today but over the limit: tomorrow
        # Buried cards come back when the next day begins; the query scans, so ask only if nothing else is due.
        if store.has_new_cards(conn) or (not times and store.has_buried(conn, now)):
            times.append(day_end)
    return min(times) if times else None


# --------------------------------------------------------------------------------------------- PDF annotations


def import_pdf_highlights(paper_id: str, annotations, *, now: datetime) -> tuple[list[HighlightView], int]:
    """Store annotations read from the paper's PDF (readroom.pdf.annotations) as highlights, in one transaction.

    An annotation whose `key` (page and PDF object) is already stored for this paper is skipped, so importing
    again after marking more passages adds only the new ones. Returns the new highlights and how many were skipped.
    """
    added: list[HighlightView] = []
    skipped = 0
    with write_db() as conn:
        _check_paper(conn, paper_id)
        known = store.annotation_keys(conn, paper_id)
        for annot in annotations:
            if annot.key in known or not annot.text.strip():
                skipped += annot.key in known
                continue
            known.add(annot.key)
            added.append(store.insert_highlight(conn, paper_id, annot.text, created_at=now, page=annot.page,
                                                section=annot.section, color=annot.color, note=annot.note or None,
                                                annot_key=annot.key))
    return added, skipped

"""Reviews made elsewhere (the phone), read from the companion collection after a sync, as readroom's review-log
rows and card states: the state is the one Anki computed (FSRS memory state, due, reps, lapses); the rows carry
what Anki's review log keeps (rating, time, interval)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from readroom.cards.scheduler import LEARNING, NEW, RELEARNING, REVIEW
from readroom.config import ReviewConfig
from readroom.records.cards import CardState

_STATE_BEFORE = {1: REVIEW, 2: RELEARNING}  # Anki's revlog type (0 learn, 1 review, 2 relearn; 3 and 4 are not answers)
_TIMESTAMP = 1_000_000_000  # Anki's due: a day number below, seconds since the epoch above (intraday learning)

Pulled = tuple[list[tuple[int, int, datetime, int, CardState, CardState]], list[tuple[int, CardState, int, int]]]


def pulled(ours: dict[tuple[str, int], tuple[int, int]], cards: list[tuple], reviews: list[tuple],
           known: set[tuple[int, int]], settings: ReviewConfig, anki_today: int, day_start: datetime) -> Pulled:
    """(reviews, states) for storage.sync.add_pulled: the companion's `reviews` of readroom's cards (`ours`: GUID
    and Anki ord -> card id and state) that readroom does not hold (`known`: card id and second), and those cards'
    states from the companion's `cards` rows."""
    readroom_of = {}
    for cid, guid, ord_, *_ in cards:
        if (guid, ord_) in ours:
            readroom_of[cid] = ours[(guid, ord_)]
    new: dict[int, list[tuple]] = {}
    for rid, cid, ease, ivl, elapsed, kind in reviews:
        card = readroom_of.get(cid)
        if card is None or not 1 <= ease <= 4 or kind > 2 or (card[0], rid // 1000) in known:
            continue
        new.setdefault(cid, []).append((rid, ease, ivl, elapsed, kind))
    states = []
    rows = []
    for cid, _guid, _ord, kind, _queue, due, _ivl, reps, lapses, left, data in cards:
        if cid not in new:
            continue
        card_id, state = readroom_of[cid]
        answers = new[cid]
        memory = _memory(kind, due, left, data, answers[-1][0], settings, anki_today, day_start)
        states.append((card_id, memory, reps, lapses))
        rows.extend(_log(card_id, answers, state == NEW, memory))
    return rows, states


def _memory(kind: int, due: int, left: int, data: str, last_ms: int, settings: ReviewConfig, anki_today: int,
            day_start: datetime) -> CardState:
    extra = json.loads(data) if data else {}
    when = (datetime.fromtimestamp(due, timezone.utc) if due > _TIMESTAMP
            else day_start + timedelta(days=due - anki_today))
    step = None
    if kind in (LEARNING, RELEARNING):
        steps = settings.learning_steps if kind == LEARNING else settings.relearning_steps
        step = max(0, len(steps) - left % 1000)
    last = extra.get("lrt") or last_ms // 1000
    return CardState(kind, step, extra.get("s"), extra.get("d"), when, datetime.fromtimestamp(last, timezone.utc))


def _log(card_id: int, answers: list[tuple], was_new: bool, final: CardState) -> list[tuple]:
    """Review-log rows for one card's answers, oldest first; each answer's state after is the next one's before,
    the last one's the card's state now."""
    rows = []
    befores = [_STATE_BEFORE.get(kind, NEW if was_new and i == 0 else LEARNING)
               for i, (_rid, _ease, _ivl, _elapsed, kind) in enumerate(answers)]
    for i, (rid, ease, ivl, elapsed, _kind) in enumerate(answers):
        at = datetime.fromtimestamp(rid // 1000, timezone.utc)
        # Anki's interval: days when positive, seconds when negative
        due_after = at + (timedelta(days=ivl) if ivl > 0 else timedelta(seconds=-ivl))
        before = CardState(befores[i], None, None, None, at, None)
        after = final if i == len(answers) - 1 else CardState(befores[i + 1], None, None, None, due_after, at)
        rows.append((card_id, ease, at, elapsed, before, after))
    return rows

"""Reviews made elsewhere (the phone, or Anki desktop through a package), read from an Anki collection, as
readroom's review-log rows and card states: the state is the one Anki computed (FSRS memory state, due, reps,
lapses), or readroom's scheduler's replay of both sides' answers when readroom answered the card too; the rows
carry what Anki's review log keeps (rating, time, interval)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import NamedTuple

from readroom.cards.scheduler import AGAIN, LEARNING, NEW, RELEARNING, REVIEW
from readroom.cards.service import LEECH_TAG
from readroom.config import ReviewConfig
from readroom.export.apkg import anki_ord
from readroom.records.cards import CardState

_STATE_BEFORE = {1: REVIEW, 2: RELEARNING}  # Anki's revlog type (0 learn, 1 review, 2 relearn; 3 and 4 are not answers)
_TIMESTAMP = 1_000_000_000  # Anki's due: a day number below, seconds since the epoch above (intraday learning)


class Pull(NamedTuple):
    reviews: int  # answers brought in
    as_is: set[int]  # cards that took the state Anki computed
    replayed: set[int]  # cards whose state readroom's scheduler replayed: Anki's differs, a sync sends ours back
    leeches: set[int]  # replayed cards one of Anki's answers made a leech: tagged and suspended, as readroom's would


def readroom_cards(keys: Iterable[tuple]) -> dict[tuple[str, int], tuple[int, int]]:
    """Note GUID and Anki ord -> card id and state, from storage.sync.card_keys' rows."""
    return {(uuid, anki_ord(SimpleNamespace(kind=kind), ord_)): (card_id, state)  # type: ignore[arg-type]
            for card_id, uuid, kind, ord_, state, *_ in keys}


def pull(ours: dict[tuple[str, int], tuple[int, int]], cards: list[tuple], reviews: list[tuple],
         known: set[tuple[int, int]], settings: ReviewConfig, anki_today: int, day_start: datetime) -> Pull:
    """Bring into readroom the `reviews` of readroom's cards (`ours`: GUID and Anki ord -> card id and state) in an
    Anki collection (`cards` and `reviews` as storage.sync.companion reads them) that readroom does not hold
    (`known`: card id and second), in one transaction.

    A card answered only there takes the state Anki computed. A card answered on both sides since they last agreed
    (readroom holds answers Anki lacks), or whose Anki state has no FSRS memory (FSRS off in that collection), is
    replayed through readroom's scheduler: both logs merged in time order, from the state before the first answer
    Anki lacks (or readroom's state now)."""
    from readroom.storage import sync as rows

    readroom_of = {cid: ours[(guid, ord_)] for cid, guid, ord_, *_ in cards if (guid, ord_) in ours}
    new: dict[int, list[tuple]] = {}
    there: dict[int, set[int]] = {}  # readroom card id -> the seconds of its answers Anki holds
    for rid, cid, ease, ivl, elapsed, kind in reviews:
        card = readroom_of.get(cid)
        if card is None or not 1 <= ease <= 4 or kind > 2:
            continue
        there.setdefault(card[0], set()).add(rid // 1000)
        if (card[0], rid // 1000) not in known:
            new.setdefault(cid, []).append((rid, ease, ivl, elapsed, kind))
    answered_here = {card_id for card_id, second in known
                     if card_id in there and second not in there[card_id]}
    log: list[tuple] = []
    states: list[tuple[int, CardState, int, int]] = []
    to_replay: dict[int, list[tuple]] = {}
    for cid, _guid, _ord, kind, _queue, due, _ivl, reps, lapses, left, data in cards:
        if cid not in new:
            continue
        card_id, state = readroom_of[cid]
        answers = new[cid]
        memory = _memory(kind, due, left, data, answers[-1][0], settings, anki_today, day_start)
        if card_id in answered_here or (kind != NEW and memory.stability is None):
            to_replay[card_id] = answers
            continue
        states.append((card_id, memory, reps, lapses))
        log.extend(_log(card_id, answers, state == NEW, memory))
    as_is = {card_id for card_id, *_ in states}
    for card_id, history in rows.histories(set(to_replay)).items():
        replayed_log, replayed_state = _replay(card_id, history, to_replay[card_id], there.get(card_id, set()),
                                               settings)
        log.extend(replayed_log)
        states.append(replayed_state)
    if log:
        rows.add_pulled(log, states, LEECH_TAG)
    return Pull(len(log), as_is, set(to_replay), {row[0] for row in log if row[-1]})


def _replay(card_id: int, history: tuple, theirs: list[tuple], seconds_there: set[int],
            settings: ReviewConfig) -> tuple[list[tuple], tuple[int, CardState, int, int]]:
    """One card's log rows for Anki's answers `theirs` and its state, replayed with readroom's answers Anki lacks
    from the state before the first of those. An answer of Anki's whose lapse reaches readroom's leech rule makes
    the card a leech (Anki's own threshold, met or not on the phone, counted other lapses)."""
    from readroom.cards.service import is_leech, replay

    uuid, reps, lapses, memory, answers = history
    mine = [(at, rating, before) for at, rating, before in answers if int(at.timestamp()) not in seconds_there]
    start = mine[0][2] if mine else memory
    start_reps = reps - len(mine)
    start_lapses = lapses - sum(before.state == REVIEW and rating == AGAIN for _at, rating, before in mine)
    merged = sorted([(at, rating, None) for at, rating, _before in mine]
                    + [(datetime.fromtimestamp(rid // 1000, timezone.utc), ease, elapsed)
                       for rid, ease, _ivl, elapsed, _kind in theirs], key=lambda answer: answer[0])
    steps, more_lapses = replay(uuid, start, [(rating, at) for at, rating, _ in merged], settings, reps=start_reps)
    log = []
    lapses = max(0, start_lapses)
    for (at, rating, elapsed), (before, after) in zip(merged, steps, strict=True):
        lapse = before.state == REVIEW and rating == AGAIN
        lapses += lapse
        if elapsed is not None:
            log.append((card_id, rating, at, elapsed, before, after,
                        lapse and is_leech(lapses, settings.leech_threshold)))
    return log, (card_id, steps[-1][1], start_reps + len(merged), lapses)


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
        rows.append((card_id, ease, at, elapsed, before, after, False))
    return rows

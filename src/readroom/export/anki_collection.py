"""Export with scheduling, through Anki's own backend (the optional `anki` package): FSRS state and review history.

The notes are built exactly as for a plain .apkg (apkg.build_package: same GUIDs, note types, decks), imported
into a fresh collection by the backend, and then every card gets its readroom schedule (type, queue, due,
interval, reps, lapses, FSRS memory state, last review) and its review log. The backend then writes either
- an .apkg with scheduling (the default): it merges into an existing Anki collection (tick "Import any learning
  progress" when importing), or
- a .colpkg (when the file name ends in .colpkg): a whole collection, which REPLACES the one in Anki; for a user
  moving to Anki with nothing there yet.
A deck option preset "readroom" carries the desired retention, steps, limits and fitted FSRS parameters.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from readroom import config
from readroom.cards.scheduler import LEARNING, NEW, RELEARNING, REVIEW, study_day
from readroom.config import ReviewConfig
from readroom.errors import BadInput
from readroom.export.apkg import ROOT_DECK, anki_ord, atomic_write, build_package
from readroom.export.selection import CardFilter, ExportNote, select_notes

MISSING_ANKI = "Exporting with scheduling needs the Anki backend: pip install 'readroom[anki]'."
_REVLOG_TYPE = {NEW: 0, LEARNING: 0, REVIEW: 1, RELEARNING: 2}  # Anki: learn, review, relearn
_INITIAL_FACTOR = 2500  # Anki's starting ease, so the cards also make sense if FSRS is off in Anki


def require_anki() -> None:
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise BadInput(MISSING_ANKI) from None


def export_with_scheduling(selection: CardFilter, path: Path, now: datetime,
                           settings: ReviewConfig | None = None) -> tuple[Path, int, int]:
    """Write the selected notes with their schedules and history; returns (path, notes, cards)."""
    require_anki()
    notes = select_notes(selection)
    if not notes:
        raise BadInput(f"No cards to export ({selection.describe()}); make some with `readroom card add`.")
    settings = settings or config.load().review
    with tempfile.TemporaryDirectory(prefix="readroom-anki-") as work:
        atomic_write(path, lambda tmp: _build(notes, Path(work), tmp, now, settings,
                                              colpkg=path.suffix.lower() == ".colpkg"))
    return path, len(notes), sum(len(n.cards) for n in notes)


def _build(notes: list[ExportNote], work: Path, out: Path, now: datetime, settings: ReviewConfig,
           *, colpkg: bool) -> None:
    from anki.collection import Collection
    from anki.import_export_pb2 import ExportAnkiPackageOptions, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    plain = work / "notes.apkg"
    build_package(notes).write_to_file(str(plain), timestamp=now.timestamp())
    col = Collection(str(work / "collection.anki2"))
    closed = False
    try:
        # with_scheduling: else Anki's import drops the `marked` and `leech` tags and the flags (the schedule
        # itself is set below)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(plain),
                                                         options=ImportAnkiPackageOptions(with_scheduling=True)))
        anki_ids = _schedule_cards(col, notes, now, settings)
        _write_revlog(col, anki_ids)
        _apply_preset(col, settings)
        if colpkg:
            col.export_collection_package(str(out), include_media=False, legacy=False)  # closes the collection
            closed = True
        else:
            col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False))
    finally:
        if not closed:
            col.close()


def _schedule_cards(col, notes: list[ExportNote], now: datetime, settings: ReviewConfig) -> dict[int, int]:
    """Give each Anki card its readroom schedule; readroom card id -> Anki card id."""
    from anki.cards import FSRSMemoryState

    by_guid = dict(col.db.all("SELECT guid, id FROM notes"))
    cards_of = {}
    for cid, nid, ord_ in col.db.all("SELECT id, nid, ord FROM cards"):
        cards_of[(nid, ord_)] = cid
    zone = settings.zone()
    today, _start, day_end = study_day(now, zone, settings.day_starts_at)
    col.set_config("rollover", settings.day_starts_at)
    anki_today = col.sched.today
    ids: dict[int, int] = {}
    updated = []
    for position, note in enumerate(notes):
        nid = by_guid[note.uuid]
        for ours in note.cards:
            card = col.get_card(cards_of[(nid, anki_ord(note, ours.ord))])
            ids[ours.id] = card.id
            card.reps, card.lapses = ours.reps, ours.lapses
            memory = ours.memory
            if memory.state == NEW:
                card.type = card.queue = 0
                card.due = position
            else:
                card.type = memory.state
                card.factor = _INITIAL_FACTOR if memory.state in (REVIEW, RELEARNING) else 0
                if memory.stability is not None and memory.difficulty is not None:
                    card.memory_state = FSRSMemoryState(stability=memory.stability, difficulty=memory.difficulty)
                if memory.last_review is not None:
                    card.last_review_time = int(memory.last_review.timestamp())
                days_ahead = (study_day(memory.due, zone, settings.day_starts_at)[0] - today).days
                if memory.state == REVIEW:
                    card.queue = 2
                    card.due = anki_today + days_ahead
                    card.ivl = _interval_days(memory.last_review, memory.due, memory.stability)
                else:
                    steps = settings.learning_steps if memory.state == LEARNING else settings.relearning_steps
                    card.left = max(1, len(steps) - (memory.step or 0))
                    if memory.state == RELEARNING:
                        card.ivl = max(1, round(memory.stability or 1))
                    if memory.due < day_end:  # an intraday step: due is a timestamp
                        card.queue, card.due = 1, int(memory.due.timestamp())
                    else:
                        card.queue, card.due = 3, anki_today + days_ahead
            if ours.suspended:
                card.queue = -1
            elif ours.buried_until and ours.buried_until > now:
                card.queue = -2
            updated.append(card)
    col.update_cards(updated)
    return ids


def _interval_days(last_review: datetime | None, due: datetime, stability: float | None) -> int:
    if last_review is None:
        return max(1, round(stability or 1))
    return max(1, round((due - last_review) / timedelta(days=1)))


def _write_revlog(col, anki_ids: dict[int, int]) -> None:
    """Each readroom answer as an Anki review-log row (id = answer time in ms, as Anki keeps it)."""
    from readroom.storage.export import review_log

    if not anki_ids:
        return
    rows = review_log(list(anki_ids))
    used: set[int] = set()
    last_ivl: dict[int, int] = {}
    entries = []
    for card_id, rating, reviewed_at, elapsed_ms, state_before, interval_days in rows:
        stamp = int(reviewed_at.timestamp() * 1000)
        while stamp in used:
            stamp += 1
        used.add(stamp)
        # Anki's interval: days when a day or more, else negative seconds.
        ivl = round(interval_days) if interval_days >= 1 else -max(1, round(interval_days * 86400))
        kind = _REVLOG_TYPE.get(state_before, 0)
        entries.append((stamp, anki_ids[card_id], -1, rating, ivl, last_ivl.get(card_id, 0),
                        _INITIAL_FACTOR if kind else 0, min(elapsed_ms or 0, 60_000), kind))
        last_ivl[card_id] = ivl
    col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?,?,?,?,?,?,?,?,?)", entries)


def _apply_preset(col, settings: ReviewConfig) -> None:
    """A deck-option preset with readroom's settings, on every readroom deck; FSRS switched on."""
    conf = col.decks.add_config(ROOT_DECK)
    conf["desiredRetention"] = settings.desired_retention
    conf["new"]["delays"] = [step / timedelta(minutes=1) for step in settings.learning_steps]
    conf["lapse"]["delays"] = [step / timedelta(minutes=1) for step in settings.relearning_steps]
    conf["lapse"]["leechFails"] = settings.leech_threshold
    conf["new"]["perDay"] = settings.new_per_day
    conf["rev"]["perDay"] = settings.reviews_per_day
    conf["rev"]["maxIvl"] = settings.maximum_interval
    if settings.parameters and len(settings.parameters) == 21:
        conf["fsrsParams6"] = list(settings.parameters)
    col.decks.update_config(conf)
    for deck in col.decks.all_names_and_ids():
        if deck.name == ROOT_DECK or deck.name.startswith(ROOT_DECK + "::"):
            d = col.decks.get(deck.id)
            d["conf"] = conf["id"]
            col.decks.save(d)
    col.set_config("fsrs", True)

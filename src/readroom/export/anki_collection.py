"""Export with scheduling, through Anki's own backend (the optional `anki` package): FSRS state and review history.

The notes are built exactly as for a plain .apkg (apkg.build_package: same GUIDs, note types, decks), imported
into a fresh collection by the backend, and then every card gets its readroom schedule (type, queue, due,
interval, reps, lapses, FSRS memory state, last review) and its review log, written into the collection file while
the backend has it closed (storage.anki_file: 100k log rows through the backend cost seconds). The backend then
writes either
- an .apkg with scheduling (the default): it merges into an existing Anki collection (tick "Import any learning
  progress" when importing), or
- a .colpkg (when the file name ends in .colpkg): a whole collection, which REPLACES the one in Anki; for a user
  moving to Anki with nothing there yet.
A deck option preset "readroom" carries the desired retention, steps, limits and fitted FSRS parameters.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from readroom import config
from readroom.cards.scheduler import LEARNING, NEW, RELEARNING, REVIEW, study_day
from readroom.config import ReviewConfig
from readroom.errors import BadInput
from readroom.export.apkg import ROOT_DECK, anki_ord, atomic_write, build_package
from readroom.export.selection import CardFilter, ExportNote, select_notes
from readroom.storage.anki_file import write_schedule

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
    collection = work / "collection.anki2"
    col = Collection(str(collection))
    try:
        # with_scheduling: else Anki's import drops the `marked` and `leech` tags and the flags (the schedule
        # itself is written below)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(plain),
                                                         options=ImportAnkiPackageOptions(with_scheduling=True)))
        col.set_config("rollover", settings.day_starts_at)
        assert col.db is not None  # open: made just above
        col.db.transact(lambda: apply_preset(col, settings))  # one transaction, not one per deck
        cards, anki_ids = card_rows(col, notes, now, settings)
    finally:
        col.close()
    # With the backend closed, the rows go straight into the file: see storage.anki_file.
    write_schedule(collection, cards, revlog_rows(anki_ids))
    col = Collection(str(collection))
    closed = False
    try:
        if colpkg:
            # media: the images of figure and occlusion cards, which the import above put in the media folder
            col.export_collection_package(str(out), include_media=True, legacy=False)  # closes the collection
            closed = True
        else:
            col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False))
    finally:
        if not closed:
            col.close()


def card_rows(col, notes: list[ExportNote], now: datetime,
               settings: ReviewConfig) -> tuple[list[tuple], dict[int, int]]:
    """Each Anki card's readroom schedule as a row for storage.anki_file, and readroom card id -> Anki card id."""
    by_guid = dict(col.db.all("SELECT guid, id FROM notes"))
    cards_of = {(nid, ord_): cid for cid, nid, ord_ in col.db.all("SELECT id, nid, ord FROM cards")}
    zone = settings.zone()
    today, _start, day_end = study_day(now, zone, settings.day_starts_at)
    anki_today = col.sched.today
    mod = int(now.timestamp())
    ids: dict[int, int] = {}
    rows = []
    for position, note in enumerate(notes):
        nid = by_guid[note.uuid]
        for ours in note.cards:
            cid = ids[ours.id] = cards_of[(nid, anki_ord(note, ours.ord))]
            memory = ours.memory
            ivl = factor = left = 0
            data: dict[str, float | int] = {}
            if memory.state == NEW:
                kind = queue = 0
                due = position
            else:
                kind = memory.state
                factor = _INITIAL_FACTOR if memory.state in (REVIEW, RELEARNING) else 0
                if memory.stability is not None and memory.difficulty is not None:
                    # Anki's card data, as the backend writes it (FSRS memory state to its own precision)
                    data = {"s": round(memory.stability, 4), "d": round(memory.difficulty, 3)}
                if memory.last_review is not None:
                    data["lrt"] = int(memory.last_review.timestamp())
                days_ahead = (study_day(memory.due, zone, settings.day_starts_at)[0] - today).days
                if memory.state == REVIEW:
                    queue, due = 2, anki_today + days_ahead
                    ivl = _interval_days(memory.last_review, memory.due, memory.stability)
                else:
                    steps = settings.learning_steps if memory.state == LEARNING else settings.relearning_steps
                    left = max(1, len(steps) - (memory.step or 0))
                    if memory.state == RELEARNING:
                        ivl = max(1, round(memory.stability or 1))
                    if memory.due < day_end:  # an intraday step: due is a timestamp
                        queue, due = 1, int(memory.due.timestamp())
                    else:
                        queue, due = 3, anki_today + days_ahead
            if ours.suspended:
                queue = -1
            elif ours.buried_until and ours.buried_until > now:
                queue = -2
            rows.append((kind, queue, due, ivl, factor, ours.reps, ours.lapses, left,
                         json.dumps(data, separators=(",", ":")) if data else "", mod, cid))
    return rows, ids


def _interval_days(last_review: datetime | None, due: datetime, stability: float | None) -> int:
    if last_review is None:
        return max(1, round(stability or 1))
    return max(1, round((due - last_review) / timedelta(days=1)))


def revlog_rows(anki_ids: dict[int, int]) -> list[tuple]:
    """Each readroom answer as a review-log row for storage.anki_file (id = answer time in ms, as Anki keeps it,
    made unique)."""
    from readroom.storage.export import review_log

    used: set[int] = set()
    last_ivl: dict[int, int] = {}
    rows = []
    for card_id, rating, stamp, elapsed_ms, state_before, interval_days in review_log(list(anki_ids)):
        while stamp in used:
            stamp += 1
        used.add(stamp)
        # Anki's interval: days when a day or more, else negative seconds.
        ivl = round(interval_days) if interval_days >= 1 else -max(1, round(interval_days * 86400))
        kind = _REVLOG_TYPE.get(state_before, 0)
        rows.append((stamp, anki_ids[card_id], rating, ivl, last_ivl.get(card_id, 0), _INITIAL_FACTOR if kind else 0,
                     min(elapsed_ms or 0, 60_000), kind))
        last_ivl[card_id] = ivl
    return rows


def apply_preset(col, settings: ReviewConfig, *, fsrs: bool = True) -> None:
    """A deck-option preset with readroom's settings, on every readroom deck; FSRS switched on when `fsrs` (a
    collection-wide setting: not in a user's collection, whose other decks it would change)."""
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
    if fsrs:
        col.set_config("fsrs", True)

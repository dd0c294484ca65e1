"""Export with scheduling: FSRS state and review history, in a package Anki's own import reads.

The notes are built exactly as for a plain .apkg (apkg.package_rows: same GUIDs, note types, decks, card ids)
and written, with every card's readroom schedule (type, queue, due, interval, reps, lapses, FSRS memory state,
last review), its review log and a deck-option preset, straight into a schema-11 collection by sqlite3
(storage.anki_file), which is zipped as a plain .apkg is. Going through Anki's backend instead (import
genanki's package, write the schedules, export again) took 3.8-4.3x Anki's own export of the same cards. Two outputs:
- an .apkg with scheduling (the default): it merges into an existing Anki collection (tick "Import any learning
  progress" when importing), or
- a .colpkg (when the file name ends in .colpkg): that package imported by the backend into a new collection with
  FSRS on, written whole; it REPLACES the collection in Anki, for a user moving to Anki with nothing there yet.
The preset "readroom" carries the desired retention, steps, limits and fitted FSRS parameters.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from readroom import config, gc_pause
from readroom.cards.scheduler import LEARNING, NEW, RELEARNING, REVIEW, study_date, study_day
from readroom.config import ReviewConfig
from readroom.errors import BadInput
from readroom.export.apkg import (
    ROOT_DECK,
    anki_ord,
    atomic_write,
    package_card_ids,
    package_rows,
    plan_package,
    zip_package,
)
from readroom.export.selection import CardFilter, ExportCard, ExportNote, select_notes
from readroom.storage import anki_file
from readroom.storage.export import review_log

MISSING_ANKI = "Exporting a whole collection (.colpkg) needs the Anki backend: pip install 'readroom[anki]'."
_PRESET_ID = 1_719_203_313  # beside apkg's note type ids
_INITIAL_FACTOR = 2500  # Anki's starting ease, so the cards also make sense if FSRS is off in Anki


def require_anki() -> None:
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise BadInput(MISSING_ANKI) from None


def export_with_scheduling(selection: CardFilter, path: Path, now: datetime,
                           settings: ReviewConfig | None = None) -> tuple[Path, int, int]:
    """Write the selected notes with their schedules and history; returns (path, notes, cards)."""
    colpkg = path.suffix.lower() == ".colpkg"
    if colpkg:  # the .apkg is written by readroom alone; a whole collection is made by Anki's import
        require_anki()
    settings = settings or config.load().review
    with gc_pause.held():
        notes = select_notes(selection)
        if not notes:
            raise BadInput(f"No cards to export ({selection.describe()}); make some with `readroom card add`.")
        with tempfile.TemporaryDirectory(prefix="readroom-anki-") as work:
            atomic_write(path, lambda tmp: _build(notes, Path(work), tmp, now, settings, colpkg=colpkg))
    return path, len(notes), sum(len(n.cards) for n in notes)


def _build(notes: list[ExportNote], work: Path, out: Path, now: datetime, settings: ReviewConfig,
           *, colpkg: bool) -> None:
    if not colpkg:
        _write_package(notes, work, out, now, settings)
        return
    # A whole collection: the package imported with its scheduling into a new one, the way Anki imports it
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    package = work / "scheduled.apkg"
    _write_package(notes, work, package, now, settings)
    col = Collection(str(work / "whole.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True)))
        col.set_config("rollover", settings.day_starts_at)
        col.set_config("fsrs", True)
    except BaseException:
        col.close()
        raise
    # media: the images of figure and occlusion cards, which the import above put in the media folder
    col.export_collection_package(str(out), include_media=True, legacy=False)  # closes the collection


def _write_package(notes: list[ExportNote], work: Path, out: Path, now: datetime, settings: ReviewConfig) -> None:
    """The plain package's notes and cards (apkg.package_rows: same GUIDs, note types, decks, ids) with each card's
    schedule, the review log and the preset, zipped as a plain package is."""
    _today, day_start, _day_end = study_day(now, settings.zone(), settings.day_starts_at)
    collection = work / "collection.anki2"
    stamp = now.timestamp()
    anki_ids = package_card_ids(notes, stamp)
    with ThreadPoolExecutor(1) as pool, anki_file.scratch_collection(collection) as conn:
        # read beside the notes' building: SQLite's part of it (the scan, the sort) runs without Python's lock
        answers = pool.submit(review_log, anki_ids)
        plan = plan_package(notes)
        # The collection starts today, so Anki's day number is 0 in it (the import shifts it to the user's today).
        schedules = _schedules(lambda _note, card: anki_ids[card.id], 0, notes, now, settings)[0]
        note_rows, card_rows = package_rows(plan, conn, stamp, anki_ids, {row[-1]: row for row in schedules})
        # The inserts after the thread is done: beside its Python, each row's binding would wait for the lock.
        log = answers.result()
        anki_file.add_rows(conn, note_rows, card_rows)
        anki_file.add_review_log(conn, log)
        conf, decks, dconf = anki_file.collection_settings(conn)
        _preset_in(conf, decks, dconf, settings, int(stamp))
        anki_file.set_collection_settings(conn, int(day_start.timestamp()), conf, decks, dconf)
    zip_package(collection, out, plan.media_files)


def card_rows(col, notes: list[ExportNote], now: datetime,
               settings: ReviewConfig) -> tuple[list[tuple], dict[int, int]]:
    """Each Anki card's readroom schedule as a row for storage.anki_file, and readroom card id -> Anki card id."""
    by_guid = dict(col.db.all("SELECT guid, id FROM notes"))
    cards_of = {(nid, ord_): cid for cid, nid, ord_ in col.db.all("SELECT id, nid, ord FROM cards")}
    return _schedules(lambda note, card: cards_of[(by_guid[note.uuid], anki_ord(note, card.ord))], col.sched.today,
                      notes, now, settings)


def _schedules(anki_card: Callable[[ExportNote, ExportCard], int], anki_today: int, notes: list[ExportNote],
               now: datetime, settings: ReviewConfig) -> tuple[list[tuple], dict[int, int]]:
    """Each card's schedule as (type, queue, due, ivl, factor, reps, lapses, left, data, mod, Anki card id), and
    readroom card id -> Anki card id (`anki_card` of the note and card)."""
    zone = settings.zone()
    starts_at = settings.day_starts_at
    today, _start, day_end = study_day(now, zone, starts_at)
    mod = int(now.timestamp())
    ids: dict[int, int] = {}
    rows = []
    for position, note in enumerate(notes):
        for ours in note.cards:
            cid = ids[ours.id] = anki_card(note, ours)
            memory = ours.memory
            ivl = factor = left = 0
            data = ""
            if memory.state == NEW:
                kind = queue = 0
                due = position
            else:
                kind = memory.state
                factor = _INITIAL_FACTOR if memory.state in (REVIEW, RELEARNING) else 0
                data = _card_data(memory)
                days_ahead = (study_date(memory.due, zone, starts_at) - today).days
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
                         data, mod, cid))
    return rows, ids


def _card_data(memory) -> str:
    """Anki's card data, as the backend writes it: the FSRS memory state to its own precision and the last review's
    time. Formatted, not json.dumps'd (a seventh of the schedules' time): a float's repr is its JSON."""
    parts = []
    if memory.stability is not None and memory.difficulty is not None:
        parts.append(f'"s":{round(memory.stability, 4)!r},"d":{round(memory.difficulty, 3)!r}')
    if memory.last_review is not None:
        parts.append(f'"lrt":{int(memory.last_review.timestamp())}')
    return "{" + ",".join(parts) + "}" if parts else ""


def _interval_days(last_review: datetime | None, due: datetime, stability: float | None) -> int:
    if last_review is None:
        return max(1, round(stability or 1))
    return max(1, round((due - last_review) / timedelta(days=1)))


def revlog_rows(anki_ids: dict[int, int]) -> list[tuple]:
    """Each readroom answer to these cards (readroom id -> Anki id) as a review-log row for storage.anki_file
    (id = answer time in ms, as Anki keeps it, made unique)."""
    return review_log(anki_ids)


def apply_preset(col, settings: ReviewConfig, *, fsrs: bool = True) -> None:
    """A deck-option preset with readroom's settings, on every readroom deck; FSRS switched on when `fsrs` (a
    collection-wide setting: not in a user's collection, whose other decks it would change)."""
    conf = col.decks.add_config(ROOT_DECK)
    _set_preset(conf, settings)
    col.decks.update_config(conf)
    for deck in col.decks.all_names_and_ids():
        if _ours(deck.name):
            d = col.decks.get(deck.id)
            d["conf"] = conf["id"]
            col.decks.save(d)
    if fsrs:
        col.set_config("fsrs", True)


def _preset_in(conf: dict, decks: dict, dconf: dict, settings: ReviewConfig, mod: int) -> None:
    """apply_preset on a schema-11 collection's settings (storage.anki_file.collection_settings): the preset made
    from the default one, with a fixed id, so that importing a later export updates it rather than adding another."""
    preset = copy.deepcopy(dconf["1"])
    preset.update(id=_PRESET_ID, name=ROOT_DECK, mod=mod, usn=-1)
    _set_preset(preset, settings)
    dconf[str(_PRESET_ID)] = preset
    for deck in decks.values():
        if _ours(deck["name"]):
            deck["conf"] = _PRESET_ID
    conf.update(rollover=settings.day_starts_at, schedVer=2)


def _set_preset(conf: dict, settings: ReviewConfig) -> None:
    conf["desiredRetention"] = settings.desired_retention
    conf["new"]["delays"] = [step / timedelta(minutes=1) for step in settings.learning_steps]
    conf["lapse"]["delays"] = [step / timedelta(minutes=1) for step in settings.relearning_steps]
    conf["lapse"]["leechFails"] = settings.leech_threshold
    conf["new"]["perDay"] = settings.new_per_day
    conf["rev"]["perDay"] = settings.reviews_per_day
    conf["rev"]["maxIvl"] = settings.maximum_interval
    if settings.parameters and len(settings.parameters) == 21:
        conf["fsrsParams6"] = list(settings.parameters)


def _ours(deck_name: str) -> bool:
    return deck_name == ROOT_DECK or deck_name.startswith(ROOT_DECK + "::")

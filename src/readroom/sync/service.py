"""`readroom sync`: readroom's cards and reviews to the user's own Anki sync server, and the reviews made on the
phone back, through a companion collection at $READROOM_HOME/anki/collection.anki2.

readroom's database stays the source of truth; the companion is the bridge, rebuilt from it when downloaded anew.
One sync: (1) `sync_collection` brings the server's changes into the companion; (2) pull: the companion's reviews
of readroom's cards that readroom lacks, with the state Anki computed or replayed from both sides (sync.pull), and
the notes edited there (sync.edits); (3) push: new notes and cards (the .apkg's GUIDs and note types, with their
schedules), notes edited since the last sync, and readroom's reviews the companion lacks, with their cards' states;
(4) `sync_collection` again, when something was pushed. Reviews are matched by (card, second) both ways, so a sync
cut short is carried on by the next one and nothing is counted twice.

Suspensions, buries and deletions are merged against what the last sync left on both sides (storage table
sync_note / sync_card): the side that changed since wins; when both did, readroom's suspension or bury wins. A
note deleted in readroom is removed from the companion, and so from the phone, unless the phone edited it since
(then it stays there and is no longer synced). A note deleted on the phone is deleted in readroom too, as every Anki
client does, with its cards' history (Anki keeps its own review log rows), unless it was edited or answered in
readroom since: then readroom's note wins and goes back.

A full sync that would replace a side is chosen only when that side has no cards, or on the first sync (the
companion holds nothing of its own then: the server's collection is downloaded and readroom's decks merged in);
else the user passes --upload or --download.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from readroom import config, paths
from readroom.cards.scheduler import study_day
from readroom.config import ReviewConfig, SyncConfig
from readroom.errors import BadInput
from readroom.export.apkg import ROOT_DECK, anki_ord, write_package
from readroom.export.selection import CardFilter, ExportNote, select_notes
from readroom.sync import session
from readroom.sync.edits import Edits
from readroom.sync.edits import take as take_edits
from readroom.sync.pull import pull, readroom_cards
from readroom.sync.words import counted, listed

MISSING_ANKI = "Syncing needs the Anki backend: pip install 'readroom[sync]'."
_HIDDEN = (("suspensions", "suspension", None), ("buries", "bury", "buries"), ("deletions", "deletion", None))


@dataclass(frozen=True)
class SyncReport:
    pushed_notes: int = 0
    pushed_cards: int = 0
    pushed_reviews: int = 0
    pulled_reviews: int = 0
    pulled_edits: int = 0  # notes whose text an edit made elsewhere replaced
    edited_both: int = 0  # notes edited on both sides since the last sync: the newer edit kept
    full: str | None = None  # "upload" or "download" when the whole collection went one way
    # cards whose suspension or bury, and notes whose deletion, went to the companion (pushed) or came back (pulled)
    pushed_suspensions: int = 0
    pulled_suspensions: int = 0
    pushed_buries: int = 0
    pulled_buries: int = 0
    pushed_deletions: int = 0
    pulled_deletions: int = 0
    fsrs_kept_off: bool = False  # readroom's preset went into a collection with FSRS off, which stayed off

    def to_json(self) -> dict:
        return asdict(self)

    def message(self) -> str:
        counts = asdict(self)
        del counts["full"], counts["fsrs_kept_off"], counts["edited_both"]  # edited_both counts some pulled_edits
        if not any(counts.values()) and not self.full:
            return "In sync: nothing to send or fetch."
        sent = [counted(counts[f"pushed_{what}"], one, many) for what, one, many in (
            ("notes", "note", None), ("cards", "card", None), ("reviews", "review", None), *_HIDDEN)]
        fetched = [counted(counts[f"pulled_{what}"], one, many) for what, one, many in (
            ("reviews", "review", None), ("edits", "note edit", None), *_HIDDEN)]
        parts = [f"{verb} {listed(moved)}" + (" made elsewhere" if verb == "fetched" else "")
                 for verb, moved in (("sent", sent), ("fetched", fetched)) if any(moved)]
        line = f"Synced: {'; '.join(parts) or 'the whole collection went one way'}."
        if self.edited_both:
            line += f" {counted(self.edited_both, 'note')} edited on both sides kept the newer edit."
        line += {"upload": " (The server's collection was replaced by this one.)",
                 "download": " (The server's collection was downloaded; readroom's decks merged in.)",
                 None: ""}[self.full]
        if self.fsrs_kept_off:
            line += ("\nFSRS is off in your Anki collection and readroom left it so (it is one setting for all your "
                     "decks); to have Anki schedule readroom's cards as readroom does, turn on FSRS in Anki's deck "
                     "options.")
        return line


def folder() -> Path:
    return paths.home() / "anki"


def sync(ask_password: Callable[[], str], now: datetime, *, upload: bool = False,
         download: bool = False) -> SyncReport:
    """One sync (see the module's docstring); `ask_password` is called when no session key is kept and
    READROOM_SYNC_PASSWORD is unset. BadInput when no server is set, the password is refused or a full sync needs
    the user's choice; NetworkError when the server cannot be reached."""
    try:
        from anki.collection import Collection
    except ImportError:
        raise BadInput(MISSING_ANKI) from None
    settings = config.load()
    url = session.endpoint(settings.sync)
    home = folder()
    home.mkdir(parents=True, exist_ok=True)
    path = home / "collection.anki2"
    last = last_sync(home)
    link = _Link(Collection(str(path)), home, settings.sync, ask_password)
    try:
        full = None
        if download:
            link.full(upload=False)
            full, last = "download", None
        elif not upload:
            required = link.sync()
            if required == "download" or (required == "full" and last is None):
                link.full(upload=False)  # the companion has no cards, or nothing not in readroom: first sync
                full, last = "download", None
            elif required == "full":
                raise _choose(url)
            link.pending = required == "upload"  # the server has no cards: readroom's go up whole below
        anki_today = link.col.sched.today
        # a companion of readroom's own rolls its day over with readroom's and has FSRS on; a downloaded one keeps
        # the user's settings
        link.own = link.col.card_count() == 0
        if link.own and link.col.get_config("rollover", None) != settings.review.day_starts_at:
            link.col.set_config("rollover", settings.review.day_starts_at)
        link.close()
        moved, ours, base = _pull_and_push(link, path, last, now, settings.review, anki_today)
        if upload or link.pending:
            link.open()
            required = "upload" if upload else link.sync()
            if required == "upload":
                link.full(upload=True)
                full = "upload"
            elif required:
                raise _choose(url)
        if any(home.glob("collection.media/readroom-*")):  # figure and occlusion cards' images, for the phone
            link.open()
            link.sync_media()
    finally:
        link.close()
    _save_synced_state(path, ours, base)
    _save_last_sync(home, now)
    return replace(moved, full=full)


class FullSyncRequired(BadInput):
    """Both sides changed in ways Anki cannot merge: the user chooses the way (the CLI's flags, the app's dialog)."""


def _choose(url: str) -> FullSyncRequired:
    return FullSyncRequired(f"The sync server at {url} and readroom's collection both changed in ways Anki cannot merge (a "
                    "full sync); pass --download to keep the server's collection and merge readroom's cards into it "
                    "again, or --upload to replace the server's with readroom's.")


def _pull_and_push(link: _Link, path: Path, last: datetime | None, now: datetime, settings: ReviewConfig,
                   anki_today: int) -> tuple[SyncReport, set[tuple[str, int]], tuple[dict, dict] | None]:
    """What moved, readroom's cards after it as (note GUID, Anki ord), and the synced state it started from."""
    from readroom.storage import sync as rows

    _day, day_start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    companion_cards, companion_reviews = rows.companion(path)
    there_notes, _queues = rows.companion_state(path)
    # edits from the second the last sync began on are sent again: readroom keeps times to the second
    since = last.replace(microsecond=0) if last is not None else None
    before_edits = rows.card_keys()
    edits = (Edits(set(), 0) if last is None
             else take_edits(rows.companion_notes(path, int(last.timestamp())), before_edits, last))
    keys = [_Key(*row) for row in (rows.card_keys() if edits.taken else before_edits)]
    # after a full download (last is None) what was synced before says nothing of the collection now there
    base_notes, base_cards = rows.synced_state() if since is not None else ({}, {})
    ours_by_guid: dict[str, list[_Key]] = {}
    for k in keys:
        ours_by_guid.setdefault(k.uuid, []).append(k)
    answered = rows.cards_reviewed_since(since) if since is not None else set()
    deleted_there = [guid for guid in base_notes if guid not in there_notes and guid in ours_by_guid
                     and not any(_changed(k, since, answered, now, base_cards) for k in ours_by_guid[guid])]
    removed_here = [guid for guid, mod in base_notes.items() if guid not in ours_by_guid
                    and there_notes.get(guid, mod + 1) <= mod]  # not when the phone edited it since
    keys = [k for k in keys if k.uuid not in set(deleted_there)]

    ours = readroom_cards(keys)
    known = rows.review_seconds()
    pulled = pull(ours, companion_cards, companion_reviews, known, settings, anki_today, day_start)
    # a leech the pull made is suspended now: the push below sends the suspension
    keys = [k._replace(suspended=True) if k.card_id in pulled.leeches else k for k in keys]

    key_of = {(k.uuid, anki_ord(k, k.ord)): k for k in keys}  # type: ignore[arg-type]
    counts: dict[str, Any] = dict.fromkeys(("pushed_suspensions", "pulled_suspensions", "pushed_buries",
                                            "pulled_buries"), 0)
    hidden_here, hidden_there = [], []
    for cid, guid, ord_, _kind, queue, *_ in companion_cards:
        card = key_of.get((guid, ord_))
        if card is None:
            continue
        ours_now, theirs = _hidden(card, now), (queue == -1, queue in (-2, -3))
        if ours_now == theirs:
            continue
        if base_cards.get((guid, ord_)) == ours_now:  # changed there alone
            hidden_here.append((card.card_id, theirs[0], day_end if theirs[1] else None))
            side, new, old = "pulled", theirs, ours_now
        else:  # changed here, or on both sides: readroom's wins
            hidden_there.append((*ours_now, cid))
            side, new, old = "pushed", ours_now, theirs
        counts[f"{side}_suspensions"] += new[0] != old[0]
        counts[f"{side}_buries"] += new[1] != old[1]
    if hidden_here or deleted_there:
        rows.apply_pulled_changes(hidden_here, deleted_there)

    readroom_of = {cid: ours[(guid, ord_)][0] for cid, guid, ord_, *_ in companion_cards if (guid, ord_) in ours}
    there = {(readroom_of[cid], rid // 1000) for rid, cid, *_ in companion_reviews if cid in readroom_of}
    present = set(readroom_of.values())
    new_cards = {k.card_id for k in keys if k.card_id not in present}
    unsent = {card_id for card_id, _second in known - there if card_id in present}
    edited = {k.card_id for k in keys if since is not None and k.card_id in present and k.updated_at >= since
              and k.uuid not in edits.taken}
    # A card answered on both sides has the state replayed from both logs (pulled above); both logs go to both sides.
    scheduled = new_cards | (unsent - pulled.as_is) | pulled.replayed
    report = SyncReport(pulled_reviews=pulled.reviews, pulled_edits=len(edits.taken), edited_both=edits.both,
                        pushed_deletions=len(removed_here), pulled_deletions=len(deleted_there), **counts)
    base = (base_notes, base_cards) if since is not None else None
    if not (scheduled or edited or unsent or hidden_there or removed_here):
        return report, set(key_of), base
    notes, cards, sent, fsrs_kept_off = _push(link, path, new_cards | edited, scheduled,
                                              new_cards | unsent | pulled.replayed, there, hidden_there, removed_here,
                                              now, settings)
    return (replace(report, pushed_notes=notes, pushed_cards=cards, pushed_reviews=sent, fsrs_kept_off=fsrs_kept_off),
            set(key_of), base)


def _hidden(k: _Key, now: datetime) -> tuple[bool, bool]:
    """(suspended, buried) as Anki has them: one queue, so a suspended card is not also buried."""
    return k.suspended, not k.suspended and k.buried_until is not None and k.buried_until > now


def _changed(k: _Key, since: datetime | None, answered: set[int], now: datetime,
             base: dict[tuple[str, int], tuple[bool, bool]]) -> bool:
    """Whether the card or its note was edited, answered (`answered`: the cards answered since), suspended or buried
    in readroom since the last sync."""
    if since is None or k.updated_at >= since or k.card_id in answered:
        return True
    return base.get((k.uuid, anki_ord(k, k.ord))) != _hidden(k, now)  # type: ignore[arg-type]


def _push(link: _Link, path: Path, to_import: set[int], scheduled: set[int], logged: set[int],
          there: set[tuple[int, int]], hidden: list[tuple[bool, bool, int]], removed: list[str], now: datetime,
          settings: ReviewConfig) -> tuple[int, int, int, bool]:
    """Remove the notes `removed` (GUIDs), import the notes of the cards `to_import`, then write the schedules of
    the cards `scheduled`, the answers to the cards `logged` the companion lacks (`there`: card id and second) and
    the queues of the cards `hidden` (suspended, buried, Anki card id); returns (notes, cards, review-log rows)
    sent, and whether readroom's preset went into a collection whose FSRS setting stayed off."""
    from readroom.export.anki_collection import card_rows, revlog_rows
    from readroom.storage import sync as rows

    notes = select_notes(CardFilter())
    importing = [n for n in notes if any(c.id in to_import for c in n.cards)]
    link.open()
    fsrs_kept_off = False
    if removed:
        link.col.remove_notes([nid for guid in removed for nid in link.col.db.list(
            "SELECT id FROM notes WHERE guid = ?", guid)])
    if importing:
        fsrs_kept_off = _import(link.col, importing, now, settings, own=link.own)
    schedules, anki_ids = card_rows(link.col, [n for n in notes if any(c.id in logged for c in n.cards)], now,
                                    settings)
    link.close()
    wanted = {anki_ids[card_id] for card_id in scheduled}
    readroom_id = {anki_ids[card_id]: card_id for card_id in logged}
    log = [r for r in revlog_rows({card_id: anki_ids[card_id] for card_id in logged})
           if (readroom_id[r[1]], r[0] // 1000) not in there]  # not the answers pulled from there before
    added = rows.write_companion(path, [r for r in schedules if r[-1] in wanted], log, hidden)
    link.pending = True
    return len(importing), len(scheduled), added, fsrs_kept_off


class _Key(NamedTuple):
    """A readroom card as a sync matches it."""

    card_id: int
    uuid: str
    kind: str
    ord: int
    state: int
    updated_at: datetime
    suspended: bool
    buried_until: datetime | None


def _import(col, notes: list[ExportNote], now: datetime, settings: ReviewConfig, *, own: bool) -> bool:
    """The notes as export writes them (same GUIDs and note types), into the companion: new ones added, known ones
    updated; the cards' schedules are written afterwards. FSRS is switched on only in a companion of readroom's
    `own` (it is one setting for the whole collection); returns whether readroom's preset went into a collection
    whose FSRS stayed off."""
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from readroom.export.anki_collection import apply_preset

    with tempfile.TemporaryDirectory(prefix="readroom-sync-") as work:
        package = Path(work) / "notes.apkg"
        write_package(notes, package, now)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package),
                                                         options=ImportAnkiPackageOptions(with_scheduling=True)))
    preset = next((c for c in col.decks.all_config() if c["name"] == ROOT_DECK), None)
    if preset is None:
        col.db.transact(lambda: apply_preset(col, settings, fsrs=own))
        return not col.get_config("fsrs", False)
    for deck in col.decks.all_names_and_ids():  # a new paper's deck takes the preset too
        if deck.name == ROOT_DECK or deck.name.startswith(ROOT_DECK + "::"):
            d = col.decks.get(deck.id)
            if d.get("conf") != preset["id"]:
                d["conf"] = preset["id"]
                col.decks.save(d)
    return False


class _Link:
    """The companion collection and the session with the server: opened and closed around the direct reads and
    writes of storage.sync (Anki's backend holds the file locked while open)."""

    def __init__(self, col, home: Path, settings: SyncConfig, ask: Callable[[], str]) -> None:
        self.col, self.home, self.settings, self.ask = col, home, settings, ask
        self.url = session.endpoint(settings)
        self.hkey = session.stored_key(home, settings)
        self.pending = False
        self.own = False  # the companion held no cards but readroom's when this sync began
        self.is_open = True

    def open(self) -> None:
        if not self.is_open:
            self.col.reopen()
            self.is_open = True

    def close(self) -> None:
        if self.is_open:
            self.col.close()
            self.is_open = False

    def _auth(self):
        from anki.sync import SyncAuth

        if self.hkey is None:
            self.hkey = session.log_in(self.col, self.home, self.settings, self.ask)
        return SyncAuth(hkey=self.hkey, endpoint=self.url)

    def _call(self, call):
        """A call to the server; a refused kept key is forgotten and the user logged in again, once."""
        from anki.errors import NetworkError as AnkiNetworkError
        from anki.errors import SyncError

        for attempt in range(2):
            try:
                return call(self._auth())
            except SyncError as exc:
                if not session.is_refusal(exc):
                    raise session.failed(self.col, self.url, exc) from None
                session.forget_key(self.home)
                self.hkey = None
                if attempt:
                    raise session.refused(self.settings) from None
            except AnkiNetworkError as exc:
                raise session.failed(self.col, self.url, exc) from None
        raise AssertionError("unreachable")

    def sync(self) -> str:
        """A normal sync; returns "" when done, or the full sync the server asks for: "upload" (it has no cards),
        "download" (the companion has none) or "full" (both have)."""
        out = self._call(lambda auth: self.col.sync_collection(auth, False))
        return {out.FULL_UPLOAD: "upload", out.FULL_DOWNLOAD: "download", out.FULL_SYNC: "full"}.get(out.required, "")

    def sync_media(self) -> None:
        """Anki's media sync, to its end: the images the import put in the companion's media folder go up (and, as
        Anki syncs media both ways, the server's media come down)."""
        import time

        def media(auth) -> None:
            self.col.sync_media(auth)
            while self.col.media_sync_status().active:  # raises the sync's error, if it failed
                time.sleep(0.05)

        self._call(media)

    def full(self, *, upload: bool) -> None:
        def replace(auth) -> None:
            self.col.close_for_full_sync()
            try:
                self.col.full_upload_or_download(auth=auth, server_usn=None, upload=upload)
            finally:
                self.col.reopen(after_full_sync=True)

        self._call(replace)


def _save_synced_state(path: Path, ours: set[tuple[str, int]], base: tuple[dict, dict] | None) -> None:
    """What this sync left on both sides, as the base of the next one (see the module's docstring); `ours`:
    readroom's cards, as _pull_and_push left them; `base`: the state it started from, None when it
    started from none (a first sync or a download): written only if changed."""
    from readroom.storage import sync as rows

    guids = {guid for guid, _ord in ours}
    notes, queues = rows.companion_state(path)
    state = ({guid: mod for guid, mod in notes.items() if guid in guids},
             {(guid, ord_): (queue == -1, queue in (-2, -3)) for guid, ord_, queue in queues if (guid, ord_) in ours})
    if state != (base if base is not None else rows.synced_state()):
        rows.save_synced_state(*state)


def _state_path(home: Path) -> Path:
    return home / "sync-state.json"


def last_sync(home: Path) -> datetime | None:
    try:
        return datetime.fromisoformat(json.loads(_state_path(home).read_text(encoding="utf-8"))["last_sync"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_last_sync(home: Path, now: datetime) -> None:
    tmp = _state_path(home).with_name("sync-state.json.part")
    tmp.write_text(json.dumps({"last_sync": now.isoformat()}), encoding="utf-8")
    tmp.replace(_state_path(home))

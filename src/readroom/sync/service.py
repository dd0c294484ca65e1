"""`readroom sync`: readroom's cards and reviews to the user's own Anki sync server, and the reviews made on the
phone back, through a companion collection at $READROOM_HOME/anki/collection.anki2.

readroom's database stays the source of truth; the companion is the bridge, rebuilt from it when downloaded anew.
One sync: (1) `sync_collection` brings the server's changes into the companion; (2) pull: the companion's reviews
of readroom's cards that readroom lacks, with the state Anki computed; (3) push: new notes and cards (the .apkg's
GUIDs and note types, with their schedules), notes edited since the last sync, and readroom's reviews the companion
lacks, with their cards' states; (4) `sync_collection` again, when something was pushed. Reviews are matched by
(card, second) both ways, so a sync cut short is carried on by the next one and nothing is counted twice.

A full sync that would replace a side is chosen only when that side has no cards, or on the first sync (the
companion holds nothing of its own then: the server's collection is downloaded and readroom's decks merged in);
else the user passes --upload or --download.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from readroom import config, paths
from readroom.cards.scheduler import study_day
from readroom.config import ReviewConfig, SyncConfig
from readroom.errors import BadInput
from readroom.export.apkg import ROOT_DECK, anki_ord, build_package
from readroom.export.selection import CardFilter, ExportNote, select_notes
from readroom.sync import session
from readroom.sync.pull import pulled

MISSING_ANKI = "Syncing needs the Anki backend: pip install 'readroom[sync]'."


@dataclass(frozen=True)
class SyncReport:
    pushed_notes: int = 0
    pushed_cards: int = 0
    pushed_reviews: int = 0
    pulled_reviews: int = 0
    full: str | None = None  # "upload" or "download" when the whole collection went one way

    def to_json(self) -> dict:
        return asdict(self)

    def message(self) -> str:
        if not (self.pushed_notes or self.pushed_cards or self.pushed_reviews or self.pulled_reviews or self.full):
            return "In sync: nothing to send or fetch."
        line = (f"Synced: sent {self.pushed_notes} notes, {self.pushed_cards} cards and {self.pushed_reviews} "
                f"reviews; fetched {self.pulled_reviews} reviews made elsewhere.")
        return line + {"upload": " (The server's collection was replaced by this one.)",
                       "download": " (The server's collection was downloaded; readroom's decks merged in.)",
                       None: ""}[self.full]


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
    last = _last_sync(home)
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
        if link.col.card_count() == 0 and link.col.get_config("rollover", None) != settings.review.day_starts_at:
            # a companion of readroom's own rolls its day over with readroom's; a downloaded one keeps the user's
            link.col.set_config("rollover", settings.review.day_starts_at)
        link.close()
        day_start = study_day(now, settings.review.zone(), settings.review.day_starts_at)[1]
        pushed_notes, pushed_cards, pushed_reviews, fetched = _pull_and_push(
            link, path, last, now, settings.review, anki_today, day_start)
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
    _save_last_sync(home, now)
    return SyncReport(pushed_notes, pushed_cards, pushed_reviews, fetched, full)


def _choose(url: str) -> BadInput:
    return BadInput(f"The sync server at {url} and readroom's collection both changed in ways Anki cannot merge (a "
                    "full sync); pass --download to keep the server's collection and merge readroom's cards into it "
                    "again, or --upload to replace the server's with readroom's.")


def _pull_and_push(link: _Link, path: Path, last: datetime | None, now: datetime, settings: ReviewConfig,
                   anki_today: int, day_start: datetime) -> tuple[int, int, int, int]:
    from readroom.storage import sync as rows

    companion_cards, companion_reviews = rows.companion(path)
    keys = [_Key(*row) for row in rows.card_keys()]
    ours = {(k.uuid, anki_ord(k, k.ord)): (k.card_id, k.state) for k in keys}  # type: ignore[arg-type]
    known = rows.review_seconds()
    reviews, states = pulled(ours, companion_cards, companion_reviews, known, settings, anki_today, day_start)
    if reviews:
        rows.add_pulled(reviews, states)
    pulled_cards = {card_id for card_id, *_ in states}

    readroom_of = {cid: ours[(guid, ord_)][0] for cid, guid, ord_, *_ in companion_cards if (guid, ord_) in ours}
    there = {(readroom_of[cid], rid // 1000) for rid, cid, *_ in companion_reviews if cid in readroom_of}
    present = set(readroom_of.values())
    new_cards = {k.card_id for k in keys if k.card_id not in present}
    unsent = {card_id for card_id, _second in known - there if card_id in present}
    # edits from the second the last sync began on are sent again: readroom keeps times to the second
    since = last.replace(microsecond=0) if last is not None else None
    edited = {k.card_id for k in keys if since is not None and k.card_id in present and k.updated_at >= since}
    # A card answered on both sides keeps the state Anki computed (pulled above); both logs go to both sides.
    scheduled = new_cards | (unsent - pulled_cards)
    if not scheduled and not edited and not unsent:
        return 0, 0, 0, len(reviews)
    return (*_push(link, path, new_cards | edited, scheduled, new_cards | unsent, there, now, settings), len(reviews))


def _push(link: _Link, path: Path, to_import: set[int], scheduled: set[int], logged: set[int],
          there: set[tuple[int, int]], now: datetime, settings: ReviewConfig) -> tuple[int, int, int]:
    """Import the notes of the cards `to_import`, then write the schedules of the cards `scheduled` and the answers
    to the cards `logged` the companion lacks (`there`: card id and second); returns (notes, cards, review-log
    rows) sent."""
    from readroom.export.anki_collection import card_rows, revlog_rows
    from readroom.storage import sync as rows

    notes = select_notes(CardFilter())
    importing = [n for n in notes if any(c.id in to_import for c in n.cards)]
    link.open()
    if importing:
        _import(link.col, importing, now, settings)
    schedules, anki_ids = card_rows(link.col, [n for n in notes if any(c.id in logged for c in n.cards)], now,
                                    settings)
    link.close()
    wanted = {anki_ids[card_id] for card_id in scheduled}
    readroom_id = {anki_ids[card_id]: card_id for card_id in logged}
    log = [r for r in revlog_rows({card_id: anki_ids[card_id] for card_id in logged})
           if (readroom_id[r[1]], r[0] // 1000) not in there]  # not the answers pulled from there before
    added = rows.write_companion(path, [r for r in schedules if r[-1] in wanted], log)
    link.pending = True
    return len(importing), len(scheduled), added


class _Key(NamedTuple):
    """A readroom card as a sync matches it; `kind` is what export.apkg.anki_ord reads of a note."""

    card_id: int
    uuid: str
    kind: str
    ord: int
    state: int
    updated_at: datetime


def _import(col, notes: list[ExportNote], now: datetime, settings: ReviewConfig) -> None:
    """The notes as export writes them (same GUIDs and note types), into the companion: new ones added, known ones
    updated; the cards' schedules are written afterwards."""
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from readroom.export.anki_collection import apply_preset

    with tempfile.TemporaryDirectory(prefix="readroom-sync-") as work:
        package = Path(work) / "notes.apkg"
        build_package(notes).write_to_file(str(package), timestamp=now.timestamp())
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package),
                                                         options=ImportAnkiPackageOptions(with_scheduling=True)))
    preset = next((c for c in col.decks.all_config() if c["name"] == ROOT_DECK), None)
    if preset is None:
        col.db.transact(lambda: apply_preset(col, settings))
        return
    for deck in col.decks.all_names_and_ids():  # a new paper's deck takes the preset too
        if deck.name == ROOT_DECK or deck.name.startswith(ROOT_DECK + "::"):
            d = col.decks.get(deck.id)
            if d.get("conf") != preset["id"]:
                d["conf"] = preset["id"]
                col.decks.save(d)


class _Link:
    """The companion collection and the session with the server: opened and closed around the direct reads and
    writes of storage.sync (Anki's backend holds the file locked while open)."""

    def __init__(self, col, home: Path, settings: SyncConfig, ask: Callable[[], str]) -> None:
        self.col, self.home, self.settings, self.ask = col, home, settings, ask
        self.url = session.endpoint(settings)
        self.hkey = session.stored_key(home, settings)
        self.pending = False
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
                    raise session.unreachable(self.url, exc) from None
                session.forget_key(self.home)
                self.hkey = None
                if attempt:
                    raise session.refused(self.settings) from None
            except AnkiNetworkError as exc:
                raise session.unreachable(self.url, exc) from None
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


def _state_path(home: Path) -> Path:
    return home / "sync-state.json"


def _last_sync(home: Path) -> datetime | None:
    try:
        return datetime.fromisoformat(json.loads(_state_path(home).read_text(encoding="utf-8"))["last_sync"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_last_sync(home: Path, now: datetime) -> None:
    tmp = _state_path(home).with_name("sync-state.json.part")
    tmp.write_text(json.dumps({"last_sync": now.isoformat()}), encoding="utf-8")
    tmp.replace(_state_path(home))

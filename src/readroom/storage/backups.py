"""Copies of the database in $READROOM_HOME/backups: daily (on the first write of the day), before every migration,
before a restore or a repair, and on request; the newest `[backup] keep` are kept.

Every copy goes through SQLite's online backup API, so it is one consistent snapshot even while another process
writes (WAL included), and is written under a hidden temporary name, checked, and only then renamed: a backup
file is whole or absent. Stdlib only: the fast write path calls `daily()`.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing, suppress
from datetime import datetime, timezone
from pathlib import Path

from readroom import clock, paths
from readroom.errors import DiskFull, StorageError

PREFIX = "readroom-"  # readroom-20260329T013000.123Z-daily.db
TEMP_SUFFIX = ".part"
_STAMP = "%Y%m%dT%H%M%S.%f"

SHOW_AFTER = 0.5  # seconds: a wait longer than this says what it is
STEP_PAGES = 4096  # pages per backup step, between progress reports (16 MiB at 4 KiB pages)

_daily_done: tuple[str, str] | None = None  # (database, UTC date) whose daily backup this process made or found


def listed() -> list[Path]:
    """The backups, oldest first (their names sort by time)."""
    folder = paths.backups_dir()
    return sorted(folder.glob(f"{PREFIX}*.db")) if folder.is_dir() else []


def newest() -> Path | None:
    found = listed()
    return found[-1] if found else None


def made_at(backup: Path) -> datetime | None:
    stamp = backup.name.removeprefix(PREFIX).split("Z-", 1)[0]
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def take(db: Path, label: str) -> Path:
    """make(), with failures as the one line a user sees (StorageError; LibraryDamaged for a damaged file)."""
    from readroom.storage.errors import os_storage_error, storage_error

    try:
        return make(db, label)
    except sqlite3.Error as exc:
        raise storage_error(exc, db, where=paths.backups_dir()) from exc
    except OSError as exc:
        raise os_storage_error(exc, paths.backups_dir()) from exc


class Progress:
    """One line on stderr for a wait the user would otherwise sit through in silence (a backup or a migration of a
    big library): on a terminal it redraws in place and is wiped at the end; elsewhere each phase is one plain line.
    Shown from the start when `always`, else only once the wait passes SHOW_AFTER."""

    def __init__(self, text: str, always: bool = False) -> None:
        self._stream = getattr(sys.stderr, "unguarded", sys.stderr)  # \r and erase-line are ours to send
        self._tty = self._stream.isatty()
        self._start = time.monotonic()
        self._text = text
        self._shown = False
        self._said = ""
        if always:
            self._show("")

    def say(self, text: str) -> None:
        """The next phase of the wait."""
        self._text = text
        if self._shown:
            self._show("")

    def pages(self, _status: int, remaining: int, total: int) -> None:
        """sqlite3's backup progress callback."""
        if self._shown or time.monotonic() - self._start >= SHOW_AFTER:
            self._show(f" {100 * (total - remaining) // max(total, 1)}%")

    def end(self) -> None:
        if self._shown and self._tty:
            self._stream.write("\r\x1b[K")
            self._stream.flush()

    def _show(self, detail: str) -> None:
        self._shown = True
        if self._tty:
            self._stream.write(f"\r{self._text}{detail}\x1b[K")
        elif self._said != self._text:
            self._said = self._text
            self._stream.write(f"{self._text}\n")
        self._stream.flush()


class Upgrading(Progress):
    """The line of a library's upgrade, shown from its start: the backup first, then the migration. The path is not
    in it: it goes to the terminal unguarded (the line redraws in place)."""

    def __init__(self) -> None:
        super().__init__("Upgrading the library: backing up first...", always=True)

    def migrating(self) -> None:
        self.say("Upgrading the library: migrating...")


def make(db: Path, label: str, keep: int | None = None, snapshot_taken: Callable[[], None] | None = None,
         progress: Progress | None = None) -> Path:
    """A consistent, checked copy of `db` named for now and `label`; then the oldest beyond `keep` go.
    `snapshot_taken` is called once the copy's snapshot is fixed: later writes are not in it; `progress` hears
    of each step of the copy.

    Raises sqlite3.DatabaseError when `db` is damaged: a damaged copy must not push good ones out."""
    target = _name(label)
    tmp = _temp(target)
    try:
        _write(db, tmp, snapshot_taken, progress)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    rotate(keep)
    return target


def restore(file: Path, db: Path) -> Path | None:
    """Put a copy of `file` in place of `db`, keeping the current database aside first (a backup, or the file as
    it is when it is too damaged to copy); returns where it was kept. StorageError when it cannot, with the
    library left as it was."""
    from readroom.storage.errors import is_disk_full, os_storage_error

    if "readroom.storage.db" in sys.modules:
        sys.modules["readroom.storage.db"].dispose_all()  # no pooled connection to the file being replaced
    try:
        return _restore(file, db)
    except sqlite3.Error as exc:
        if is_disk_full(exc, db):
            raise DiskFull(db) from exc
        raise StorageError(f"Could not restore {file} ({exc}); the library was left as it was.") from exc
    except OSError as exc:
        raise os_storage_error(exc, db) from exc
    finally:
        forget_daily()


def _restore(file: Path, db: Path) -> Path | None:
    db.parent.mkdir(parents=True, exist_ok=True)  # a restore may be the first thing a new home sees
    tmp = _temp(db)
    try:
        _write(file, tmp)  # first: keeping the current one aside may rotate `file` itself away
        kept = None
        if db.is_file():
            try:
                kept = make(db, "before-restore")
            except sqlite3.DatabaseError:
                kept = _move_aside(db)
        for side in ("-wal", "-shm"):  # the old database's log would be replayed into the new one
            Path(f"{db}{side}").unlink(missing_ok=True)
        os.replace(tmp, db)
    finally:
        tmp.unlink(missing_ok=True)
    return kept


def _name(label: str) -> Path:
    folder = paths.backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{PREFIX}{clock.now().strftime(_STAMP)[:-3]}Z-{label}.db"


def _temp(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_SUFFIX}")


def _write(source: Path, tmp: Path, snapshot_taken: Callable[[], None] | None = None,
           progress: Progress | None = None) -> None:
    """`source` into `tmp` with the backup API, checked, as one file without a -wal beside it. In steps, for the
    progress line: the read transaction held across them keeps it one snapshot (other processes' writes go to the
    WAL, past it), so the copy never restarts."""
    from readroom import config

    tmp.unlink(missing_ok=True)
    busy = config.load().storage.db_busy_timeout
    with closing(sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True, timeout=busy,
                                 isolation_level=None)) as src, closing(sqlite3.connect(tmp)) as dst:
        # The read lock first, waiting at most the busy timeout ("database is locked" after it): the backup API
        # itself retries a busy source forever, and a writer holding the file to itself would hang us.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if snapshot_taken:
            snapshot_taken()
        src.backup(dst, pages=STEP_PAGES, progress=progress.pages if progress else None, sleep=0)
        src.execute("COMMIT")
        problems = quick_check(dst)
        if problems:
            raise sqlite3.DatabaseError(f"database disk image is malformed ({problems[0]})")
        dst.execute("PRAGMA journal_mode=DELETE")


def _move_aside(db: Path) -> Path:
    """A database too damaged to copy, moved into the backups folder as it is (outside the rotation: it must never
    pass for the newest good backup)."""
    target = paths.backups_dir() / f"damaged-{clock.now().strftime(_STAMP)[:-3]}Z.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    for side in ("", "-wal", "-shm"):
        if Path(f"{db}{side}").exists():
            os.replace(f"{db}{side}", f"{target}{side}")
    return target


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's quick_check: [] when the file is sound, else its complaints."""
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    return [] if rows == ["ok"] else rows


def rotate(keep: int | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups (the setting when None); returns what went."""
    if keep is None:
        from readroom import config

        keep = config.load().backup.keep
    gone = listed()[:-keep]
    for old in gone:
        old.unlink(missing_ok=True)
    return gone


def daily(db: Path, snapshot_taken: Callable[[], None] | None = None) -> Path | None:
    """Before the first write of the (UTC) day: a backup, unless one was made today already. Never fails the
    write it precedes: a database that cannot be copied is left for the write itself to report.
    `snapshot_taken` is called when writes may go on (the copy's snapshot is taken, or there is no copy to make)."""
    try:
        return _daily(db, snapshot_taken)
    finally:
        if snapshot_taken:
            snapshot_taken()


def _daily(db: Path, snapshot_taken: Callable[[], None] | None) -> Path | None:
    global _daily_done
    today = (str(db), clock.now().date().isoformat())
    if _daily_done == today:
        return None
    latest = newest()
    stamp = made_at(latest) if latest else None
    if not db.is_file() or (stamp is not None and stamp.date().isoformat() == today[1]):
        _daily_done = today
        return None
    progress = Progress("Backing up the library (the first write of the day)...")
    try:
        with suppress(sqlite3.Error, OSError):
            made = make(db, "daily", snapshot_taken=snapshot_taken, progress=progress)
            _daily_done = today
            return made
    finally:
        progress.end()
    return None


def forget_daily() -> None:
    """Look for today's backup again on the next write (tests switch homes and clocks)."""
    global _daily_done
    _daily_done = None


def leftovers() -> list[Path]:
    """Temporary files of backups that never finished (a killed process)."""
    folder = paths.backups_dir()
    return sorted(folder.glob(f".*{TEMP_SUFFIX}")) if folder.is_dir() else []

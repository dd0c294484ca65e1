"""The queries behind `readroom doctor`, `backup` and `restore`: SQLite's own checks, the files papers point at,
cards beside their review logs, and the repairs. Stdlib only; checks open the file read-only and never migrate,
so a doctor run changes nothing unless asked to fix.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from readroom.errors import BadInput, StorageError
from readroom.records.cards import CardState
from readroom.storage.cards import card_memory, state_before
from readroom.storage.sql import stored_time
from readroom.storage.types_light import parse_utc

MIGRATIONS = Path(__file__).with_name("migrations") / "versions"


@contextmanager
def inspect(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to `db` that migrates nothing; what goes wrong in the block comes out as
    StorageError (LibraryDamaged for a damaged file)."""
    from readroom.storage.errors import storage_error

    try:
        with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True, timeout=5.0)) as conn:
            conn.row_factory = sqlite3.Row
            yield conn
    except sqlite3.Error as exc:
        raise storage_error(exc, db) from exc


def integrity(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """SQLite's integrity_check: [] when every page, index and constraint is sound, else (up to `limit`)
    complaints."""
    rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({int(limit)})")]
    return [] if rows == ["ok"] else [" ".join(r.split()) for r in rows]  # one line each ("*** in database main ***\n...")


def revision(conn: sqlite3.Connection) -> str | None:
    """The schema's migration id; None when the file has no alembic_version (or an empty one)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def known_revisions() -> list[str]:
    """Our migrations' ids, oldest first (their files are named for them)."""
    return sorted(p.stem for p in MIGRATIONS.glob("[0-9]*.py"))


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("paper", "card")
            if table in table_names(conn)}


# --------------------------------------------------------------------------------------------- files


@dataclass(frozen=True)
class PaperFile:
    paper_id: str
    title: str
    pdf_path: str  # relative to $READROOM_HOME/papers
    pdf_sha256: str | None


def paper_files(conn: sqlite3.Connection) -> list[PaperFile]:
    return [PaperFile(r["id"], r["title"], r["pdf_path"], r["pdf_sha256"]) for r in conn.execute(
        "SELECT id, title, pdf_path, pdf_sha256 FROM paper WHERE pdf_path IS NOT NULL AND pdf_path != ''"
        " ORDER BY added_at, id")]


def relink(conn: sqlite3.Connection, paper_id: str, pdf_path: str) -> None:
    conn.execute("UPDATE paper SET pdf_path = ? WHERE id = ?", (pdf_path, paper_id))


# --------------------------------------------------------------------------------------------- cards and logs


@dataclass(frozen=True)
class LoggedAnswer:
    """One review-log row: the answer, and the card's state before and after it as stored."""

    id: int
    rating: int
    reviewed_at: object  # datetime (aware UTC)
    before: CardState
    after: CardState  # step unknown (the log keeps no step_after): None


@dataclass(frozen=True)
class CardHistory:
    card_id: int
    uuid: str
    memory: CardState
    reps: int
    lapses: int
    answers: list[LoggedAnswer]


def card_histories(conn: sqlite3.Connection) -> Iterator[CardHistory]:
    """Every card that has been answered, with its review log in the order the answers were written."""
    logs: dict[int, list[LoggedAnswer]] = {}
    for r in conn.execute("SELECT * FROM review_log ORDER BY card_id, id"):
        logs.setdefault(r["card_id"], []).append(LoggedAnswer(
            r["id"], r["rating"], parse_utc(r["reviewed_at"]),
            state_before(r),
            CardState(r["state_after"], None, r["stability_after"], r["difficulty_after"], parse_utc(r["due_after"]),
                      parse_utc(r["reviewed_at"]))))
    if not logs:
        return
    for r in conn.execute("SELECT id, uuid, state, step, stability, difficulty, due, last_review, reps, lapses"
                          " FROM card WHERE reps > 0 OR id IN (SELECT card_id FROM review_log) ORDER BY id"):
        yield CardHistory(r["id"], r["uuid"], card_memory(r), r["reps"], r["lapses"], logs.get(r["id"], []))


def rewrite_history(conn: sqlite3.Connection, card_id: int, memory: CardState, reps: int, lapses: int,
                    answers: list[tuple[int, CardState, CardState]]) -> None:
    """The card's state, and each (log id, before, after) of its log, as a replay of its answers gave them."""
    conn.execute("UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?,"
                 " reps = ?, lapses = ? WHERE id = ?",
                 (memory.state, memory.step, memory.stability, memory.difficulty, stored_time(memory.due),
                  _time(memory.last_review), reps, lapses, card_id))
    for log_id, before, after in answers:
        reviewed_at = after.last_review
        assert reviewed_at is not None  # an answer's after-state was reviewed then
        conn.execute(
            "UPDATE review_log SET state_before = ?, step_before = ?, stability_before = ?, difficulty_before = ?,"
            " due_before = ?, last_review_before = ?, state_after = ?, stability_after = ?, difficulty_after = ?,"
            " due_after = ?, interval_days = ? WHERE id = ?",
            (before.state, before.step, before.stability, before.difficulty, stored_time(before.due),
             _time(before.last_review), after.state, after.stability, after.difficulty, stored_time(after.due),
             (after.due - reviewed_at).total_seconds() / 86400, log_id))


def _time(moment) -> str | None:
    return stored_time(moment) if moment is not None else None


# --------------------------------------------------------------------------------------------- restore


def check_restorable(file: Path) -> tuple[str, dict[str, int]]:
    """The schema revision and row counts of a readroom database file that passes integrity_check; BadInput in
    one line for anything else (not SQLite, damaged, another program's database, a newer readroom's)."""
    try:
        with inspect(file) as conn:
            problems = integrity(conn, limit=1)
            if problems:
                raise BadInput(f"{file} is damaged ({problems[0]}); not restoring it. Try an older backup.")
            rev, tables = revision(conn), table_names(conn)
            if rev is None or "paper" not in tables:
                raise BadInput(f"{file} is a SQLite database, but not a readroom library; not restoring it.")
            if rev not in known_revisions():
                raise BadInput(f"{file} has schema '{rev}', which this readroom does not know (a newer release "
                               "wrote it?); not restoring it.")
            return rev, counts(conn)
    except StorageError as exc:
        reason = exc.__cause__ or exc
        raise BadInput(f"{file} is not a readroom database, or is damaged ({reason}); not restoring it.") from None

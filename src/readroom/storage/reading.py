"""Reading-state queries: pass and decision, checklist ticks, notes, time per pass and per study day, to-read.

All on the stdlib driver: the reader opens with one read and writes on every keystroke that matters, and neither
may wait for SQLAlchemy's import. Each write is one BEGIN IMMEDIATE transaction (`fast.write_db`), so a
read-modify-write (time adds up, a decision moves the pass on) never builds on a row another process changes.
A write returns False (or None) when there is no such paper, and then writes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from readroom.storage.fast import read_db, write_db
from readroom.storage.sql import IN_JSON, json_list, stored_time
from readroom.storage.types_light import parse_utc


@dataclass(frozen=True)
class Position:
    """Where a reader is with one paper: the pass they are on and their decision about it."""

    pass_no: int = 1
    decision: str = "reading"
    reason: str | None = None


@dataclass(frozen=True)
class Decided:
    """One decision at the end of a pass: next, park, drop, done or resume, at pass `pass_no`."""

    pass_no: int
    decision: str
    reason: str | None
    at: datetime


@dataclass
class ReadingRows:
    """The stored reading state of some papers, table by table."""

    positions: list[tuple[str, Position]] = field(default_factory=list)  # paper id, position
    ticks: list[tuple[str, int, str]] = field(default_factory=list)  # paper id, pass, item id
    notes: list[tuple[str, int, str, str]] = field(default_factory=list)  # paper id, pass, slot, text
    seconds: list[tuple[str, int, float]] = field(default_factory=list)  # paper id, pass, seconds
    decisions: list[tuple[str, Decided]] = field(default_factory=list)  # paper id, decision, oldest first


def load(paper_ids: list[str] | None = None) -> ReadingRows:
    """The rows of these papers (of every paper when None), in five queries."""
    rows = ReadingRows()
    if paper_ids is not None and not paper_ids:
        return rows
    with read_db() as conn:
        if conn is None:
            return rows
        where, args = ("", [])
        if paper_ids is not None:
            where, args = f" WHERE paper_id {IN_JSON}", [json_list(paper_ids)]
        rows.positions = [(r[0], Position(r[1], r[2], r[3])) for r in conn.execute(
            f"SELECT paper_id, pass_no, decision, reason FROM reading{where}", args)]
        rows.ticks = [tuple(r) for r in conn.execute(
            f"SELECT paper_id, pass_no, item_id FROM checklist_tick{where}", args)]
        rows.notes = [tuple(r) for r in conn.execute(
            f"SELECT paper_id, pass_no, slot, text FROM reading_note{where}", args)]
        rows.seconds = [tuple(r) for r in conn.execute(
            f"SELECT paper_id, pass_no, seconds FROM pass_time{where}", args)]
        rows.decisions = [(r[0], Decided(r[1], r[2], r[3], parse_utc(r[4]))) for r in conn.execute(
            f"SELECT paper_id, pass_no, decision, reason, decided_at FROM reading_decision{where} ORDER BY id", args)]
    return rows


def _ensure(conn: sqlite3.Connection, paper_id: str, at: str) -> bool:
    """Give the paper its reading row (pass 1, reading) if it has none; False when there is no such paper."""
    if conn.execute("SELECT 1 FROM reading WHERE paper_id = ?", (paper_id,)).fetchone():
        return True
    if not conn.execute("SELECT 1 FROM paper WHERE id = ?", (paper_id,)).fetchone():
        return False
    conn.execute("INSERT INTO reading (paper_id, pass_no, decision, reason, updated_at)"
                 " VALUES (?, 1, 'reading', NULL, ?)", (paper_id, at))
    return True


def tick(paper_id: str, pass_no: int, item_id: str, checked: bool, now: datetime) -> bool:
    at = stored_time(now)
    with write_db() as conn:
        if not _ensure(conn, paper_id, at):
            return False
        conn.execute("UPDATE reading SET updated_at = ? WHERE paper_id = ?", (at, paper_id))
        if checked:
            conn.execute("INSERT INTO checklist_tick (paper_id, pass_no, item_id, checked_at) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT DO NOTHING", (paper_id, pass_no, item_id, at))
        else:
            conn.execute("DELETE FROM checklist_tick WHERE paper_id = ? AND pass_no = ? AND item_id = ?",
                         (paper_id, pass_no, item_id))
    return True


def save_note(paper_id: str, pass_no: int, slot: str, text: str, now: datetime) -> bool:
    at = stored_time(now)
    with write_db() as conn:
        if not _ensure(conn, paper_id, at):
            return False
        conn.execute("INSERT INTO reading_note (paper_id, pass_no, slot, text, updated_at) VALUES (?, ?, ?, ?, ?)"
                     " ON CONFLICT (paper_id, pass_no, slot) DO UPDATE"
                     " SET text = excluded.text, updated_at = excluded.updated_at",
                     (paper_id, pass_no, slot, text, at))
    return True


def add_time(paper_id: str, pass_no: int, day: str, seconds: float, now: datetime) -> float | None:
    """Add `seconds` to the pass's time and to study day `day` (ISO date); the pass's new total."""
    with write_db() as conn:
        if not _ensure(conn, paper_id, stored_time(now)):
            return None
        conn.execute("INSERT INTO pass_time (paper_id, pass_no, seconds) VALUES (?, ?, ?)"
                     " ON CONFLICT (paper_id, pass_no) DO UPDATE SET seconds = seconds + excluded.seconds",
                     (paper_id, pass_no, float(seconds)))
        conn.execute("INSERT INTO reading_day (paper_id, day, seconds) VALUES (?, ?, ?)"
                     " ON CONFLICT (paper_id, day) DO UPDATE SET seconds = seconds + excluded.seconds",
                     (paper_id, day, float(seconds)))
        return conn.execute("SELECT seconds FROM pass_time WHERE paper_id = ? AND pass_no = ?",
                            (paper_id, pass_no)).fetchone()[0]


def move(paper_id: str, change: Callable[[Position], Position], now: datetime, decision: str | None = None) -> bool:
    """Replace the paper's position by `change(position)`, reading and writing in one transaction; a `decision`
    is kept in the paper's history, at the pass it was made and with the reason the move gave."""
    at = stored_time(now)
    with write_db() as conn:
        if not _ensure(conn, paper_id, at):
            return False
        row = conn.execute("SELECT pass_no, decision, reason FROM reading WHERE paper_id = ?", (paper_id,)).fetchone()
        new = change(Position(row[0], row[1], row[2]))
        conn.execute("UPDATE reading SET pass_no = ?, decision = ?, reason = ?, updated_at = ? WHERE paper_id = ?",
                     (new.pass_no, new.decision, new.reason, at, paper_id))
        if decision:
            conn.execute("INSERT INTO reading_decision (paper_id, pass_no, decision, reason, decided_at)"
                         " VALUES (?, ?, ?, ?, ?)", (paper_id, row[0], decision, new.reason, at))
    return True


def queue(from_paper_id: str, raw: str, arxiv_id: str | None, doi: str | None, paper_id: str | None,
          now: datetime) -> None:
    """Keep a reference of `from_paper_id` in the to-read list (linked to `paper_id` when it is in the library)."""
    with write_db() as conn:
        conn.execute("INSERT INTO to_read (from_paper_id, raw, arxiv_id, doi, paper_id, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (from_paper_id, raw, arxiv_id, doi, paper_id, stored_time(now)))

"""A sync reads the answer histories of every card it replays in one go: past SQLite's limit of 32,766 bound
variables too (a library of 40,000 cards, each answered once). Debian's SQLite allows 250,000; the test holds
readroom's reading connection to the 32,766 of SQLite's own default build (python.org, Homebrew) and of Anki's."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from readroom import paths
from readroom.cards import service
from readroom.cards.scheduler import GOOD
from readroom.storage import fast
from readroom.storage.sync import histories

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
CARDS = 40_000


def test_histories_of_more_cards_than_sqlite_has_variables(monkeypatch):
    card_id = service.add_note("qa", "question 0", "answer", now=NOW - timedelta(days=2))[0].id
    service.answer(card_id, GOOD, NOW - timedelta(days=1))
    with sqlite3.connect(paths.database_path()) as conn:
        # Copies of the first note, its card and its answer, in SQL (a service call each would take minutes).
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO note (uuid, kind, front, back, tags, created_at, updated_at, areas)"
            " SELECT lower(hex(randomblob(16))), kind, 'question ' || i, back, tags, created_at, updated_at, areas"
            " FROM note, n WHERE note.id = 1", (CARDS - 1,))
        conn.execute(
            "INSERT INTO card (uuid, note_id, ord, state, step, stability, difficulty, due, last_review, reps,"
            " lapses, suspended, leech, created_at)"
            " SELECT lower(hex(randomblob(16))), note.id, c.ord, c.state, c.step, c.stability, c.difficulty, c.due,"
            " c.last_review, c.reps, c.lapses, 0, 0, c.created_at FROM note, card c WHERE note.id > 1 AND c.id = ?",
            (card_id,))
        columns = [r[1] for r in conn.execute("PRAGMA table_info(review_log)") if r[1] not in ("id", "uuid", "card_id")]
        copied = ", ".join("r." + c for c in columns)
        conn.execute(f"INSERT INTO review_log (uuid, card_id, {', '.join(columns)})"
                     f" SELECT lower(hex(randomblob(16))), card.id, {copied} FROM card, review_log r"
                     " WHERE card.id != ? AND r.card_id = ?", (card_id, card_id))
        ids = {r[0] for r in conn.execute("SELECT id FROM card")}
    assert len(ids) == CARDS
    opened = fast._open_readonly

    def default_build(db, flags):
        conn = opened(db, flags)
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
        return conn

    monkeypatch.setattr(fast, "_open_readonly", default_build)

    found = histories(ids)

    assert set(found) == ids
    uuids = {entry[0] for entry in found.values()}
    assert len(uuids) == CARDS
    for _uuid, reps, _lapses, _state, answers in found.values():
        assert reps == 1
        assert [rating for _at, rating, _before in answers] == [GOOD]

"""A review shown as answered survives a kill: each answer and its log row commit together."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest

from readroom import paths
from readroom.cards import service

ANSWER_LOOP = textwrap.dedent("""
    import contextlib, random, sys
    from datetime import datetime, timedelta, timezone
    from readroom.cards import service
    from readroom.config import ReviewConfig

    settings = ReviewConfig(timezone="UTC", fuzz=False)
    ids = [int(x) for x in sys.argv[2:]]
    rng = random.Random(7)
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    with service.review_session(settings) if sys.argv[1] == "session" else contextlib.nullcontext():
        while True:
            for card_id in ids:
                now += timedelta(seconds=30)
                service.answer(card_id, rng.randint(1, 4), now, elapsed_ms=5000, settings=settings)
                print(card_id, flush=True)  # only after the commit returned
""")


@pytest.mark.parametrize("where", ["session", "alone"])
def test_answers_printed_as_committed_survive_sigkill(where):
    """Answered in a review session (one write connection kept for all its answers) or each on its own."""
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    ids = [service.add_note("qa", f"q{i}", f"a{i}", now=now)[0].id for i in range(5)]
    proc = subprocess.Popen([sys.executable, "-c", ANSWER_LOOP, where, *map(str, ids)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ})
    committed: list[int] = []
    for line in proc.stdout:
        committed.append(int(line))
        if len(committed) >= 60:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for line in proc.stdout:  # answers committed between our last read and the kill
        committed.append(int(line))

    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        logged = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
        assert len(committed) <= logged <= len(committed) + 1  # at most the one answer in flight, and whole
        for card_id in ids:
            reps, state, due, last = conn.execute(
                "SELECT reps, state, due, last_review FROM card WHERE id = ?", (card_id,)).fetchone()
            rows = conn.execute("SELECT state_after, due_after, reviewed_at FROM review_log WHERE card_id = ?"
                                " ORDER BY id", (card_id,)).fetchall()
            assert reps == len(rows) >= committed.count(card_id)
            assert (state, due, last) == rows[-1]  # the card's state is its last log row's: no half state

"""Two processes answering the same cards at once: no answer is lost, each builds on the one before it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone

from readroom import paths
from readroom.cards import scheduler, service
from readroom.config import ReviewConfig
from readroom.records.cards import CardState
from readroom.storage.types_light import parse_utc

SETTINGS = ReviewConfig(timezone="UTC", fuzz=False)

# Both processes wait for the start file, then answer every card in turn, undoing now and then; each prints one
# line per committed answer (+card) or undo (-card).
ANSWERER = textwrap.dedent("""
    import os, random, sys, time
    from datetime import datetime, timedelta, timezone
    from readroom.cards import service
    from readroom.config import ReviewConfig

    settings = ReviewConfig(timezone="UTC", fuzz=False)
    start, seed, ids = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3:]]
    rng = random.Random(seed)
    while not os.path.exists(start):
        time.sleep(0.001)
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    for round in range(12):
        for card_id in ids:
            now += timedelta(minutes=1)
            service.answer(card_id, rng.randint(1, 4), now, elapsed_ms=1000, settings=settings)
            print(f"+{card_id}", flush=True)
            if rng.random() < 0.15 and service.undo(card_id) is not None:
                print(f"-{card_id}", flush=True)
""")


def _replay(conn: sqlite3.Connection, card_id: int) -> None:
    """The card's state is what its review log gives when replayed from new, row after row."""
    uuid, created, reps, state, step, stability, difficulty, due, last = conn.execute(
        "SELECT uuid, created_at, reps, state, step, stability, difficulty, due, last_review FROM card WHERE id = ?",
        (card_id,)).fetchone()
    memory = scheduler.new_card(parse_utc(created))
    log = conn.execute("SELECT rating, reviewed_at, state_before, due_before, state_after, due_after FROM review_log"
                       " WHERE card_id = ? ORDER BY id", (card_id,)).fetchall()
    for n, (rating, at, state_before, due_before, state_after, due_after) in enumerate(log):
        # Each logged answer started from the state the answer before it left: none was built on a stale read.
        assert (state_before, parse_utc(due_before)) == (memory.state, memory.due), f"card {card_id}, answer {n}"
        memory = scheduler.answer(memory, rating, parse_utc(at), SETTINGS, f"{uuid}:{n}")
        assert (state_after, parse_utc(due_after)) == (memory.state, memory.due)
    assert reps == len(log)
    stored = CardState(state, step, stability, difficulty, parse_utc(due), parse_utc(last))
    assert stored == memory


def test_two_processes_answering_the_same_cards_lose_nothing(tmp_path):
    now = datetime(2026, 3, 2, 8, tzinfo=timezone.utc)
    ids = [service.add_note("qa", f"q{i}", f"a{i}", now=now)[0].id for i in range(4)]
    start = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", ANSWERER, str(start), str(seed), *map(str, ids)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ})
             for seed in (1, 2)]
    time.sleep(0.5)  # both started and waiting: they begin together
    start.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    lines = [line for out, _ in outputs for line in out.split()]
    with sqlite3.connect(paths.database_path()) as conn:
        for card_id in ids:
            kept = lines.count(f"+{card_id}") - lines.count(f"-{card_id}")
            assert conn.execute("SELECT count(*) FROM review_log WHERE card_id = ?", (card_id,)).fetchone() == (kept,)
            _replay(conn, card_id)

"""The review session's fast path: the queue kept in memory, the answer without a re-read, the first answer not
waiting for today's backup or SQLAlchemy. Each is checked against the slow, obviously right way."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from readroom.cards import service
from readroom.cards.scheduler import AGAIN, EASY, GOOD, HARD
from readroom.config import ReviewConfig

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SETTINGS = ReviewConfig(timezone="UTC", new_per_day=6, reviews_per_day=8, leech_threshold=3)
RATINGS = st.sampled_from([AGAIN, HARD, GOOD, EASY])


def lists(queue: service.ReviewQueue) -> tuple:
    return set(queue.learning), set(queue.reviews), set(queue.new), set(queue.learning_ahead)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.sampled_from(["answer", "answer", "answer", "undo"]), RATINGS,
                                st.integers(0, 3 * 3600)), min_size=1, max_size=30))
# new cards answered while the review limit caps them: a rebuild once let one more new card in than the kept queue
@example(moves=[("answer", 3, 5365), ("answer", 1, 255), ("answer", 3, 5365), ("answer", 1, 707), ("undo", 4, 350),
                ("answer", 4, 7981), ("answer", 2, 2215)])
def test_a_kept_queue_holds_what_a_rebuild_holds(moves):
    ids = [c.id for i in range(5) for c in service.add_note("cloze", f"{{{{c1::a{i}}}}} {{{{c2::b{i}}}}}", now=T0)]
    ids += [service.add_note("qa", f"q{i}", "a", now=T0)[0].id for i in range(6)]
    for card_id in ids[-3:]:  # some reviews, due today
        service.answer(card_id, EASY, T0 - timedelta(days=30), settings=SETTINGS)
    now = T0
    with service.review_session(SETTINGS):
        kept = service.today_queue(now, SETTINGS)
        answered: list[int] = []
        for move, rating, wait in moves:
            now += timedelta(seconds=wait)
            if move == "undo" and answered:
                card = service.undo(answered.pop())
            elif move == "answer" and kept.next_card() is not None:
                card = service.answer(kept.next_card(), rating, now, 5000, SETTINGS)
                answered.append(card.id)
            else:
                continue
            kept = service.queue_after(kept, card.id, now, SETTINGS, card)
            assert lists(kept) == lists(service.today_queue(now, SETTINGS))
            assert kept.learning == service.today_queue(now, SETTINGS).learning  # soonest first


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(st.tuples(RATINGS, st.integers(0, 60 * 86400)), min_size=1, max_size=15))
def test_the_answer_returns_what_is_stored_and_what_py_fsrs_schedules(history):
    settings = ReviewConfig(timezone="UTC", fuzz=False, leech_threshold=100)
    (card,) = service.add_note("qa", "q", "a", now=T0)
    mirror, reference = fsrs.Card(card_id=1, due=T0), fsrs.Scheduler(enable_fuzzing=False)
    now = T0
    for rating, wait in history:
        now += timedelta(seconds=wait)
        got = service.answer(card.id, rating, now, 1000, settings)
        assert got == service.get_card(card.id)  # built without reading it back, yet the same as stored
        mirror, _ = reference.review_card(mirror, fsrs.Rating(rating), review_datetime=now)
        memory = got.memory
        assert (memory.state, memory.step, memory.due, memory.last_review) == (
            int(mirror.state), mirror.step, mirror.due, mirror.last_review)
        assert memory.stability == pytest.approx(mirror.stability, rel=1e-12)
        assert memory.difficulty == pytest.approx(mirror.difficulty, rel=1e-12)


def test_a_leech_answer_returns_the_card_as_stored():
    (card,) = service.add_note("qa", "q", "a", now=T0, tags=["x"])
    now = T0
    settings = ReviewConfig(timezone="UTC", leech_threshold=1)
    service.answer(card.id, EASY, now, settings=settings)
    got = service.answer(card.id, AGAIN, now + timedelta(days=30), settings=settings)
    assert got.leech and got.suspended and got.tags == ["x", "leech"]
    assert got == service.get_card(card.id)


# Opens a review session, answers at once (as a user quick on the keys would), and says what it saw.
FIRST_ANSWER = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timezone
    from readroom.cards import service
    from readroom.config import ReviewConfig
    from readroom.storage import backups, fast

    settings = ReviewConfig(timezone="UTC")
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    with service.review_session(settings):
        card = service.get_card(service.today_queue(now, settings).next_card())
        service.intervals_of(card, now, settings)
        start = time.perf_counter()
        service.answer(card.id, 3, now, 1000, settings)
        took = time.perf_counter() - start
        print("sqlalchemy" in sys.modules, took)
    fast._early_backup[0].join()
    print(len(backups.listed()))
    print(backups.newest())
""")


def test_the_first_answer_of_a_session_imports_no_sqlalchemy_and_the_backup_beside_it_is_of_before_it():
    from readroom.storage import backups

    ids = [service.add_note("qa", f"q{i}", "a", now=T0)[0].id for i in range(3)]
    for backup in backups.listed():
        backup.unlink()  # the notes' writes made today's: the session's first answer is to make the next
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", FIRST_ANSWER], capture_output=True, text=True, env=env,
                         check=True).stdout.splitlines()
    assert out[0].split()[0] == "False"  # no SQLAlchemy on the way to the first answer
    assert out[1] == "1"  # today's backup, made in the background while the session ran
    with sqlite3.connect(out[2]) as copy:  # of the library as it was before the first answer
        assert copy.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0
        assert copy.execute("SELECT count(*) FROM card").fetchone()[0] == len(ids)


def test_a_review_session_writes_through_one_connection_yet_leaves_the_library_free_between_answers():
    """Its answers are committed when they return, and another program can write between them (the CLI adding a
    card while the review screen is open) without waiting; a refused answer does not spoil the next."""
    from readroom import paths
    from readroom.errors import NotFound

    ids = [service.add_note("qa", f"q{i}", "a", now=T0)[0].id for i in range(2)]
    with service.review_session(SETTINGS):
        service.answer(ids[0], GOOD, T0, 1000, SETTINGS)
        other = sqlite3.connect(paths.database_path(), timeout=0)  # no waiting: the lock must be free
        try:
            assert other.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
            other.execute("UPDATE note SET back = 'changed elsewhere'")
            other.commit()
        finally:
            other.close()
        with pytest.raises(NotFound):
            service.answer(10_000, GOOD, T0, 1000, SETTINGS)
        assert service.answer(ids[1], GOOD, T0, 1000, SETTINGS).back == "changed elsewhere"
        assert service.get_card(ids[0]).back == "changed elsewhere"


def test_a_review_sessions_answers_reach_the_database_file_from_a_checkpoint_beside_it(tmp_path):
    """Its write connection leaves copying the WAL back into the database to a background checkpoint (an answer
    never waits for one), which keeps up: the file itself, read without its WAL, holds the answers."""
    import shutil

    from readroom import paths
    from readroom.storage import fast

    (card,) = service.add_note("qa", "q", "a", now=T0)
    now = T0
    with service.review_session(SETTINGS):  # Again on a new card, again and again: it stays in learning
        for _ in range(2 * fast.CHECKPOINT_EVERY):
            now += timedelta(minutes=1)
            service.answer(card.id, AGAIN, now, 1000, SETTINGS)
        fast._held.checkpointer.join()
        shutil.copy(paths.database_path(), tmp_path / "alone.db")  # the file without its -wal beside it
        alone = sqlite3.connect(tmp_path / "alone.db")
        try:
            assert alone.execute("SELECT count(*) FROM review_log").fetchone()[0] >= fast.CHECKPOINT_EVERY
        finally:
            alone.close()


def test_a_library_restored_under_a_review_session_gets_its_next_answers():
    """`readroom restore` in another window replaces the library's file: the session's next answer goes into the
    restored library, not into the file it replaced."""
    from readroom import paths
    from readroom.storage import backups

    ids = [service.add_note("qa", f"q{i}", "a", now=T0)[0].id for i in range(2)]
    db = paths.database_path()
    copy = backups.make(db, "before")
    with service.review_session(SETTINGS):
        service.answer(ids[0], GOOD, T0, 1000, SETTINGS)
        backups.restore(copy, db)
        service.answer(ids[1], GOOD, T0, 1000, SETTINGS)
        assert service.get_card(ids[0]).reps == 0  # the restored library's, from before the first answer
    library = sqlite3.connect(db)
    try:
        assert library.execute("SELECT card_id FROM review_log").fetchall() == [(ids[1],)]
    finally:
        library.close()

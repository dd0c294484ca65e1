"""Scheduling through the service, checked against py-fsrs itself; the 4 a.m. day; limits; undo; bury; leeches."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from readroom.cards import scheduler, service
from readroom.cards.scheduler import AGAIN, EASY, GOOD, HARD, LEARNING, NEW, RELEARNING, REVIEW
from readroom.config import ReviewConfig

UTC = timezone.utc
NO_FUZZ = ReviewConfig(fuzz=False, timezone="UTC")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def qa_cards(n: int, now: datetime = T0, tags=()) -> list[int]:
    return [service.add_note("qa", f"question {i}", f"answer {i}", now=now, tags=tags)[0].id for i in range(n)]


def to_review(card_id: int, now: datetime, settings=NO_FUZZ) -> datetime:
    """Answer Easy (new -> review); returns when the card is next due."""
    return service.answer(card_id, EASY, now, settings=settings).due


# --------------------------------------------------------------------------------------------- against py-fsrs


def test_ninety_days_of_reviews_match_py_fsrs():
    rng = random.Random(20260302)
    settings = ReviewConfig(fuzz=False, timezone="UTC", new_per_day=5)
    ids = qa_cards(40)
    reference = fsrs.Scheduler(enable_fuzzing=False)  # py-fsrs with its own defaults = Anki's defaults
    mirror = {cid: fsrs.Card(card_id=cid, due=T0) for cid in ids}
    answered = 0
    for day in range(90):
        now = T0 + timedelta(days=day)
        for _ in range(500):  # one study session; learning steps bring cards back within it
            queue = service.today_queue(now, settings)
            order = queue.cards()
            if not order:
                break
            cid = order[0]
            now = max(now, service.get_card(cid).due)  # learn-ahead cards: wait for them
            rating = rng.choices([AGAIN, HARD, GOOD, EASY], weights=[15, 10, 65, 10])[0]
            got = service.answer(cid, rating, now, elapsed_ms=rng.randint(1000, 90000), settings=settings).memory
            mirror[cid], _ = reference.review_card(mirror[cid], fsrs.Rating(rating), review_datetime=now)
            want = mirror[cid]
            assert (got.state, got.step, got.due, got.last_review) == (int(want.state), want.step, want.due,
                                                                       want.last_review)
            assert got.stability == pytest.approx(want.stability, rel=1e-12)
            assert got.difficulty == pytest.approx(want.difficulty, rel=1e-12)
            answered += 1
            now += timedelta(seconds=rng.randint(5, 40))
    states = {service.get_card(cid).state for cid in ids}
    assert answered > 250 and REVIEW in states
    assert max(service.get_card(cid).due for cid in ids) > T0 + timedelta(days=100)


def test_times_come_back_utc_aware():
    (cid,) = qa_cards(1)
    card = service.answer(cid, GOOD, datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=ZoneInfo("Europe/Berlin")))
    again = service.get_card(cid).memory
    assert again.due == card.due and again.due.utcoffset() == timedelta(0)
    assert again.last_review == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # stored in UTC, to the second


def test_next_intervals_are_what_the_answer_gives_even_with_fuzz():
    fuzzed = ReviewConfig(timezone="UTC")
    (cid,) = qa_cards(1)
    due = service.answer(cid, GOOD, T0, settings=fuzzed).due
    due = service.answer(cid, GOOD, due, settings=fuzzed).due  # now a review card
    for _ in range(3):
        shown = service.next_intervals(cid, due, settings=fuzzed)
        assert shown[AGAIN] == timedelta(minutes=10) and shown[HARD] <= shown[GOOD] <= shown[EASY]
        card = service.answer(cid, GOOD, due, settings=fuzzed)
        assert card.due - due == shown[GOOD]
        due = card.due
    assert scheduler.format_interval(timedelta(minutes=10)) == "10m"
    assert scheduler.format_interval(timedelta(days=45)) == "1.5mo"


def test_fuzz_is_py_fsrs_drawing_from_a_generator_seeded_with_the_cards_seed_and_leaves_the_processs_alone(
        monkeypatch):
    """The fuzz of stored answers must not change (a replay rebuilds cards from their seeds): it is what py-fsrs
    gives drawing from the `random` module seeded with the seed; and an answer draws nothing from, and does not
    reset, the generator the rest of the process uses."""
    import fsrs.scheduler

    fuzzed = ReviewConfig(timezone="UTC")
    before = scheduler.CardState(REVIEW, None, 40.0, 5.0, T0, T0 - timedelta(days=40))
    reference = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=40.0, difficulty=5.0, due=T0,
                          last_review=T0 - timedelta(days=40))
    dues = set()
    for n in range(12):
        got = scheduler.answer(before, GOOD, T0, fuzzed, f"card:{n}").due
        with monkeypatch.context() as patched:
            patched.setattr(fsrs.scheduler, "random", random.random)  # py-fsrs as it ships
            random.seed(f"card:{n}")
            expected, _ = fsrs.Scheduler().review_card(reference, fsrs.Rating.Good, review_datetime=T0)
        assert got == expected.due
        dues.add(got)
        random.seed(n)
        first = random.random()
        random.seed(n)
        scheduler.next_intervals(before, T0, fuzzed, f"card:{n}")
        assert random.random() == first
    assert len(dues) > 3  # the fuzz is drawn: the seeds give different days


def test_elapsed_time_is_capped_at_sixty_seconds():
    import sqlite3

    from readroom import paths

    (cid,) = qa_cards(1)
    service.answer(cid, GOOD, T0, elapsed_ms=125_000, settings=NO_FUZZ)
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT elapsed_ms, state_before, state_after FROM review_log").fetchall() == [
            (60_000, NEW, LEARNING)]


# --------------------------------------------------------------------------------------------- the study day


def test_the_day_rolls_over_at_four_local_time_across_dst():
    berlin = ZoneInfo("Europe/Berlin")
    # Clocks go from 02:00 to 03:00 on 2026-03-29, so the study day of the 28th (4 a.m. to 4 a.m.) lasts
    # 23 hours; they go back on 2026-10-25, so the 24th's lasts 25.
    day, start, end = scheduler.study_day(datetime(2026, 3, 28, 12, tzinfo=berlin), berlin, 4)
    assert str(day) == "2026-03-28" and end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 3, tzinfo=UTC) and end == datetime(2026, 3, 29, 2, tzinfo=UTC)
    day, start, end = scheduler.study_day(datetime(2026, 10, 24, 12, tzinfo=berlin), berlin, 4)
    assert end - start == timedelta(hours=25)
    # 03:59 local still belongs to the day before; 04:00 starts the next.
    assert str(scheduler.study_day(datetime(2026, 3, 30, 3, 59, tzinfo=berlin), berlin, 4)[0]) == "2026-03-29"
    assert str(scheduler.study_day(datetime(2026, 3, 30, 4, 0, tzinfo=berlin), berlin, 4)[0]) == "2026-03-30"
    new_york = ZoneInfo("America/New_York")  # DST began 2026-03-08
    _day, start, end = scheduler.study_day(datetime(2026, 3, 7, 10, tzinfo=new_york), new_york, 4)
    assert (start, end) == (datetime(2026, 3, 7, 9, tzinfo=UTC), datetime(2026, 3, 8, 8, tzinfo=UTC))


def test_new_limit_resets_at_four_local_across_the_dst_night():
    berlin = ZoneInfo("Europe/Berlin")
    settings = ReviewConfig(fuzz=False, timezone="Europe/Berlin", new_per_day=2)
    created = datetime(2026, 3, 28, 20, tzinfo=berlin)
    qa_cards(5, now=created)
    late = datetime(2026, 3, 29, 3, 30, tzinfo=berlin)  # after the clock change, still the 28th's study day
    for cid in service.today_queue(late, settings).new:
        service.answer(cid, EASY, late, settings=settings)
    assert service.today_queue(late, settings).new == []
    assert service.today_queue(datetime(2026, 3, 29, 3, 59, tzinfo=berlin), settings).new == []
    assert len(service.today_queue(datetime(2026, 3, 29, 4, 0, tzinfo=berlin), settings).new) == 2


def test_daily_limits_count_what_was_done_today():
    settings = ReviewConfig(fuzz=False, timezone="UTC", new_per_day=20, reviews_per_day=3)
    ids = qa_cards(30)
    queue = service.today_queue(T0, settings)
    assert len(queue.new) == 3  # the review limit caps new cards too (Anki's v3 scheduler)
    settings = ReviewConfig(fuzz=False, timezone="UTC", new_per_day=20, reviews_per_day=200)
    queue = service.today_queue(T0, settings)
    assert queue.new == ids[:20]  # oldest first
    for cid in ids[:5]:
        to_review(cid, T0, settings)
    assert len(service.today_queue(T0, settings).new) == 15
    later = T0 + timedelta(days=30)  # all five reviews due; a new day, so 20 new again
    settings = ReviewConfig(fuzz=False, timezone="UTC", new_per_day=20, reviews_per_day=8)
    queue = service.today_queue(later, settings)
    assert sorted(queue.reviews) == sorted(ids[:5]) and len(queue.new) == 3
    service.answer(queue.reviews[0], GOOD, later, settings=settings)
    queue = service.today_queue(later, settings)
    assert len(queue.reviews) == 4 and len(queue.new) == 3


def test_queue_order_learning_then_reviews_then_new():
    ids = qa_cards(3)
    to_review(ids[0], T0)
    service.answer(ids[1], AGAIN, T0, settings=NO_FUZZ)  # learning, due in 1 minute
    later = T0 + timedelta(days=20)
    queue = service.today_queue(later, NO_FUZZ)
    assert queue.cards() == [ids[1], ids[0], ids[2]]
    assert service.due_counts(later, NO_FUZZ) == {"new": 1, "learning": 1, "review": 1}


def test_cloze_siblings_wait_for_the_next_day():
    cards = service.add_note("cloze", "{{c1::a}} {{c2::b}} {{c3::c}}", now=T0)
    first = service.today_queue(T0, NO_FUZZ).new
    assert first == [cards[0].id]  # one card per note per day
    service.answer(first[0], EASY, T0, settings=NO_FUZZ)
    assert service.today_queue(T0 + timedelta(hours=1), NO_FUZZ).cards() == []
    assert service.today_queue(T0 + timedelta(days=1), NO_FUZZ).new == [cards[1].id]


# --------------------------------------------------------------------------------------------- undo, bury, suspend


def test_undo_restores_the_exact_prior_state_many_steps_back():
    (cid,) = qa_cards(1)
    history = [service.get_card(cid)]
    now = T0
    for rating in [GOOD, GOOD, GOOD, AGAIN, HARD, GOOD, EASY]:
        now = max(now, history[-1].due)
        history.append(service.answer(cid, rating, now, settings=NO_FUZZ))
    assert history[-1].lapses == 1 and history[-1].reps == 7
    while len(history) > 1:
        history.pop()
        assert service.undo() == history[-1]
    assert service.undo() is None


def test_undo_of_one_card_leaves_an_answer_made_meanwhile_to_another():
    mine, other = qa_cards(2)
    before = service.get_card(mine)
    service.answer(mine, GOOD, T0, settings=NO_FUZZ)
    theirs = service.answer(other, EASY, T0 + timedelta(seconds=5), settings=NO_FUZZ)  # e.g. another window
    assert service.undo(mine) == before
    assert service.get_card(other) == theirs
    assert service.undo(mine) is None


def test_bury_until_the_next_day_and_suspend():
    ids = qa_cards(3)
    service.bury([ids[0]], T0, NO_FUZZ)
    service.set_suspended([ids[1]])
    assert service.today_queue(T0, NO_FUZZ).new == [ids[2]]
    assert [c.id for c in service.list_cards(state="buried", now=T0)] == [ids[0]]
    assert [c.id for c in service.list_cards(state="suspended")] == [ids[1]]
    next_day = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    assert service.today_queue(next_day, NO_FUZZ).new == [ids[0], ids[2]]
    service.set_suspended([ids[1]], suspended=False)
    assert len(service.today_queue(next_day, NO_FUZZ).new) == 3


def test_a_card_is_a_leech_after_eight_lapses():
    (cid,) = qa_cards(1, tags=["vision"])
    now = T0
    card = service.answer(cid, EASY, now, settings=NO_FUZZ)
    for lapse in range(1, 9):
        now = card.due
        card = service.answer(cid, AGAIN, now, settings=NO_FUZZ)
        assert card.lapses == lapse and card.state == RELEARNING
        if lapse < 8:
            assert not card.leech
            now = card.due
            card = service.answer(cid, GOOD, now, settings=NO_FUZZ)
            assert card.state == REVIEW
    assert card.leech and card.suspended and "leech" in card.tags
    assert [c.id for c in service.list_cards(state="leech")] == [cid]
    assert service.today_queue(now + timedelta(days=1), NO_FUZZ).cards() == []
    restored = service.undo()
    assert not restored.leech and not restored.suspended and restored.lapses == 7 and "leech" not in restored.tags


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ratings=st.lists(st.sampled_from([AGAIN, HARD, GOOD, EASY]), min_size=1, max_size=12),
       waits=st.lists(st.integers(0, 40 * 86400), min_size=12, max_size=12))
def test_any_answers_then_undo_all_returns_the_initial_card(ratings, waits):
    (cid,) = qa_cards(1)
    initial = service.get_card(cid)
    now = T0
    for rating, wait in zip(ratings, waits, strict=False):
        now += timedelta(seconds=wait)
        card = service.answer(cid, rating, now, settings=ReviewConfig(timezone="UTC", leech_threshold=2))
        if card.suspended:  # a leech; undo must lift that too
            break
    while service.undo() is not None:
        pass
    assert service.get_card(cid) == initial


def test_parameters_outside_fsrs_bounds_are_one_line_and_the_card_is_unchanged():
    # 21 numbers pass config.toml's check; fsrs's own bounds are checked when the scheduler is built
    from readroom import paths
    from readroom.errors import BadInput

    paths.config_path().write_text(f"[review]\nparameters = {[0.0] * 21}\n", encoding="utf-8")
    (cid,) = qa_cards(1)
    before = service.get_card(cid)
    with pytest.raises(BadInput, match=r"^\[review\] parameters are outside FSRS's bounds: parameters\[0\] = 0\.0 is "
                                       r"out of bounds: \(0\.001, 100\.0\) \(and \d+ more\); fix them"):
        service.answer(cid, GOOD, T0)
    assert service.get_card(cid) == before

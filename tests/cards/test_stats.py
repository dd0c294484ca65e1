"""Stats on a review log made by answering cards at known times: counts per day, true retention, states,
forecast, streak; and `readroom stats` printing them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from readroom import cli
from readroom.cards import service, stats
from readroom.cards.scheduler import AGAIN, EASY, GOOD, study_day
from readroom.config import ReviewConfig

UTC = timezone.utc
SETTINGS = ReviewConfig(fuzz=False, timezone="UTC")
NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)  # study day 2026-03-12 (the day starts at 04:00 UTC)


def at(days_ago: int, hour: int = 9, minute: int = 0) -> datetime:
    return (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=minute)


@pytest.fixture
def history() -> dict[str, int]:
    """Six cards; reviews on days -10, -5, -2, -1 and today."""
    ids = {name: service.add_note("qa", f"question {name}", "answer", now=at(11))[0].id for name in "abcdef"}
    answer = lambda name, rating, when: service.answer(ids[name], rating, when, 5000, SETTINGS)
    for name in "abc":
        answer(name, EASY, at(10))  # new -> review: not counted in true retention
    answer("a", GOOD, at(5))
    answer("b", AGAIN, at(5, minute=1))  # a lapse: the one failure of day -5
    answer("c", GOOD, at(5, minute=2))
    answer("b", GOOD, at(5, minute=12))  # relearning -> review: not a review-state answer
    answer("d", GOOD, at(2))  # new -> learning
    answer("d", GOOD, at(1))  # learning -> review
    answer("a", AGAIN, at(0, hour=10))  # today: one failure, one pass
    answer("c", GOOD, at(0, hour=10, minute=5))
    service.set_suspended([ids["e"]], True)
    service.bury([ids["f"]], at(0, hour=11), SETTINGS)
    return ids


def test_reviews_per_day_retention_and_states(history):
    report = stats.collect(NOW, SETTINGS)
    per_day = dict(report.reviews_per_day)
    assert len(report.reviews_per_day) == 30 and report.reviews_per_day[-1][0] == date(2026, 3, 12)
    assert {d: n for d, n in per_day.items() if n} == {
        date(2026, 3, 2): 3, date(2026, 3, 7): 4, date(2026, 3, 10): 1, date(2026, 3, 11): 1, date(2026, 3, 12): 2}
    assert (report.reviewed_today, report.seconds_today) == (2, 10.0)
    retention = {k: (r.passed, r.total) for k, r in report.retention.items()}
    assert retention == {"today": (1, 2), "week": (3, 5), "month": (3, 5)}
    assert report.retention["week"].rate == pytest.approx(0.6)
    assert report.cards_by_state == {"new": 0, "learning": 0, "review": 3, "relearning": 1, "suspended": 1,
                                     "buried": 1, "leech": 0}
    assert report.streak == 3  # today, yesterday, the day before; nothing on day -3


def test_forecast_puts_each_due_card_on_its_study_day(history):
    report = stats.collect(NOW, SETTINGS)
    expected: dict[date, int] = {}
    for card in service.list_cards():
        if card.state and not card.suspended:
            day = max(study_day(card.due, UTC, 4)[0], report.today)  # overdue cards count on today
            expected[day] = expected.get(day, 0) + 1
    got = {d: n for d, n in report.forecast if n}
    assert got == {d: n for d, n in expected.items() if d < report.today + timedelta(days=30)}
    assert report.forecast[0][1] >= 1  # the card relearning since today's lapse is due within minutes


def test_a_streak_stands_until_a_whole_day_is_missed(history):
    tomorrow_morning = NOW + timedelta(days=1) - timedelta(hours=5)  # next study day, nothing reviewed yet
    assert stats.collect(tomorrow_morning, SETTINGS).streak == 3
    assert stats.collect(NOW + timedelta(days=2), SETTINGS).streak == 0


def test_reading_counts_for_the_streak(real_papers):
    from readroom import library, reading

    assert cli.main(["add", str(real_papers[0])]) == 0
    paper_id = library.list_papers()[0].id
    reading.tick(paper_id, 1, "title")  # stamped with the real clock: today
    assert stats.collect(datetime.now(UTC)).streak == 1


def test_reading_time_alone_keeps_a_streak_going():
    from readroom import library, paths, reading

    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('[review]\ntimezone = "UTC"\n', encoding="utf-8")
    paper_id = library.ensure_demo().paper.id
    # Read on three days in a row (no review, no tick, no note): each a study day of reading.
    for days_ago in (2, 1, 0):
        reading.add_time(paper_id, 1, 300.0, now=at(days_ago))
    reading.add_time(paper_id, 1, 60.0, now=at(0, hour=3))  # before 4 a.m.: still the study day before
    assert stats.collect(NOW, SETTINGS).streak == 3
    assert reading.state(paper_id).seconds[1] == 960.0
    assert stats.collect(NOW + timedelta(days=2), SETTINGS).streak == 0


def test_an_empty_home_has_zeroes():
    report = stats.collect(NOW, SETTINGS)
    assert report.streak == 0 and sum(n for _, n in report.forecast) == 0
    assert all(r.rate is None for r in report.retention.values())
    assert "Streak: 0 days" in stats.chart_lines(report)[0]


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40), st.integers(10, 60))
def test_bars_are_proportional_and_fit(values, width):
    top = max(values)
    bars = [stats.bar(v, top, width) for v in values]
    assert all(len(b) <= width for b in bars)
    if top:
        assert len(bars[values.index(top)]) == width
    for v, b in zip(values, bars, strict=False):
        assert (b == "") == (v == 0)


def test_stats_command_prints_charts_and_json(history, capsys):
    assert cli.main(["stats", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "True retention" in out and "Cards by state" in out and "█" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert cli.main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cards_by_state"]["suspended"] == 1 and len(data["forecast"]) == 30
    assert set(data["retention"]) == {"today", "week", "month"}
    with pytest.raises(SystemExit) as refused:  # argparse refuses it, naming the range
        cli.main(["stats", "--days", "99"])
    assert refused.value.code == 2 and "argument --days: must be from 1 to 30, not 99" in capsys.readouterr().err


# Study days across DST changes: the report's per-day counts, forecast and streak against a plain Python
# reading of the same rows with scheduler.study_day (days of 23 and 25 hours, in two zones).

DST_CASES = [
    # New York springs forward on 2026-03-08 (4 a.m. EST = 09:00 UTC, 4 a.m. EDT = 08:00 UTC) and falls back
    # on 2026-11-01; Berlin springs forward on 2026-03-29 (4 a.m. CEST = 02:00 UTC).
    ("America/New_York", datetime(2026, 3, 20, 15, 0, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 11, 12, 15, 0, tzinfo=UTC)),
    ("Europe/Berlin", datetime(2026, 3, 20, 12, 0, tzinfo=UTC)),
]


def _write_log(moments: list[datetime], dues: list[datetime]) -> None:
    """Review-log rows at `moments` (review-state answers, every third one Again) and card dues, written as
    the service stores them; cards made through the service first."""
    import sqlite3
    import uuid

    from readroom import paths
    from readroom.storage import db

    db.engine()  # the database, migrated
    conn = sqlite3.connect(paths.database_path())
    with conn:  # each example starts from an empty collection
        for table in ("review_log", "card", "note"):
            conn.execute(f"DELETE FROM {table}")
    cards = [service.add_note("qa", f"q{i}", "a", now=NOW - timedelta(days=60))[0].id for i in range(len(dues))]
    iso = lambda m: m.astimezone(UTC).isoformat(timespec="seconds")
    with conn:
        for card, due in zip(cards, dues, strict=False):
            conn.execute("UPDATE card SET state = 2, due = ? WHERE id = ?", (iso(due), card))
        conn.executemany(
            "INSERT INTO review_log (uuid, card_id, rating, reviewed_at, elapsed_ms, state_before, state_after,"
            " interval_days, due_before, due_after, made_leech) VALUES (?, ?, ?, ?, 1000, 2, 2, 1.0, ?, ?, 0)",
            [(str(uuid.uuid4()), cards[0], AGAIN if i % 3 == 0 else GOOD, iso(m), iso(m), iso(m))
             for i, m in enumerate(moments)])
    conn.close()


@pytest.mark.parametrize("zone_name, now", DST_CASES)
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=-40 * 24 * 60, max_value=0), max_size=60),
       st.lists(st.integers(min_value=-5 * 24 * 60, max_value=35 * 24 * 60), min_size=1, max_size=12))
def test_days_across_dst_changes_are_study_days(zone_name, now, review_minutes, due_minutes):
    from zoneinfo import ZoneInfo

    settings = ReviewConfig(fuzz=False, timezone=zone_name)
    zone = ZoneInfo(zone_name)
    # Minutes around the changes (and the 4 a.m. boundaries near them) are the likeliest to be misplaced.
    moments = [now + timedelta(minutes=m) for m in review_minutes]
    dues = [now + timedelta(minutes=m) for m in due_minutes]
    _write_log(moments, dues)
    report = stats.collect(now, settings)
    today = study_day(now, zone)[0]
    per_day: dict[date, int] = {}
    for m in moments:
        per_day[study_day(m, zone)[0]] = per_day.get(study_day(m, zone)[0], 0) + 1
    assert report.reviews_per_day == [(d, per_day.get(d, 0)) for d in
                                      (today - timedelta(days=k) for k in range(29, -1, -1))]
    week = [m for i, m in enumerate(moments) if study_day(m, zone)[0] > today - timedelta(days=7)]
    assert report.retention["week"].total == len(week)
    due_on: dict[date, int] = {}
    for due in dues:
        day = max(study_day(due, zone)[0], today)
        due_on[day] = due_on.get(day, 0) + 1
    assert report.forecast == [(today + timedelta(days=k), due_on.get(today + timedelta(days=k), 0))
                               for k in range(30)]
    days = set(per_day)
    streak, day = 0, today if today in days else today - timedelta(days=1)
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)
    assert report.streak == streak

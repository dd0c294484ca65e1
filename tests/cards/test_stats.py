"""Stats on a review log made by answering cards at known times: counts per day, true retention, states,
forecast, streak; and `readroom stats` printing them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readroom import cli
from readroom.cards import service, stats
from readroom.cards.scheduler import AGAIN, EASY, GOOD, ReviewSettings, study_day

UTC = timezone.utc
SETTINGS = ReviewSettings(fuzz=False, timezone="UTC")
NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)  # study day 2026-03-12 (the day starts at 04:00 UTC)


def at(days_ago: int, hour: int = 9, minute: int = 0) -> datetime:
    return (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=minute)


@pytest.fixture
def history() -> dict[str, int]:
    """Six cards; reviews on days -10, -5, -2, -1 and today."""
    ids = {name: service.add_note("qa", f"question {name}", "answer", now=at(11))[0].id for name in "abcdef"}
    answer = lambda name, rating, when: service.answer(ids[name], rating, when, 5000, SETTINGS)  # noqa: E731
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
    for v, b in zip(values, bars):
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
    assert cli.main(["stats", "--days", "99"]) == 2

"""What the review log says: reviews per day, true retention, cards by state, the next 30 days, the streak.

Reads with stdlib sqlite3 (like service.due_counts), so `readroom stats` starts without SQLModel or fsrs. Days
are study days (they roll over at 4 a.m. local, see scheduler.study_day). The charts are plain text, shared by
`readroom stats` and the stats screen.
"""

from __future__ import annotations

import bisect
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from readroom.cards.scheduler import (AGAIN, LEARNING, NEW, RELEARNING, REVIEW, ReviewSettings, load_settings,
                                      study_day, utc_seconds)

HISTORY_DAYS = 30
FORECAST_DAYS = 30
RETENTION_WINDOWS = (("today", 1), ("week", 7), ("month", 30))
STATE_ORDER = ("new", "learning", "review", "relearning", "suspended", "buried", "leech")
BLOCKS = " ▏▎▍▌▋▊▉█"


@dataclass
class Retention:
    passed: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


@dataclass
class Stats:
    today: date
    reviews_per_day: list[tuple[date, int]] = field(default_factory=list)  # oldest first, today last
    retention: dict[str, Retention] = field(default_factory=dict)  # today / week / month
    cards_by_state: dict[str, int] = field(default_factory=dict)
    forecast: list[tuple[date, int]] = field(default_factory=list)  # today (with overdue) first
    streak: int = 0  # consecutive study days, up to today, with a review or reading
    reviewed_today: int = 0
    seconds_today: float = 0.0

    def to_json(self) -> dict:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["reviews_per_day"] = [{"day": d.isoformat(), "reviews": n} for d, n in self.reviews_per_day]
        data["forecast"] = [{"day": d.isoformat(), "due": n} for d, n in self.forecast]
        data["retention"] = {k: {"passed": r.passed, "total": r.total, "rate": r.rate} for k, r in self.retention.items()}
        return data


# --------------------------------------------------------------------------------------------- queries


def collect(now: datetime, settings: ReviewSettings | None = None) -> Stats:
    from readroom.library import _reader

    settings = settings or load_settings()
    now = utc_seconds(now)
    zone, hour = settings.zone(), settings.day_starts_at
    today, today_start, today_end = study_day(now, zone, hour)
    stats = Stats(today=today)
    # Day boundaries back over the history and ahead over the forecast, as ISO strings that sort like times.
    starts = [_iso(study_day(today_start + timedelta(hours=12) - timedelta(days=k), zone, hour)[1])
              for k in range(HISTORY_DAYS - 1, -1, -1)]
    ends = [_iso(study_day(today_start + timedelta(hours=12) + timedelta(days=k), zone, hour)[2])
            for k in range(FORECAST_DAYS)]
    days_back = [today - timedelta(days=k) for k in range(HISTORY_DAYS - 1, -1, -1)]
    days_ahead = [today + timedelta(days=k) for k in range(FORECAST_DAYS)]
    with _reader() as conn:
        if conn is None or not _has(conn, "card"):
            stats.reviews_per_day = [(d, 0) for d in days_back]
            stats.forecast = [(d, 0) for d in days_ahead]
            stats.retention = {name: Retention() for name, _ in RETENTION_WINDOWS}
            stats.cards_by_state = {name: 0 for name in STATE_ORDER}
            return stats
        counts = [0] * HISTORY_DAYS
        retention = {name: Retention() for name, _ in RETENTION_WINDOWS}
        for reviewed_at, rating, state_before, elapsed_ms in conn.execute(
                "SELECT reviewed_at, rating, state_before, elapsed_ms FROM review_log WHERE reviewed_at >= ?"
                " AND reviewed_at <= ?", (starts[0], _iso(now))):
            index = bisect.bisect_right(starts, reviewed_at) - 1
            counts[index] += 1
            if index == HISTORY_DAYS - 1:
                stats.reviewed_today += 1
                stats.seconds_today += (elapsed_ms or 0) / 1000
            if state_before != REVIEW:  # true retention counts answers to cards that were in review
                continue
            for name, days in RETENTION_WINDOWS:
                if index >= HISTORY_DAYS - days:
                    retention[name].total += 1
                    retention[name].passed += rating != AGAIN
        stats.reviews_per_day = list(zip(days_back, counts))
        stats.retention = retention
        stats.cards_by_state = _cards_by_state(conn, now)
        stats.forecast = list(zip(days_ahead, _forecast(conn, ends)))
        stats.streak = _streak(conn, today, starts[-1], zone, hour)
    return stats


def _iso(moment: datetime) -> str:
    return utc_seconds(moment).isoformat(timespec="seconds")


def _has(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None


def _cards_by_state(conn: sqlite3.Connection, now: datetime) -> dict[str, int]:
    """Each card counted once: leeches and other suspended cards apart, then buried, then by FSRS state."""
    counts = {name: 0 for name in STATE_ORDER}
    names = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
    for state, suspended, leech, buried, n in conn.execute(
            "SELECT state, suspended, leech, coalesce(buried_until > ?, 0), count(*) FROM card"
            " GROUP BY 1, 2, 3, 4", (_iso(now),)):
        key = ("leech" if leech else "suspended") if suspended else "buried" if buried else names[state]
        counts[key] += n
    return counts


def _forecast(conn: sqlite3.Connection, ends: list[str]) -> list[int]:
    """Cards that fall due on each of the next days (overdue ones on today), new and suspended ones aside."""
    counts = [0] * len(ends)
    for (due,) in conn.execute(f"SELECT due FROM card WHERE suspended = 0 AND state != {NEW} AND due < ?",
                               (ends[-1],)):
        counts[bisect.bisect_right(ends, due)] += 1
    return counts


def _streak(conn: sqlite3.Connection, today: date, today_start: str, zone, hour: int) -> int:
    """Consecutive study days with a review or some reading, ending today (or yesterday, if today has none yet).

    Reading time (pass_time) has no dates, so the reading days are those with a checklist tick, a note saved or
    a pass decision. Reviews are checked one day at a time backwards (an index seek each), so a long history
    costs only as many lookups as the streak is long.
    """
    reading_days: set[date] = set()
    for table, column in (("checklist_tick", "checked_at"), ("reading_note", "updated_at"), ("reading", "updated_at")):
        if _has(conn, table):
            for (stamp,) in conn.execute(f"SELECT {column} FROM {table}"):
                reading_days.add(study_day(datetime.fromisoformat(stamp), zone, hour)[0])

    def active(day_start: datetime, day: date) -> bool:
        if day in reading_days:
            return True
        end = study_day(day_start + timedelta(hours=12), zone, hour)[2]
        return conn.execute("SELECT 1 FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ? LIMIT 1",
                            (_iso(day_start), _iso(end))).fetchone() is not None

    start = datetime.fromisoformat(today_start)
    day, streak = today, 0
    if not active(start, day):  # today is not over: a streak stands until a whole day is missed
        start, day = study_day(start - timedelta(hours=12), zone, hour)[1], day - timedelta(days=1)
    while active(start, day):
        streak += 1
        start, day = study_day(start - timedelta(hours=12), zone, hour)[1], day - timedelta(days=1)
    return streak


# --------------------------------------------------------------------------------------------- charts


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar in eighths of a cell, `width` cells for `top`."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    return "█" * (eighths // 8) + (BLOCKS[eighths % 8] if eighths % 8 else "")


def _percent(r: Retention) -> str:
    return f"{r.rate * 100:5.1f}%  ({r.passed}/{r.total})" if r.rate is not None else "    -   (no reviews)"


def chart_lines(stats: Stats, width: int = 80, days: int = 14) -> list[str]:
    """The report as text lines no wider than `width`: bars for reviews per day, the forecast and states."""
    label = 11  # "Mon 03-02  "
    bar_width = max(10, min(50, width - label - 8))
    lines = [f"Streak: {stats.streak} day{'s' if stats.streak != 1 else ''}   "
             f"Today: {stats.reviewed_today} review{'s' if stats.reviewed_today != 1 else ''}"
             f" in {duration(stats.seconds_today)}", ""]
    lines.append("True retention (answers to review cards that were not Again)")
    names = {"today": "Today", "week": "Last 7 days", "month": "Last 30 days"}
    lines += [f"  {names[k]:13}{_percent(r)}" for k, r in stats.retention.items()]
    lines += ["", f"Reviews per day (last {days} days)"]
    recent = stats.reviews_per_day[-days:]
    top = max((n for _, n in recent), default=0)
    lines += [f"  {d:%a %m-%d} {bar(n, top, bar_width):{bar_width}} {n:>5}" for d, n in recent]
    lines += ["", f"Due in the next {days} days (today includes overdue)"]
    ahead = stats.forecast[:days]
    top = max((n for _, n in ahead), default=0)
    lines += [f"  {d:%a %m-%d} {bar(n, top, bar_width):{bar_width}} {n:>5}" for d, n in ahead]
    rest = sum(n for _, n in stats.forecast[days:])
    lines.append(f"  and {rest} more in the {len(stats.forecast) - days} days after")
    lines += ["", "Cards by state"]
    top = max(stats.cards_by_state.values(), default=0)
    lines += [f"  {name:10} {bar(n, top, bar_width):{bar_width}} {n:>5}" for name, n in stats.cards_by_state.items()]
    return [line.rstrip()[:width] for line in lines]


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}:{secs:02d}"

"""What the review log says: reviews per day, true retention, cards by state, the next 30 days, the streak.

The counting is storage/stats.py's (stdlib sqlite3, so `readroom stats` starts without SQLModel or fsrs). Days
are study days (they roll over at 4 a.m. local, see scheduler.study_day): their boundaries are worked out here,
DST included, and SQLite counts per day over the indexes. The charts are plain text, shared by `readroom stats`
and the stats screen.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from readroom import config
from readroom.cards.scheduler import STATE_NAMES, study_day, utc_seconds
from readroom.config import ReviewConfig
from readroom.storage import stats as store
from readroom.storage.fast import read_db

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


def collect(now: datetime, settings: ReviewConfig | None = None) -> Stats:
    settings = settings or config.load().review
    now = utc_seconds(now)
    zone, hour = settings.zone(), settings.day_starts_at
    today = study_day(now, zone, hour)[0]
    stats = Stats(today=today)
    days_back = [today - timedelta(days=k) for k in range(HISTORY_DAYS - 1, -1, -1)]
    days_ahead = [today + timedelta(days=k) for k in range(FORECAST_DAYS)]
    with read_db() as conn:
        if conn is None:
            stats.reviews_per_day = [(d, 0) for d in days_back]
            stats.forecast = [(d, 0) for d in days_ahead]
            stats.retention = {name: Retention() for name, _ in RETENTION_WINDOWS}
            stats.cards_by_state = {name: 0 for name in STATE_ORDER}
            return stats
        counts = [0] * HISTORY_DAYS
        retention = {name: Retention() for name, _ in RETENTION_WINDOWS}
        # Today ends now (a later clock in the log is not counted, as before).
        ranges = _day_ranges(days_back, zone, hour)
        ranges[-1] = (ranges[-1][0], now + timedelta(seconds=1))
        for day in store.reviews_per_day(conn, ranges):
            counts[day.day] = day.answers
            for name, days in RETENTION_WINDOWS:
                if day.day >= HISTORY_DAYS - days:
                    retention[name].total += day.review_answers
                    retention[name].passed += day.passed
            if day.day == HISTORY_DAYS - 1:
                stats.reviewed_today, stats.seconds_today = day.answers, day.elapsed_ms / 1000
        stats.reviews_per_day = list(zip(days_back, counts, strict=False))
        stats.retention = retention
        stats.cards_by_state = _cards_by_state(store.state_counts(conn, now))
        # Overdue cards count on today: its range is open at the start.
        ends = [_day_start(d + timedelta(days=1), zone, hour) for d in days_ahead]
        stats.forecast = list(zip(days_ahead, store.due_per_day(conn, [(None, ends[0]), *pairwise(ends)]), strict=False))
        stats.streak = _streak(conn, today, zone, hour)
    return stats


def _day_start(day: date, zone, hour: int) -> datetime:
    """When study day `day` begins: as scheduler.study_day has it (DST days last 23 or 25 h)."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def _day_ranges(days: list[date], zone, hour: int) -> list[tuple[datetime, datetime]]:
    return [(_day_start(d, zone, hour), _day_start(d + timedelta(days=1), zone, hour)) for d in days]


def _cards_by_state(counted: store.StateCounts) -> dict[str, int]:
    """Each card counted once: leeches and other suspended cards apart, then buried, then by FSRS state."""
    counts = {name: 0 for name in STATE_ORDER}
    for (suspended, state), n in counted.by_state.items():
        counts["suspended" if suspended else STATE_NAMES[state]] += n
    counts["leech"], counts["suspended"] = counted.suspended_leeches, counts["suspended"] - counted.suspended_leeches
    for state, n in counted.buried.items():
        counts[STATE_NAMES[state]] -= n
        counts["buried"] += n
    return counts


def _streak(conn, today: date, zone, hour: int) -> int:
    """Consecutive study days with a review or some reading, ending today (or yesterday, if today has none yet).

    Reading days are those with reading time (reading_day), a checklist tick, a note saved or a pass decision.
    Review days are asked for in one query per stretch of days going back (60, then 240 at a time): an index
    seek per day, so a long history costs only as many seeks as the streak is long.
    """
    reading_days = store.reading_days(conn)
    reading_days |= {study_day(stamp, zone, hour)[0] for stamp in store.reading_times(conn)}
    streak, back, chunk = 0, 0, 60
    while True:
        days = [today - timedelta(days=k) for k in range(back, back + chunk)]
        unread = [d for d in days if d not in reading_days]
        reviewed = {unread[i] for i in store.days_with_reviews(conn, _day_ranges(unread, zone, hour))}
        for day in days:
            if day in reviewed or day in reading_days:
                streak += 1
            elif day != today:  # today is not over: a streak stands until a whole day is missed
                return streak
        back, chunk = back + chunk, 240


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

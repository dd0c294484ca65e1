"""What the review log says: reviews per day, true retention, cards by state, the next 30 days, the streak.

Reads with stdlib sqlite3 (like service.due_counts), so `readroom stats` starts without SQLModel or fsrs. Days
are study days (they roll over at 4 a.m. local, see scheduler.study_day): their UTC boundaries are worked out
here, DST included, and passed to SQLite, which counts per day over the indexes (no row comes back per card or
per review). The charts are plain text, shared by
`readroom stats` and the stats screen.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

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
    from readroom.storage.fast import read_db

    settings = settings or load_settings()
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
        # One range of the reviewed_at index per study day; today's ends now (a later clock in the log is not
        # counted, as before). Only the review-state answers need the rows themselves.
        ranges = [[_day_start(d, zone, hour), _day_start(d + timedelta(days=1), zone, hour)] for d in days_back]
        ranges[-1][1] = _iso(now + timedelta(seconds=1))
        for i, n, reviews, passed, elapsed_ms in conn.execute(
                f"SELECT d.key, count(*), sum(r.state_before = {REVIEW}),"
                f" sum(r.state_before = {REVIEW} AND r.rating != {AGAIN}), sum(r.elapsed_ms)"
                f" FROM json_each(?) d CROSS JOIN review_log r WHERE {_IN_DAY.format(t='r', c='reviewed_at')}"
                " GROUP BY d.key", (json.dumps(ranges),)):
            counts[i] = n
            for name, days in RETENTION_WINDOWS:
                if i >= HISTORY_DAYS - days:
                    retention[name].total += reviews or 0
                    retention[name].passed += passed or 0
            if i == HISTORY_DAYS - 1:
                stats.reviewed_today, stats.seconds_today = n, (elapsed_ms or 0) / 1000
        stats.reviews_per_day = list(zip(days_back, counts))
        stats.retention = retention
        stats.cards_by_state = _cards_by_state(conn, now)
        stats.forecast = list(zip(days_ahead, _forecast(conn, days_ahead, zone, hour)))
        stats.streak = _streak(conn, today, zone, hour)
    return stats


# A row of json_each(?) holding [first, next] ISO boundaries of a day, and the column `c` of table `t` inside it.
_IN_DAY = "{t}.{c} >= json_extract(d.value, '$[0]') AND {t}.{c} < json_extract(d.value, '$[1]')"


def _day_start(day: date, zone, hour: int) -> str:
    """When study day `day` begins, in UTC, as stored: as scheduler.study_day has it (DST days last 23 or 25 h)."""
    return _iso(datetime.combine(day, time(hour), tzinfo=zone))


def _iso(moment: datetime) -> str:
    return utc_seconds(moment).isoformat(timespec="seconds")


def _cards_by_state(conn: sqlite3.Connection, now: datetime) -> dict[str, int]:
    """Each card counted once: leeches and other suspended cards apart, then buried, then by FSRS state.

    Three reads rather than one GROUP BY over four columns (which sorts every card): states from the
    ix_card_queue index alone, leeches among the (few) suspended cards, and buried cards by a plain scan
    (buried_until has no index; a scan of the table is ~10x cheaper than an index walk plus row lookups).
    """
    counts = {name: 0 for name in STATE_ORDER}
    names = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
    for suspended, state, n in conn.execute("SELECT suspended, state, count(*) FROM card GROUP BY suspended, state"):
        counts["suspended" if suspended else names[state]] += n
    leeches = conn.execute("SELECT count(*) FROM card WHERE suspended = 1 AND leech = 1").fetchone()[0]
    counts["leech"], counts["suspended"] = leeches, counts["suspended"] - leeches
    for state, n in conn.execute("SELECT state, count(*) FROM card NOT INDEXED WHERE buried_until > ? AND suspended = 0"
                                 " GROUP BY state", (_iso(now),)):
        counts[names[state]] -= n
        counts["buried"] += n
    return counts


def _forecast(conn: sqlite3.Connection, days: list[date], zone, hour: int) -> list[int]:
    """Cards that fall due on each of the next days (overdue ones on today), new and suspended ones aside:
    one count per day over the (suspended, state, due) index, never the cards themselves."""
    ends = [_day_start(d + timedelta(days=1), zone, hour) for d in days]
    ranges = [["", ends[0]], *([a, b] for a, b in zip(ends, ends[1:]))]
    counts = [0] * len(days)
    for i, n in conn.execute(
            "SELECT d.key, (SELECT count(*) FROM card c WHERE c.suspended = 0"
            f" AND c.state IN ({LEARNING}, {REVIEW}, {RELEARNING}) AND {_IN_DAY.format(t='c', c='due')})"
            " FROM json_each(?) d", (json.dumps(ranges),)):
        counts[i] = n
    return counts


def _streak(conn: sqlite3.Connection, today: date, zone, hour: int) -> int:
    """Consecutive study days with a review or some reading, ending today (or yesterday, if today has none yet).

    Reading days are those with reading time (reading_day), a checklist tick, a note saved or a pass decision. Review days are asked for in one query per stretch of days going back (60, then 240 at a
    time): an index seek per day, so a long history costs only as many seeks as the streak is long.
    """
    reading_days = {date.fromisoformat(day) for (day,) in conn.execute(  # stored as study days already
        "SELECT DISTINCT day FROM reading_day WHERE seconds > 0")}
    for table, column in (("checklist_tick", "checked_at"), ("reading_note", "updated_at"), ("reading", "updated_at")):
        for (stamp,) in conn.execute(f"SELECT {column} FROM {table}"):
            reading_days.add(study_day(datetime.fromisoformat(stamp), zone, hour)[0])
    streak, back, chunk = 0, 0, 60
    while True:
        days = [today - timedelta(days=k) for k in range(back, back + chunk)]
        active = _review_days(conn, [d for d in days if d not in reading_days], zone, hour) | reading_days
        for day in days:
            if day in active:
                streak += 1
            elif day != today:  # today is not over: a streak stands until a whole day is missed
                return streak
        back, chunk = back + chunk, 240


def _review_days(conn: sqlite3.Connection, days: list[date], zone, hour: int) -> set[date]:
    """Which of `days` have a review, in one query."""
    if not days:
        return set()
    ranges = [[_day_start(d, zone, hour), _day_start(d + timedelta(days=1), zone, hour)] for d in days]
    found = conn.execute("SELECT d.key FROM json_each(?) d WHERE EXISTS (SELECT 1 FROM review_log r"
                         f" WHERE {_IN_DAY.format(t='r', c='reviewed_at')})", (json.dumps(ranges),))
    return {days[i] for (i,) in found}


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

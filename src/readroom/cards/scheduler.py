"""FSRS scheduling with Anki's defaults: the only module that imports `fsrs`.

Pure functions: the time is always passed in, nothing here reads the clock or the database. `fsrs` is imported
inside the functions that need it, so `readroom due` (which only needs the study-day arithmetic and the
settings) starts without it.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from readroom.config import ReviewConfig
from readroom.errors import BadInput

# The card-memory record and the numbers of FSRS states and ratings live in records/cards.py (storage builds them
# too); they are the scheduler's vocabulary, so importers may take them from here.
from readroom.records.cards import (  # noqa: F401
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    NEW,
    RATING_NAMES,
    RELEARNING,
    REVIEW,
    STATE_NAMES,
    CardState,
)

# Our card states. 1-3 are fsrs.State's values; 0 is "never answered", which fsrs models as Learning step 0.



# --------------------------------------------------------------------------------------------- study day


def study_day(now: datetime, zone: tzinfo, starts_at: int = 4) -> tuple[date, datetime, datetime]:
    """The study day `now` falls in: its date, and its first and next-day boundaries in UTC.

    The day rolls over at `starts_at` o'clock local wall time, so a day across a DST change lasts 23 or 25 hours.
    """
    day = study_date(now, zone, starts_at)
    start = datetime.combine(day, time(starts_at), tzinfo=zone).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(starts_at), tzinfo=zone).astimezone(timezone.utc)
    return day, start, end


def study_date(now: datetime, zone: tzinfo, starts_at: int = 4) -> date:
    """study_day's date alone (one time-zone conversion, not three: an export asks it of every card)."""
    local = now.astimezone(zone)
    return local.date() if local.hour >= starts_at else local.date() - timedelta(days=1)


# --------------------------------------------------------------------------------------------- FSRS


def new_card(now: datetime) -> CardState:
    return CardState(NEW, None, None, None, utc_seconds(now), None)


def utc_seconds(moment: datetime) -> datetime:
    """UTC, whole seconds: the database keeps seconds, so scheduling must not depend on anything finer."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not scheduled; pass an aware datetime")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def answer(card: CardState, rating: int, now: datetime, settings: ReviewConfig, fuzz_seed: str = "") -> CardState:
    """The card's state after `rating` at `now`.

    Fuzz is drawn from a generator seeded by `fuzz_seed` (the card's uuid and reps), like Anki: the interval on
    a button is the one the answer gives, and a replay gives the same dates.
    """
    import fsrs

    if rating not in RATING_NAMES:
        raise BadInput(f"A rating is 1 (again), 2 (hard), 3 (good) or 4 (easy), not {rating!r}.")
    now = utc_seconds(now)
    before = fsrs.Card(
        card_id=0,  # an explicit id: without one fsrs sleeps a millisecond to make a fresh one
        state=fsrs.State(card.state or LEARNING),
        step=0 if card.state == NEW else card.step,
        stability=card.stability, difficulty=card.difficulty,
        due=card.due, last_review=card.last_review,
    )
    scheduler = _fsrs_scheduler(settings)
    with _fuzz.seeded(fuzz_seed):
        after, _log = scheduler.review_card(before, fsrs.Rating(rating), review_datetime=now)
    return CardState(int(after.state), after.step, after.stability, after.difficulty, utc_seconds(after.due),
                     after.last_review)


def next_intervals(card: CardState, now: datetime, settings: ReviewConfig, fuzz_seed: str = "") -> dict[int, timedelta]:
    """For each rating, how long until the card is due again (for the four buttons)."""
    now = utc_seconds(now)
    return {r: answer(card, r, now, settings, fuzz_seed).due - now for r in RATING_NAMES}


def retrievability(card: CardState, now: datetime, settings: ReviewConfig) -> float:
    import fsrs

    if card.state == NEW:
        return 0.0
    fcard = fsrs.Card(card_id=0, state=fsrs.State(card.state), step=card.step, stability=card.stability,
                      difficulty=card.difficulty, due=card.due, last_review=card.last_review)
    return _fsrs_scheduler(settings).get_card_retrievability(fcard, utc_seconds(now))


def warm_up(settings: ReviewConfig) -> None:
    """Import fsrs and build the scheduler ahead of the first answer (a review screen does it in the background)."""
    try:
        _fsrs_scheduler(settings)
    except BadInput:
        pass  # the first answer says what is wrong


def format_interval(delta: timedelta) -> str:
    """Anki's button labels: 1m, 10m, 1h, 3d, 2.1mo, 1.5y."""
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def _fsrs_scheduler(settings: ReviewConfig):
    """fsrs's Scheduler for these settings. A review step asks five times with the same settings object: it is
    recognised by identity first (comparing two settings field by field costs more than an answer's FSRS maths)."""
    global _last_scheduler
    last = _last_scheduler
    if last is not None and last[0] is settings:
        return last[1]
    made = _build_scheduler(settings)
    _last_scheduler = (settings, made)
    return made


_last_scheduler: tuple[ReviewConfig, object] | None = None


@lru_cache(maxsize=8)
def _build_scheduler(settings: ReviewConfig):
    import fsrs
    import fsrs.scheduler

    fsrs.scheduler.random = _fuzz.random  # fsrs's fuzz draws (`from random import random`) come from ours

    extra = {"parameters": settings.parameters} if settings.parameters else {}
    try:
        return fsrs.Scheduler(
            desired_retention=settings.desired_retention,
            learning_steps=settings.learning_steps,
            relearning_steps=settings.relearning_steps,
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=settings.fuzz,
            **extra,
        )
    except ValueError as exc:  # fsrs checks each weight against its own bounds, one line per weight
        lines = str(exc).splitlines()
        first = lines[1] if len(lines) > 1 else lines[0] if lines else "refused"
        more = f" (and {len(lines) - 2} more)" if len(lines) > 2 else ""
        raise BadInput(f"[review] parameters are outside FSRS's bounds: {first}{more}; fix them in config.toml, "
                       "or run `readroom optimize` again.") from None


class _SeededFuzz:
    """Where fsrs draws its fuzz from, in place of the `random` module's global generator: a generator of our
    own, seeded for each answer with its seed, so an answer's fuzz depends on its seed alone and nothing else in
    the process sees its draws. It is seeded only when fsrs draws (a card in learning draws nothing), as seeding
    costs about as much as the answer's maths. The lock keeps one thread's seed from another's draw."""

    def __init__(self) -> None:
        self.generator = random.Random()
        self.seed: str | None = None
        self.lock = threading.Lock()

    @contextmanager
    def seeded(self, seed: str) -> Iterator[None]:
        with self.lock:
            self.seed = seed
            try:
                yield
            finally:
                self.seed = None

    def random(self) -> float:
        if self.seed is not None:
            self.generator.seed(self.seed)
            self.seed = None  # the next draws of this answer follow on from the first
        return self.generator.random()


_fuzz = _SeededFuzz()


# --------------------------------------------------------------------------------------------- optimizer


def optimizer_available() -> bool:
    """Whether the optional extra (`pip install 'readroom[optimizer]'`, which pulls in torch) is installed."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("torch", "pandas"))


def fit_parameters(reviews: list[tuple[int, int, datetime, int | None]]) -> list[float]:
    """FSRS parameters fitted to (card id, rating, reviewed at, duration ms) rows with fsrs's Optimizer."""
    import fsrs
    from fsrs.optimizer import Optimizer

    logs = [fsrs.ReviewLog(card_id=c, rating=fsrs.Rating(r), review_datetime=t, review_duration=d)
            for c, r, t, d in reviews]
    return [float(w) for w in Optimizer(logs).compute_optimal_parameters()]

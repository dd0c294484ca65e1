"""The study day at a large size: 100,000 cards and 1,000,000 review-log rows, limits 20 new / 9,999 reviews.

Goals (issue 15): step (answer + next card + its four intervals) median <= 2x Anki, p99 <= 10 ms; answer median
<= 1.5 ms; first answer of a session <= 30 ms; undo + card shown again <= 3 ms; the queue build ahead of Anki;
the review screen open (push -> first card on screen) < 0.5 s. Also timed: showing the answer (the four intervals),
the card browser's first page (first frame, and its rows in), its next page (read as the cursor nears the end)
and the stats report at this size.
When the `anki` package is installed, the same rows are timed in Anki's own backend on a collection of the same
size, and printed side by side with their ratios, last.

    /work/venv/bin/python benchmarks/bench_review.py [--cards 100000] [--logs 1000000] [--no-anki]

At 1M cards, `--cards 1000000 --logs 2000000` finishes in ~13 min on this 2-core machine (seeding ~5.5 min for
each side); ten logs per card, as at 100k, would take most of an hour for the seeding alone.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

from _common import fresh_home

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
# The limits, on both sides: ~9k reviews due make the queue Anki builds and keeps a real one (Anki's and
# readroom's defaults, 200 reviews, would hold a fiftieth of it).
NEW_PER_DAY, REVIEWS_PER_DAY = 20, 9_999


def write_limits() -> None:
    """The limits in the home's config.toml, for the screens (the app reads its settings from there)."""
    from readroom import paths

    paths.home().mkdir(parents=True, exist_ok=True)
    (paths.home() / "config.toml").write_text(
        f'[review]\ntimezone = "UTC"\nnew_per_day = {NEW_PER_DAY}\nreviews_per_day = {REVIEWS_PER_DAY}\n')


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat(timespec="seconds")


def seed(n_cards: int, n_logs: int, rng: random.Random) -> dict[str, int]:
    """Notes and cards in realistic proportions (10% new, 3% learning, the rest in review), logs over 2 years."""
    from readroom import paths
    from readroom.storage import db

    db.engine()  # create and migrate
    db.dispose_all()
    conn = sqlite3.connect(paths.database_path())
    created = iso(NOW - timedelta(days=730))
    conn.executemany(
        "INSERT INTO note (id, uuid, kind, front, back, tags, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        ((i, str(uuid.uuid4()), "qa", f"Question {i} about $x^{{{i}}}$?", f"Answer {i}", '["bench"]', created, created)
         for i in range(1, n_cards + 1)))
    kinds = {"new": 0, "learning": 0, "review": 0}

    def card(i: int):
        roll = rng.random()
        if roll < 0.10:
            kinds["new"] += 1
            return (i, str(uuid.uuid4()), i, 0, 0, None, None, None, iso(NOW - timedelta(seconds=n_cards - i)), None,
                    0, 0, created)
        if roll < 0.13:
            kinds["learning"] += 1
            due = NOW + timedelta(minutes=rng.randint(-60, 600))
            return (i, str(uuid.uuid4()), i, 0, 1, 1, 2.3, 5.0, iso(due), iso(due - timedelta(minutes=10)), 2, 0,
                    created)
        kinds["review"] += 1
        stability = rng.uniform(1, 400)
        due = NOW + timedelta(days=rng.uniform(-20, stability))
        return (i, str(uuid.uuid4()), i, 0, 2, None, stability, rng.uniform(1, 10), iso(due),
                iso(due - timedelta(days=stability)), rng.randint(3, 30), rng.randint(0, 5), created)

    conn.executemany(
        "INSERT INTO card (id, uuid, note_id, ord, state, step, stability, difficulty, due, last_review, reps, lapses,"
        " suspended, leech, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,0,?)",
        (card(i) for i in range(1, n_cards + 1)))
    start = NOW - timedelta(days=730)

    def log(j: int):
        when = start + timedelta(seconds=rng.randint(0, 730 * 86400 - 6 * 3600))  # none today: full limits
        due = when + timedelta(days=rng.uniform(0.01, 60))
        return (str(uuid.uuid4()), rng.randint(1, n_cards), rng.choice((1, 3, 3, 3, 4)), iso(when),
                rng.randint(2000, 60000), 2, 2, (due - when).total_seconds() / 86400, rng.uniform(1, 100),
                rng.uniform(1, 10), iso(when), iso(due))

    conn.executemany(
        "INSERT INTO review_log (uuid, card_id, rating, reviewed_at, elapsed_ms, state_before, state_after,"
        " interval_days, stability_before, difficulty_before, due_before, due_after, made_leech)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)", (log(j) for j in range(n_logs)))
    conn.commit()  # no ANALYZE: users' databases never get one, so the plans must be right without statistics
    conn.close()
    return kinds


def bench_queue(repeat: int = 30) -> tuple[float, float, dict]:
    from readroom.cards import service
    from readroom.config import ReviewConfig

    settings = ReviewConfig(timezone="UTC", new_per_day=NEW_PER_DAY, reviews_per_day=REVIEWS_PER_DAY)
    service.today_queue(NOW, settings)  # warm the page cache, as a second screen would find it
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        queue = service.today_queue(NOW, settings)
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times), queue.counts()


async def _time_screens(runs: int) -> dict[str, list[float]]:
    """Headless Textual: push each screen and wait until it shows its content; seconds per run."""
    import asyncio

    from textual.app import App
    from textual.widgets import DataTable

    from readroom.tui.screens.card_browser import CardBrowserScreen
    from readroom.tui.screens.review import ReviewScreen
    from readroom.tui.screens.stats import StatsScreen

    times: dict[str, list[float]] = {"review open": [], "show answer": [], "browser open": [], "browser first frame": [],
                                     "browser next page": [], "stats open": [], "stats first frame": []}
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(runs):
            start = time.perf_counter()
            screen = ReviewScreen(clock=lambda: NOW)
            await app.push_screen(screen)  # on_mount builds the queue and shows the first card
            await pilot.pause()
            assert screen.card is not None, "no card due in the benchmark collection"
            times["review open"].append(time.perf_counter() - start)
            start = time.perf_counter()
            screen.action_show()
            await pilot.pause()
            times["show answer"].append(time.perf_counter() - start)
            await app.pop_screen()
            for name, cls in (("browser open", CardBrowserScreen), ("stats open", StatsScreen)):
                start = time.perf_counter()
                pushed = cls(clock=lambda: NOW)
                await app.push_screen(pushed)
                drawn: list[float] = []
                pushed.call_after_refresh(lambda: drawn.append(time.perf_counter()))  # its first frame  # noqa: B023  (called within this iteration)
                await pilot.pause()
                # Both read on a thread: to their rows/numbers drawn, their first frame apart. (The browser's
                # filter choices are read in a thread of their own, not waited for.)
                await app.workers.wait_for_complete([w for w in app.workers if w.group in ("cards-rows", "stats-load")])
                await pilot.pause()
                if name == "stats open":
                    times["stats first frame"].append(drawn[0] - start if drawn else 0.0)
                times[name].append(time.perf_counter() - start)
                if name == "browser open":
                    times["browser first frame"].append(drawn[0] - start if drawn else times[name][-1])
                    table = pushed.query_one("#cards-table", DataTable)
                    start, rows = time.perf_counter(), table.row_count
                    assert rows and not pushed.reading, "no rows drawn"
                    table.move_cursor(row=rows - 1, animate=False)  # the next page is read as the cursor nears the end
                    await pilot.pause()
                    assert table.row_count > rows, "no next page read"
                    times["browser next page"].append(time.perf_counter() - start)
                await app.pop_screen()
            await pilot.pause()
            await asyncio.sleep(0)
    return times


def bench_screens(runs: int = 5) -> dict[str, list[float]]:
    import asyncio

    return asyncio.run(_time_screens(runs))


def bench_stats(repeat: int = 7) -> float:
    """The stats report's queries (`readroom stats` and the stats screen): median seconds."""
    from readroom.cards import stats
    from readroom.config import ReviewConfig

    settings = ReviewConfig(timezone="UTC", new_per_day=NEW_PER_DAY, reviews_per_day=REVIEWS_PER_DAY)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        stats.collect(NOW, settings)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_anki(n_cards: int, n_logs: int, rng: random.Random, repeat: int = 10) -> dict[str, float] | None:
    """Anki's Rust backend on a collection of the same size: the cold queue build (the collection reopened before
    each), and the rows of the step table (anki_steps)."""
    try:
        from anki.collection import Collection
    except ImportError:
        return None
    import tempfile
    from pathlib import Path

    path = str(Path(tempfile.mkdtemp(prefix="anki-bench-")) / "collection.anki2")
    col = Collection(path)
    model = col.models.by_name("Basic")
    today = col.sched.today
    conf = col.decks.get_config(1)  # the default deck's preset: the same limits as readroom's
    conf["new"]["perDay"], conf["rev"]["perDay"] = NEW_PER_DAY, REVIEWS_PER_DAY
    col.decks.update_config(conf)
    col.close()  # the rows go in by sqlite3 into the closed collection, as storage/anki_file.py writes them:
    # through the backend's database proxy each row crosses into Rust as JSON (minutes at 1M review-log rows)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    now_s = int(time.time())
    base_id = now_s * 1000 - n_cards * 10
    db.executemany(
        "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)"
        " VALUES (?,?,?,?,-1,' bench ',?,?,0,0,'')",
        [(base_id + i, uuid.uuid4().hex[:10], model["id"], now_s, f"Question {i}\x1fAnswer {i}", f"Question {i}")
         for i in range(n_cards)])
    rows = []
    for i in range(n_cards):
        roll = rng.random()
        if roll < 0.10:  # new
            ctype, queue, due, ivl = 0, 0, i, 0
        elif roll < 0.13:  # learning, due today in seconds
            ctype, queue, due, ivl = 1, 1, now_s + rng.randint(-3600, 36000), 0
        else:
            ivl = rng.randint(1, 400)
            ctype, queue, due = 2, 2, today + rng.randint(-20, ivl)
        rows.append((base_id + i, base_id + i, 1, 0, now_s, ctype, queue, due, ivl, 2500, 5, 0, 2 if ctype == 1 else 0))
    db.executemany(
        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue,"
        " odid, flags, data) VALUES (?,?,?,?,?,-1,?,?,?,?,?,?,?,?,0,0,0,'')", rows)
    start_ms = (now_s - 730 * 86400) * 1000
    db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?,?,-1,?,?,?,2500,?,1)",
        ((start_ms + j * 60, base_id + rng.randrange(n_cards), rng.choice((1, 3, 3, 3, 4)), rng.randint(1, 60),
          rng.randint(1, 60), rng.randint(2000, 60000)) for j in range(n_logs)))
    db.execute("COMMIT")
    for table in ("notes", "cards", "revlog"):  # Anki's close analyzed them empty: stale statistics misplan
        db.execute(f"ANALYZE {table}")
    db.close()
    times = []
    for _ in range(repeat):
        col = Collection(path)
        t = time.perf_counter()
        col.sched.get_queued_cards(fetch_limit=1)
        times.append(time.perf_counter() - t)
        counts = col.sched.counts()
        col.close()
    print(f"anki counts (new, learning, review): {counts}")
    return {"queue build": statistics.median(times), **anki_steps(path)}


def anki_steps(path: str, n: int = 300) -> dict[str, float]:
    """Anki's review step as its reviewer does it: the first queued card, its four intervals, the answer."""
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(path)
    queued = col.sched.get_queued_cards(fetch_limit=1)

    def step(rating=CardAnswer.GOOD) -> tuple[float, float]:
        top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        col.sched.describe_next_states(top.states)
        start = time.perf_counter()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating))
        return start, time.perf_counter()

    t0 = time.perf_counter()
    _, end = step()
    out: dict[str, list[float]] = {"first answer": [end - t0], "answer": [], "step": [], "undo": []}
    del queued
    for i in range(n):
        t0 = time.perf_counter()
        start, end = step(CardAnswer.AGAIN if i % 4 == 0 else CardAnswer.GOOD)
        top = col.sched.get_queued_cards(fetch_limit=1).cards[0]  # the next card shown, its intervals
        col.sched.describe_next_states(top.states)
        out["step"].append(time.perf_counter() - t0)
        out["answer"].append(end - start)
        if i % 10 == 0:
            t0 = time.perf_counter()
            col.undo()
            top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
            col.get_card(top.card.id)
            out["undo"].append(time.perf_counter() - t0)
    col.close()
    return summarize(out)


def summarize(times: dict[str, list[float]]) -> dict[str, float]:
    """Median of each row, and p99 of the answer and the step."""
    row = {name: statistics.median(values) for name, values in times.items()}
    for name in ("answer", "step"):
        ordered = sorted(times[name])
        row[f"{name} p99"] = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return row


def readroom_steps(n: int = 300) -> dict[str, float]:
    """readroom's review step as its review screen does it (service calls in a review session, no drawing)."""
    from readroom.cards import service
    from readroom.config import ReviewConfig

    settings = ReviewConfig(timezone="UTC", new_per_day=NEW_PER_DAY, reviews_per_day=REVIEWS_PER_DAY)
    now = NOW
    out: dict[str, list[float]] = {"first answer": [], "answer": [], "step": [], "undo": []}
    with service.review_session(settings):
        queue = service.today_queue(now, settings)
        card = service.get_card(queue.next_card())  # the first card shows
        service.intervals_of(card, now, settings)
        for i in range(n + 1):
            t0 = time.perf_counter()
            after = service.answer(card.id, 1 if i % 4 == 0 else 3, now, 4000, settings)
            answered = time.perf_counter()
            queue = service.queue_after(queue, card.id, now, settings, after)
            card = service.get_card(queue.next_card())
            service.intervals_of(card, now, settings)
            (out["first answer"] if i == 0 else out["answer"]).append(answered - t0)
            if i:
                out["step"].append(time.perf_counter() - t0)
            if i % 10 == 1:
                t0 = time.perf_counter()
                restored = service.undo(after.id)
                assert restored is not None
                queue = service.queue_after(queue, restored.id, now, settings, restored)
                card = restored
                out["undo"].append(time.perf_counter() - t0)
            now += timedelta(seconds=2)
    return summarize(out)


def noise_floor(n: int = 300) -> tuple[float, float]:
    """Median and p99 of a fixed ~0.3 ms CPU task, timed as the steps are: on a shared machine the p99 of anything
    this short is the scheduler's, not the code's."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        sum(i * i for i in range(6000))
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[min(n - 1, int(n * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--no-anki", action="store_true")
    parser.add_argument("--reuse", metavar="HOME", help="a home seeded by an earlier run (copy it first: answering "
                                                        "cards changes it); skips the ~1 min of seeding")
    args = parser.parse_args()
    rng = random.Random(5)
    if args.reuse:
        import os

        os.environ["READROOM_HOME"] = args.reuse
    else:
        home = fresh_home()
        t = time.perf_counter()
        kinds = seed(args.cards, args.logs, rng)
        print(f"seeded {args.cards:,} cards {kinds} and {args.logs:,} review logs in {time.perf_counter() - t:.1f} s"
              f" ({home})")

    write_limits()
    steps = readroom_steps()  # first: its first answer is the day's first write (today's backup beside it)
    screens = bench_screens()
    for name, values in screens.items():
        goal = " (goal < 500 ms)" if name == "review open" else ""
        print(f"{name}: first {values[0] * 1000:.0f} ms (cold: imports), median {statistics.median(values) * 1000:.0f} ms"
              f" over {len(values)}{goal}")

    print(f"stats report queries: median {bench_stats() * 1000:.0f} ms (goal < 200 ms)")
    median, worst, counts = bench_queue()
    ours = {"queue build": median, **steps}
    print(f"today's queue: median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms (goal < 50 ms); counts {counts}")
    anki = None if args.no_anki else bench_anki(args.cards, args.logs, random.Random(5))
    if anki is None and not args.no_anki:
        print("anki: not installed (pip install anki) - no comparison")
    rows = [("today's queue (readroom warm, anki cold)", "queue build"), ("answer median", "answer"),
            ("answer p99", "answer p99"), ("step: answer + next card + its four intervals, median", "step"),
            ("step p99", "step p99"), ("first answer of a session", "first answer"),
            ("undo + card shown again", "undo")]
    print(f"\n{'row':<56} {'readroom':>10} {'anki':>10}")
    for label, key in rows:
        theirs = f"{anki[key] * 1000:8.2f}ms" if anki else "-"
        print(f"{label:<56} {ours[key] * 1000:8.2f}ms {theirs:>10}")
    floor_median, floor_p99 = noise_floor()
    print(f"\nthis machine now: a fixed CPU task of median {floor_median * 1000:.2f} ms has p99 {floor_p99 * 1000:.2f} ms")
    if anki:
        print("\nratios (readroom / anki):")
        for label, key in rows:
            print(f"  {label}: {ours[key] / anki[key]:.2f}")


if __name__ == "__main__":
    main()

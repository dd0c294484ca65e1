"""Export and deck loading at realistic sizes.

Goals: exporting 10,000 cards to an .apkg < 3 s; loading a 1,000-card starter deck < 1 s.
Also times BibTeX for the papers, and --with-scheduling (through the anki backend, when installed) side by side
with Anki's own export of the same collection, in turns; goal: at most 1.5x Anki's time.

    /work/venv/bin/python benchmarks/bench_export.py [--cards 10000] [--logs 100000] [--deck 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _common import fresh_home

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat(timespec="seconds")


def seed(n_cards: int, n_papers: int, n_logs: int, rng: random.Random) -> None:
    """Papers, and notes with cards: a third clozes (two deletions), with math, HTML and review state; `n_logs`
    answers spread over the studied cards' last 200 days."""
    from readroom import paths
    from readroom.storage import db

    db.engine()
    db.dispose_all()
    conn = sqlite3.connect(paths.database_path())
    created = iso(NOW - timedelta(days=200))
    papers = [str(uuid.uuid4()) for _ in range(n_papers)]
    conn.executemany(
        "INSERT INTO paper (id, source, arxiv_id, title, authors, abstract, categories, primary_category, year,"
        " added_at, parse_status) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ((pid, "arxiv", f"2001.{i:05d}", f"Paper {i}: On Learning Things", json.dumps([f"Ann Author{i}", "Bo B"]), "",
          '["cs.LG"]', "cs.LG", 2020, created, "parsed") for i, pid in enumerate(papers)))
    notes, cards, i = [], [], 0
    while len(cards) < n_cards:
        i += 1
        kind = "cloze" if i % 3 == 0 else "qa"
        front = (f"In paper {i}, {{{{c1::residual $F(x)+x$}}}} & {{{{c2::<b>{i}</b>}}}} layers" if kind == "cloze"
                 else f"Question {i}: why $x^{{{i}}}$ < y & <b>z</b>?")
        notes.append((i, str(uuid.uuid4()), kind, front, f"Answer {i}", papers[i % n_papers], "3.1 Method", 4,
                      '["bench"]', created, created))
        for ord_ in ((1, 2) if kind == "cloze" else (0,)):
            state = 2 if rng.random() < 0.7 else 0
            cards.append((len(cards) + 1, str(uuid.uuid4()), i, ord_, state, rng.uniform(1, 300) if state else None,
                          rng.uniform(1, 10) if state else None, iso(NOW + timedelta(days=rng.uniform(-5, 60))),
                          iso(NOW - timedelta(days=3)) if state else None, 5 if state else 0, created))
    conn.executemany("INSERT INTO note (id, uuid, kind, front, back, paper_id, section, page, tags, created_at,"
                     " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
    conn.executemany("INSERT INTO card (id, uuid, note_id, ord, state, stability, difficulty, due, last_review, reps,"
                     " lapses, suspended, leech, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,0,0,0,?)", cards)
    studied = [card[0] for card in cards if card[4]]

    def log(_: int):
        when = NOW - timedelta(seconds=rng.randint(3 * 86400, 200 * 86400))
        due = when + timedelta(days=rng.uniform(0.01, 60))
        return (str(uuid.uuid4()), rng.choice(studied), rng.choice((1, 3, 3, 3, 4)), iso(when),
                rng.randint(2000, 60000), 2, 2, (due - when).total_seconds() / 86400, rng.uniform(1, 100),
                rng.uniform(1, 10), iso(when), iso(due))

    conn.executemany(
        "INSERT INTO review_log (uuid, card_id, rating, reviewed_at, elapsed_ms, state_before, state_after,"
        " interval_days, stability_before, difficulty_before, due_before, due_after, made_leech)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)", (log(j) for j in range(n_logs if studied else 0)))
    conn.commit()
    conn.close()


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def side_by_side(ours, package: Path, repeat: int) -> tuple[float, float]:
    """Median times of `ours()` and of Anki's own export with scheduling, of a collection holding what `package`
    holds (imported with its scheduling, so the same notes, cards, review log and presets), run in turns so that
    the load of a shared machine weighs on both alike."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ExportAnkiPackageOptions

    folder = Path(tempfile.mkdtemp(prefix="anki-bench-"))
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True)))
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
        col.export_anki_package(out_path=str(folder / "anki.apkg"), limit=None, options=options)  # warm, as ours
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeat):
            times[0].append(timed(ours, 1)[0])
            times[1].append(timed(lambda: col.export_anki_package(out_path=str(folder / "anki.apkg"), limit=None,
                                                                  options=options), 1)[0])
        return statistics.median(times[0]), statistics.median(times[1])
    finally:
        col.close()


def write_deck(folder: Path, n: int) -> Path:
    lines = ['name = "bench"', 'title = "Generated"', ""]
    for i in range(n):
        if i % 3 == 0:
            lines += ["[[card]]", f'id = "c{i}"', 'paper = "resnet"', 'section = "3.1"',
                      f'text = "Fact {i}: {{{{c1::answer {i}}}}} and {{{{c2::more}}}}"', ""]
        else:
            lines += ["[[card]]", f'id = "q{i}"', 'paper = "gan"', 'section = "4.1"', f'front = "Question {i}?"',
                      f'back = "Answer {i}."', ""]
    path = folder / "bench.toml"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--logs", type=int, default=100_000, help="review-log rows (for --with-scheduling)")
    parser.add_argument("--deck", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    fresh_home()
    seed(args.cards, 200, args.logs, random.Random(7))
    from readroom.export.apkg import export_apkg
    from readroom.export.bibtex import bibtex
    from readroom.export.selection import CardFilter

    out = Path(tempfile.mkdtemp()) / "bench.apkg"
    export_apkg(CardFilter(), out, NOW)  # warm: genanki imported once
    median, best = timed(lambda: export_apkg(CardFilter(), out, NOW), args.repeat)
    print(f"export .apkg, {args.cards} cards: median {median:.2f} s, best {best:.2f} s"
          f" (goal < 3 s), {out.stat().st_size / 1e6:.1f} MB")
    median, best = timed(lambda: bibtex(CardFilter()), args.repeat)
    print(f"BibTeX for 200 papers: median {median * 1000:.0f} ms")
    try:
        import anki  # noqa: F401
    except ImportError:
        print("export --with-scheduling: skipped (anki not installed)")
    else:
        from readroom.export.anki_collection import export_with_scheduling

        sched_out = out.with_name("bench-scheduling.apkg")
        export_with_scheduling(CardFilter(), sched_out, NOW)  # warm, and the package Anki's collection is made of
        ours, theirs = side_by_side(lambda: export_with_scheduling(CardFilter(), sched_out, NOW), sched_out,
                                    args.repeat)
        print(f"export --with-scheduling, {args.cards} cards, {args.logs} review logs: readroom {ours:.2f} s,"
              f" Anki's own export of the same collection {theirs:.2f} s, ratio {ours / theirs:.2f} (goal <= 1.5)")

    from readroom import decks

    fresh_home()
    from readroom.storage import db

    db.engine()  # the database exists, as for a user who has opened readroom before
    deck_path = write_deck(Path(tempfile.mkdtemp()), args.deck)
    start = time.perf_counter()
    deck = decks.read_deck(deck_path)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    result = decks.load(deck, NOW)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    again = decks.load(deck, NOW)
    again_s = time.perf_counter() - start
    print(f"deck of {args.deck} cards ({result.cards_added} card rows): read {read_s * 1000:.0f} ms,"
          f" load {load_s * 1000:.0f} ms, total {(read_s + load_s) * 1000:.0f} ms (goal < 1 s);"
          f" second load {again_s * 1000:.0f} ms, added {again.added}")


if __name__ == "__main__":
    main()

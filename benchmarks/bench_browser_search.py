"""The card browser searched as you type at a large size: three letters of a search that matches nothing (each a
scan of every card, ~0.2 s at 1M), typed 80 ms apart as a quick typist does. Timed: the longest the UI's event
loop is held meanwhile (keys and frames wait that long; goal < 50 ms), and the time to the last text's rows.

    python benchmarks/bench_browser_search.py [--cards 1000000] [--reuse HOME]

Seeding 1M cards takes ~75 s (bench_review's seed, few review logs: the browser does not read them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import datetime, timezone

from _common import fresh_home

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
WORDS = ("zzq", "zzw", "zze", "zzr", "zzt")  # none matches: each keystroke's read scans every card
GAP = 0.08  # seconds between keys


async def _time_typing() -> tuple[list[float], list[float]]:
    from textual.app import App
    from textual.widgets import DataTable, Input

    from readroom.tui.screens.card_browser import CardBrowserScreen

    app = App()
    stalls: list[float] = []
    done: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = CardBrowserScreen(clock=lambda: NOW)
        await app.push_screen(screen)
        await app.workers.wait_for_complete()  # the filter choices too: a pass over every note, not timed here
        search, table = screen.query_one("#cards-search", Input), screen.query_one("#cards-table", DataTable)
        for word in WORDS:
            search.value = ""
            while table.row_count == 0 or screen.reading:
                await asyncio.sleep(0.002)
            gaps: list[float] = []
            typing = True

            async def watch_loop() -> None:  # how long each turn of the event loop is held
                last = time.perf_counter()
                while typing:  # noqa: B023  (this iteration's flag)
                    await asyncio.sleep(0.002)
                    now = time.perf_counter()
                    gaps.append(now - last)  # noqa: B023
                    last = now

            watcher = asyncio.create_task(watch_loop())
            start = time.perf_counter()
            for i in range(len(word)):
                search.value = word[:i + 1]
                await asyncio.sleep(GAP)
            while table.row_count or screen.reading:
                await asyncio.sleep(0.002)
            done.append(time.perf_counter() - start)
            typing = False
            await watcher
            stalls.append(max(gaps))
    return stalls, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--reuse", metavar="HOME", help="a home seeded by an earlier run (or by bench_review.py)")
    args = parser.parse_args()
    if args.reuse:
        os.environ["READROOM_HOME"] = args.reuse
    else:
        from bench_review import seed

        home = fresh_home()
        t = time.perf_counter()
        seed(args.cards, args.cards // 50, random.Random(5))
        print(f"seeded {args.cards:,} cards in {time.perf_counter() - t:.0f} s ({home})")
    stalls, done = asyncio.run(_time_typing())
    print(f"longest UI stall while typing: median {statistics.median(stalls) * 1000:.0f} ms, worst "
          f"{max(stalls) * 1000:.0f} ms over {len(stalls)} (goal < 50 ms)")
    print(f"last key to its rows drawn: median {(statistics.median(done) - GAP * 2) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

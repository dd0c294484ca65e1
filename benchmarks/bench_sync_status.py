"""The sync state line's read (sync.status.status: the library's header, `readroom sync --status`) on a big
library: 100k notes and cards, 1M reviews over two years, last synced a day ago and never synced.

    PYTHONPATH=src python benchmarks/bench_sync_status.py [--cards N] [--logs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import timedelta

from _common import fresh_home
from bench_review import NOW, seed


def _time(repeat: int) -> tuple[float, float]:
    from readroom.sync.status import status

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        status()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    args = parser.parse_args()
    home = fresh_home()
    os.environ["READROOM_SYNC_URL"], os.environ["READROOM_SYNC_USER"] = "http://127.0.0.1:9/", "bench"
    seed(args.cards, args.logs, random.Random(5))
    from readroom.sync.status import status

    status()  # the imports and the first connection, paid once per process
    never = _time(10)
    (home / "anki").mkdir()
    (home / "anki" / "sync-state.json").write_text(json.dumps({"last_sync": (NOW - timedelta(days=1)).isoformat()}))
    recent = _time(10)
    print(f"sync state, {args.cards:,} notes, {args.logs:,} reviews: never synced {never[0] * 1000:.1f} ms median "
          f"({never[1] * 1000:.1f} best); synced a day ago {recent[0] * 1000:.1f} ms ({recent[1] * 1000:.1f}); "
          f"{status().pending()}")


if __name__ == "__main__":
    main()

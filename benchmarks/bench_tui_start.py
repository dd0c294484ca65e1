"""First paint of the reading room with 1,000 papers: from process start to the library table filled and drawn.

Goal (issue 4): under 0.5 s. Each run is a fresh `python` process that runs the app headless at 80x24 and
prints, when the library screen has populated its table and the next frame has been drawn, the seconds
since the interpreter started. The parent also times the whole process, exit included.

    python benchmarks/bench_tui_start.py [papers] [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from _common import ROOT, fresh_home, seed_library

CHILD = r"""
import time, sys
from readroom import library
from readroom.tui import preload
library.upgrade_if_behind()  # as `readroom` does (commands/papers.cmd_welcome): the schema check first
preload.start()
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.library import LibraryScreen

class Timed(ReadroomApp):
    def on_library_screen_populated(self, event: LibraryScreen.Populated) -> None:
        # Count one full frame: time once what the user sees has been drawn.
        self.call_after_refresh(self._report, event.count)

    def _report(self, count: int) -> None:
        self.first = time.perf_counter() - START
        self._wait_for_all(count)

    def _wait_for_all(self, count: int) -> None:
        # The table fills its first screenful before that first frame and the rest just after it.
        if self.screen.query_one("#papers").row_count < count:
            self.call_after_refresh(self._wait_for_all, count)
            return
        print(f"{self.first:.4f} {time.perf_counter() - START:.4f} {count}", flush=True)
        self.exit()

Timed().run(headless=True, size=(80, 24))
"""


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    home = fresh_home()
    t0 = time.perf_counter()
    seed_library(n)
    print(f"seeded {n} papers in {time.perf_counter() - t0:.1f} s ({home})")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # The child measures from its own first line; the interpreter's start-up (~20 ms) is in the parent's figure.
    code = "import time; START = time.perf_counter()\n" + CHILD
    inside, full, outside = [], [], []
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)  # warm the disk cache
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outside.append(time.perf_counter() - start)
        first, whole, count = done.stdout.split()[-3:]
        assert int(count) == n, f"the library screen counted {count} papers, expected {n}"
        inside.append(float(first))
        full.append(float(whole))
    print(f"first paint with {n} papers: median {statistics.median(inside):.3f} s, best {min(inside):.3f} s "
          f"[goal < 0.5 s]; all {n} rows in the table: median {statistics.median(full):.3f} s "
          f"(both from the child's first line); whole process incl. interpreter start-up and exit: "
          f"median {statistics.median(outside):.3f} s")


if __name__ == "__main__":
    main()

"""What a user waits for, on this machine (goal each < 1 s, or progress on screen while it takes longer):

- the first start: `readroom` in an empty home, app start to the first frame, and to the demo paper in the table;
- `readroom reparse ID` of one real 15-page paper (a new process);
- switching Discover modes with `m` at 30,000 papers: key to the new list drawn, the first time round (ranked
  then) and the second (kept rankings);
- a one-request `readroom sanity sync` against a loopback arXiv replaying ../shared/fixtures/arxiv-api, into an
  empty home (the library is created first), into a library with an empty index (the usual first sync), and into
  the 30,000-paper one; each to its exit and to the first bytes of its progress line (stderr on a pseudo-terminal,
  as a user's). A sync leaves the features to the next ranking: at 30,000 papers the `readroom discover list`
  after it (which catches them up and ranks) is timed too.

    python benchmarks/bench_waits.py [--reuse HOME] [--discover]
        (HOME: seeded by bench_sanity.py or an earlier run; --discover: only the 30,000-paper rows)
"""

from __future__ import annotations

import asyncio
import json
import os
import pty
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, SHARED_PAPERS, fresh_home, seed_library

RUNS = 3
FIRST_START = r"""
import time
START = time.perf_counter()
from readroom.tui import preload
preload.start()  # as `readroom` does (cli.cmd_welcome)
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.library import LibraryScreen

class Timed(ReadroomApp):
    def on_ready(self) -> None:  # the first frame is on screen
        self.painted = time.perf_counter() - START

    def on_library_screen_populated(self, event: LibraryScreen.Populated) -> None:
        if event.count:
            self.call_after_refresh(self._report)

    def _report(self) -> None:
        print(f"{self.painted:.4f} {time.perf_counter() - START:.4f}", flush=True)
        self.exit()

Timed().run(headless=True, size=(100, 30))
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def say(what: str, seconds: float, note: str = "") -> None:
    verdict = "< 1 s" if seconds < 1 else "over 1 s"
    print(f"{what}: {seconds:.2f} s ({verdict}){note}")


def first_start() -> None:
    painted, shown = [], []
    for _ in range(RUNS):
        home = tempfile.mkdtemp(prefix="readroom-bench-")
        done = subprocess.run([sys.executable, "-c", FIRST_START], env={**env(), "READROOM_HOME": home},
                              capture_output=True, text=True, check=True, timeout=120)
        a, b = map(float, done.stdout.split()[-2:])
        painted.append(a)
        shown.append(b)
        shutil.rmtree(home, ignore_errors=True)
    say(f"first start, app start to first frame (median of {RUNS})", statistics.median(painted))
    say("first start, app start to the demo paper in the table", statistics.median(shown),
        " (the library shows 'Adding the demo paper…' and a spinner meanwhile)")


def reparse() -> None:
    from readroom import library

    fresh_home()
    seed_library(1)
    paper = library.list_papers()[0]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "readroom", "reparse", paper.id], env=env(), check=True,
                       capture_output=True, timeout=120)
        times.append(time.perf_counter() - start)
    say(f"`readroom reparse ID`, {SHARED_PAPERS.joinpath('2020.acl-main.447.pdf').name} (15 pages, a new process, "
        f"median of {RUNS})", statistics.median(times), " (a progress bar on stderr meanwhile)")


def discover_modes() -> None:
    """Press m round all modes twice: key to the new ranking's rows drawn."""
    from readroom.tui.app import ReadroomApp
    from readroom.tui.screens.discover import DiscoverScreen

    drawn: list[tuple[float, str]] = []
    shown = DiscoverScreen._shown

    def timed(screen, ranking, *args) -> None:
        shown(screen, ranking, *args)
        if screen.loaded:
            mode = screen.mode.label
            screen.call_after_refresh(lambda: drawn.append((time.perf_counter(), mode)))

    DiscoverScreen._shown = timed

    async def run() -> list[tuple[str, float]]:
        app = ReadroomApp()
        waits = []
        async with app.run_test(size=(120, 40)) as pilot:
            while not (type(app.screen).__name__ == "LibraryScreen" and app.screen.loaded):
                await pilot.pause(0.01)
            await pilot.press("d")
            while not drawn:
                await pilot.pause(0.01)
            modes = len(app.screen.modes())
            for _ in range(2 * modes):
                drawn.clear()
                start = time.perf_counter()
                await pilot.press("m")
                while not drawn:
                    await pilot.pause(0.005)
                waits.append((drawn[0][1], drawn[0][0] - start))
        return waits

    waits = asyncio.run(run())
    half = len(waits) // 2
    for label, part in (("first time round", waits[:half]), ("again (rankings kept)", waits[half:])):
        worst = max(part, key=lambda w: w[1])
        print(f"Discover `m`, {label}: " + ", ".join(f"{m} {s:.2f} s" for m, s in part)
              + f"; slowest {worst[1]:.2f} s ({'< 1 s' if worst[1] < 1 else 'over 1 s'}; 'Ranking: MODE…' and a "
              "loading indicator meanwhile)")


def run_on_a_terminal(argv: list[str], environ: dict[str, str]) -> tuple[float, float | None, str]:
    """`python -m readroom ARGV` with stderr on a pseudo-terminal (so its progress line draws): seconds to its exit
    and to its first bytes on stderr (None: it printed none), and its stdout. Fails if the command does."""
    leader, follower = pty.openpty()
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "readroom", *argv], env=environ, stdout=subprocess.PIPE,
                             stderr=follower, text=True)
    os.close(follower)
    first = None
    while True:
        if select.select([leader], [], [], 0.005)[0]:
            try:
                if not os.read(leader, 65536):
                    break
            except OSError:  # the child closed its end
                break
            first = first if first is not None else time.perf_counter() - start
        elif child.poll() is not None:
            break
    out = child.communicate(timeout=300)[0]
    took = time.perf_counter() - start
    os.close(leader)
    assert child.returncode == 0, (argv, out)
    return took, first, out


def sync(label: str, base: Path | None, then_list: bool = False) -> None:
    """Each run in a copy of `base` (None: an empty home), so that each fetches the same 10 papers anew; with
    `then_list`, the `readroom discover list` after it is timed too."""
    import logging

    from pytest_httpserver import HTTPServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    recording = json.loads(next((ROOT.parent / "shared" / "fixtures" / "arxiv-api").glob("q_testing_*.json"))
                           .read_text())
    server = HTTPServer()
    server.expect_request(re.compile(r"^/api/query")).respond_with_data(recording["body"],
                                                                         content_type="application/atom+xml")
    server.start()
    times, lists, written = [], [], []
    firsts: list[float | None] = []
    list_firsts: list[float | None] = []
    try:
        for _ in range(RUNS):
            home = Path(tempfile.mkdtemp(prefix="readroom-bench-")) / "home"
            shutil.copytree(base, home) if base else home.mkdir()
            environ = {**env(), "READROOM_HOME": str(home), "READROOM_ARXIV_DELAY": "0",
                       "READROOM_ARXIV_API": server.url_for("/api/query")}
            took, first, out = run_on_a_terminal(["sanity", "sync", "--days", "36500", "--max", "10"], environ)
            assert "10 new papers in 1 request;" in out, out
            times.append(took)
            firsts.append(first)
            if then_list:
                before = features_files(home)
                took, first, _ = run_on_a_terminal(["discover", "list"], environ)
                lists.append(took)
                list_firsts.append(first)
                written.append(sum(size for name, (size, mtime) in features_files(home).items()
                                   if before.get(name, (None, None))[1] != mtime))
            shutil.rmtree(home.parent, ignore_errors=True)
    finally:
        server.stop()
    say(f"`readroom sanity sync`, one request (10 new papers), {label} (median of {RUNS})", statistics.median(times),
        f" (its progress line on stderr {shown(firsts)}: asking arXiv, then each page)")
    if then_list:
        say(f"  then `readroom discover list`, features caught up and ranked (median of {RUNS})",
            statistics.median(lists), f" (a 'Ranking' progress line {shown(list_firsts)}; "
            f"{size(statistics.median(written))} of features written)")


def size(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


def features_files(home: Path) -> dict[str, tuple[int, int]]:
    """The features cache's files (the main one and its shards): name -> (size, mtime)."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in (home / "sanity").glob("features*.npz")}


def shown(firsts: list[float | None]) -> str:
    drawn = [f for f in firsts if f is not None]
    return f"from {statistics.median(drawn):.2f} s" if drawn else "never drawn"


def library_home() -> Path:
    """A home whose library exists at the current schema (what any earlier readroom command leaves)."""
    home = Path(tempfile.mkdtemp(prefix="readroom-bench-"))
    subprocess.run([sys.executable, "-c", "from readroom.storage import db; db.engine()"],
                   env={**env(), "READROOM_HOME": str(home)}, check=True, timeout=120)
    return home


def main() -> None:
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if "--discover" not in sys.argv:
        first_start()
        reparse()
        sync("into an empty home", None)
        sync("into a library with an empty index", library_home())
    if "--reuse" in sys.argv:
        os.environ["READROOM_HOME"] = sys.argv[sys.argv.index("--reuse") + 1]
    else:
        from bench_sanity import seed_ranking_home

        seed_ranking_home()
    discover_modes()
    sync("into a 30,000-paper index", Path(os.environ["READROOM_HOME"]), then_list=True)


if __name__ == "__main__":
    main()

"""What a user waits for when a big library is upgraded: `readroom due` on a library one revision behind head,
timed to the first progress byte on a pseudo-terminal and to exit, then the parts (the backup's copy and check,
and each of the head migration's index builds) on copies of the same file.

    python benchmarks/bench_migrate.py SEEDED_HOME [runs]

SEEDED_HOME is a library at head (benchmarks/bench_review.py seeds one; 1M cards / 2M logs is ~1.1 GB); it is only
read: each run works on a copy, taken back to revision 0012 first (the head migration's indexes dropped).
"""

from __future__ import annotations

import os
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

BACK_TO_0012 = ["DROP INDEX ix_card_buried", "DROP INDEX ix_review_log_reviewed_at",
                "CREATE INDEX ix_review_log_reviewed_at ON review_log (reviewed_at)",
                "UPDATE alembic_version SET version_num = '0012_note_updated_index'"]
STEPS_0013 = {  # 0013_i15_big's statements, in its order
    "drop ix_review_log_reviewed_at": "DROP INDEX ix_review_log_reviewed_at",
    "create ix_review_log_reviewed_at (4 columns)": "CREATE INDEX ix_review_log_reviewed_at ON review_log "
                                                    "(reviewed_at, state_before, rating, elapsed_ms)",
    "create ix_card_buried (partial)": "CREATE INDEX ix_card_buried ON card (buried_until, suspended, state) "
                                       "WHERE buried_until IS NOT NULL",
}


def at_0012(seeded: Path) -> Path:
    home = Path(tempfile.mkdtemp(prefix="readroom-bench-migrate-"))
    for name in ("readroom.db", "readroom.db-wal"):  # the log too: it may hold the seed's last writes
        if (seeded / name).exists():
            shutil.copy2(seeded / name, home / name)
    with sqlite3.connect(home / "readroom.db", isolation_level=None) as conn:
        for sql in BACK_TO_0012:
            conn.execute(sql)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()
    return home


def first_open(home: Path) -> tuple[float, float]:
    """Seconds to the first byte on stderr (a pty) and to exit, of `readroom due`."""
    leader, follower = os.openpty()
    env = {**os.environ, "READROOM_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "readroom", "due"], stdout=subprocess.DEVNULL, stderr=follower,
                            env=env)
    os.close(follower)
    first = None
    while True:
        ready, _, _ = select.select([leader], [], [], 0.01)
        if ready:
            try:
                if not os.read(leader, 65536):
                    break
            except OSError:
                break
            first = first if first is not None else time.perf_counter() - start
        elif proc.poll() is not None:
            break
    proc.wait()
    os.close(leader)
    return (first if first is not None else float("nan")), time.perf_counter() - start


def parts(home: Path) -> dict[str, float]:
    """The backup's copy and check, and each 0013 statement, on the library at 0012."""
    from readroom.storage import backups

    out = home / "copy.db"
    found = {}
    with sqlite3.connect(f"file:{home / 'readroom.db'}?mode=ro", uri=True, isolation_level=None) as src:
        start = time.perf_counter()
        with sqlite3.connect(out) as dst:
            src.backup(dst, pages=backups.STEP_PAGES, sleep=0)
            found["backup: copy (page steps)"] = time.perf_counter() - start
            start = time.perf_counter()
            backups.quick_check(dst)
            found["backup: quick_check"] = time.perf_counter() - start
    out.unlink()
    with sqlite3.connect(home / "readroom.db", isolation_level=None) as conn:
        conn.execute("BEGIN IMMEDIATE")
        for name, sql in STEPS_0013.items():
            start = time.perf_counter()
            conn.execute(sql)
            found[f"0013: {name}"] = time.perf_counter() - start
        conn.execute("ROLLBACK")
    return found


def main() -> None:
    seeded, runs = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2
    size = (seeded / "readroom.db").stat().st_size
    print(f"library {size / 2**30:.2f} GiB, {runs} runs, {os.cpu_count()} cores")
    for run in range(runs):
        home = at_0012(seeded)
        try:
            first, total = first_open(home)
            print(f"run {run + 1}: `readroom due` first progress byte {first * 1000:.0f} ms, exit {total:.2f} s")
            shutil.rmtree(home)
            home = at_0012(seeded)
            for name, secs in parts(home).items():
                print(f"run {run + 1}:   {name:48} {secs:.2f} s")
        finally:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Shared helpers for the benchmark scripts: a throwaway READROOM_HOME, timing, and a seeded library."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PAPERS = ROOT.parent / "shared" / "fixtures" / "papers"
sys.path.insert(0, str(ROOT / "src"))


def fresh_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="readroom-bench-"))
    os.environ["READROOM_HOME"] = str(home)
    return home


def time_command(argv: list[str], repeat: int = 10) -> tuple[float, float]:
    """Median and best wall time of `python -m readroom ARGV`, in seconds, over `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "readroom", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def seed_library(n: int) -> None:
    """n papers, each with the real parsed structure of a 15-page paper, written through the service's store."""
    from readroom import library, paths
    from readroom.pdf.parse import parse_pdf
    from readroom.sources.download import DownloadedPdf

    source = SHARED_PAPERS / "2020.acl-main.447.pdf"
    parsed = parse_pdf(source)
    paths.papers_dir().mkdir(parents=True, exist_ok=True)
    for i in range(n):
        dest = paths.papers_dir() / f"paper-{i:05d}.pdf"
        shutil.copyfile(source, dest) if i == 0 else os.link(paths.papers_dir() / "paper-00000.pdf", dest)
        fields = dict(title=f"Paper {i}: {parsed.title}", authors=[f"Author {i}", "Second Author"],
                      year=2000 + i % 26, abstract=parsed.abstract or "", source="local", url=None)
        library._store(fields, DownloadedPdf(dest, f"{i:064x}", source.stat().st_size), parsed, None,
                       ["bench", f"group-{i % 10}"])

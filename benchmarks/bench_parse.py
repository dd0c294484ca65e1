"""PDF structure parsing: readroom's font-statistics parser against pymupdf4llm's layout model.

Each measurement runs in a fresh process so import cost and peak RSS are its own.
    python benchmarks/bench_parse.py [--skip-llm] [PDF ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from _common import ROOT, SHARED_PAPERS

OURS = """
import json, resource, sys, time
t0 = time.perf_counter()
from readroom.pdf.parse import parse_pdf
t1 = time.perf_counter()
paper = parse_pdf(__import__("pathlib").Path(sys.argv[1]))
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "pages": paper.page_count, "sections": len(paper.sections),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

LLM = """
import json, resource, sys, time
t0 = time.perf_counter()
import pymupdf.layout, pymupdf4llm, pymupdf
t1 = time.perf_counter()
doc = pymupdf.open(sys.argv[1])
chunks = pymupdf4llm.to_markdown(doc, page_chunks=True)
t2 = time.perf_counter()
headings = sum(1 for c in chunks for line in c["text"].splitlines() if line.startswith("#"))
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "pages": doc.page_count, "sections": headings,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(code: str, pdf: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--skip-llm", action="store_true", help="only readroom's parser")
    args = parser.parse_args()
    pdfs = args.pdfs or sorted(SHARED_PAPERS.glob("*.pdf"))
    for pdf in pdfs:
        runs = [("readroom", OURS)] + ([] if args.skip_llm else [("pymupdf4llm layout", LLM)])
        for name, code in runs:
            r = measure(code, pdf)
            print(f"{pdf.name:28} {name:18} import {r['import']:5.2f} s  parse {r['parse']:6.2f} s "
                  f"({r['parse'] / r['pages'] * 1000:5.0f} ms/page, {r['pages']} pages)  "
                  f"headings {r['sections']:3}  peak RSS {r['rss_mb']:4.0f} MB")


if __name__ == "__main__":
    main()

"""Structure fidelity: readroom's PDF parser scored against the structure read off the pages of real papers
(../shared/fixtures/papers/truth.json), with its speed and memory on the same files. --templates scores the
project's own template papers instead (tests/fixtures/templates/truth.json: one paper per publisher class).

Each paper is parsed in a fresh process (median of --repeat parses; peak RSS is that process's own). The scores are
the pure functions of tests/pdf/fidelity.py.
    python benchmarks/bench_fidelity.py [--templates] [--json] [--vs-layout] [--repeat 3] [PDF-NAME ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from _common import ROOT, SHARED_PAPERS

TEMPLATES = ROOT / "tests" / "fixtures" / "templates"
TEST_PATH = [str(ROOT / "src"), str(ROOT / "tests")]  # tests/ as pytest puts it on the path, for `pdf.fidelity`

# argv: pdf path, truth entry as JSON, repeat.
OURS = """
import json, resource, statistics, sys, time
from pathlib import Path
from pdf.fidelity import score_paper
from readroom.pdf.parse import parse_pdf
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    paper = parse_pdf(Path(sys.argv[1]))
    times.append(time.perf_counter() - start)
print(json.dumps({"seconds": statistics.median(times), "pages": paper.page_count,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  **score_paper(json.loads(sys.argv[2]), paper)}))
"""

# pymupdf4llm's headings are its markdown `#` lines; its `#` depth follows font size, not the outline, so every one
# counts as a candidate top-level heading (recall only: precision over all of them would count subsections too).
LAYOUT = """
import json, resource, statistics, sys, time
import pymupdf, pymupdf.layout, pymupdf4llm
from pdf.fidelity import score_headings
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    markdown = pymupdf4llm.to_markdown(sys.argv[1])
    times.append(time.perf_counter() - start)
headings = [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]
score = score_headings(json.loads(sys.argv[2]), [(1, h) for h in headings])
print(json.dumps({"seconds": statistics.median(times), "pages": pymupdf.open(sys.argv[1]).page_count,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "headings": len(headings), "top_recall": score["top_recall"]}))
"""


def measure(code: str, folder: Path, truth: dict, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(folder / truth["file"]), json.dumps(truth),
                          str(repeat)], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": os.pathsep.join(TEST_PATH), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.mean(known) if known else None


def _pair(counts: list[int]) -> str:
    return f"{counts[0]}/{counts[1]}"


def _yes(right: bool) -> str:
    return "yes" if right else "NO"


HEADER = (f"{'paper':30} {'title':>5} {'abstr':>5} {'top R':>5} {'top P':>5} {'subs':>5} {'lvl2':>4} {'junk':>4} "
          f"{'refs p/t':>8} {'Δ':>4} {'fig p/t':>7} {'tab p/t':>7} {'ms/page':>7} {'RSS MB':>6}")


def row(name: str, r: dict) -> str:
    refs = r["references"]
    return (f"{name[:30]:30} {_yes(r['title_right']):>5} {_yes(r['abstract_right']):>5} {_ratio(r['top_recall']):>5} "
            f"{_ratio(r['top_precision']):>5} {_pair(r['subsections_found']):>5} {_ratio(r['levels_right']):>4} "
            f"{len(r['junk']):>4} "
            f"{_pair(refs):>8} {refs[0] - refs[1]:>+4} {_pair(r['figure_captions']):>7} "
            f"{_pair(r['table_captions']):>7} {r['seconds'] / r['pages'] * 1000:>7.1f} {r['rss_mb']:>6.0f}")


def totals(results: list[dict]) -> dict:
    pages = sum(r["pages"] for r in results)
    return {
        "papers": len(results),
        "titles_right": sum(r["title_right"] for r in results),
        "abstracts_right": sum(r["abstract_right"] for r in results),
        "mean_top_recall": _mean([r["top_recall"] for r in results]),
        "mean_top_precision": _mean([r["top_precision"] for r in results]),
        "mean_levels_right": _mean([r["levels_right"] for r in results]),
        "junk_per_paper": sum(len(r["junk"]) for r in results) / len(results),
        "references_exact": sum(r["references"][0] == r["references"][1] for r in results),
        "seconds_per_page": sum(r["seconds"] for r in results) / pages,
        "max_rss_mb": max(r["rss_mb"] for r in results),
    }


LEGEND = ("top R/P: top-level recall, precision over parsed level-1 headings; subs: truth subsections found at any "
          "level;\nlvl2: share of those at level 2; junk: parsed level-1/2 headings that match no truth heading; "
          "p/t: parsed/truth\n")


def report(results: list[dict], layout: list[dict] | None) -> None:
    print(LEGEND + HEADER)
    for r in results:
        print(row(r["file"].removesuffix(".pdf"), r))
    t, n = totals(results), len(results)
    print(f"\ntotal: titles {t['titles_right']}/{n}, abstracts {t['abstracts_right']}/{n}, "
          f"mean top-level recall {_ratio(t['mean_top_recall'])}, precision {_ratio(t['mean_top_precision'])}, "
          f"levels {_ratio(t['mean_levels_right'])},\n       junk {t['junk_per_paper']:.1f}/paper, "
          f"references exact {t['references_exact']}/{n}, {t['seconds_per_page'] * 1000:.1f} ms/page, "
          f"peak RSS {t['max_rss_mb']:.0f} MB")
    print("\njunk headings (parsed level 1-2, no heading of the truth):" + ("" if any(r["junk"] for r in results)
                                                                          else " none"))
    for r in results:
        if r["junk"]:
            print(f"  {r['file'][:30]:30} " + "; ".join(j[:60] for j in r["junk"]))
    if layout is None:
        return
    print(f"\npymupdf4llm.to_markdown, every `#` line as a heading:\n{'paper':30} {'top R':>5} {'# lines':>7} "
          f"{'ms/page':>7} {'RSS MB':>6}")
    for r in layout:
        print(f"{r['file'].removesuffix('.pdf')[:30]:30} {_ratio(r['top_recall']):>5} {r['headings']:>7} "
              f"{r['seconds'] / r['pages'] * 1000:>7.0f} {r['rss_mb']:>6.0f}")
    pages = sum(r["pages"] for r in layout)
    print(f"total: mean top-level recall {_ratio(_mean([r['top_recall'] for r in layout]))}, "
          f"{sum(r['seconds'] for r in layout) / pages * 1000:.0f} ms/page, "
          f"peak RSS {max(r['rss_mb'] for r in layout):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("papers", nargs="*", help="file names from truth.json (default: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object: per-paper results and totals")
    parser.add_argument("--vs-layout", action="store_true", help="also time and score pymupdf4llm.to_markdown")
    parser.add_argument("--repeat", type=int, default=3, help="parses per paper; the median time counts")
    parser.add_argument("--templates", action="store_true",
                        help=f"the template papers typeset by the project ({TEMPLATES.relative_to(ROOT)}) instead")
    args = parser.parse_args()
    folder = TEMPLATES if args.templates else SHARED_PAPERS
    truth_file = folder / "truth.json"
    if not truth_file.is_file():
        print(f"skipped: no ground truth at {truth_file} (../shared is not next to this checkout)")
        return
    truths = [t for t in json.loads(truth_file.read_text())["papers"] if not args.papers or t["file"] in args.papers]
    if not truths:
        sys.exit(f"no paper of {truth_file} is named {' '.join(args.papers)}")
    if args.vs_layout and importlib.util.find_spec("pymupdf4llm") is None:
        sys.exit("--vs-layout needs pymupdf4llm installed")
    results = [{"file": t["file"], **measure(OURS, folder, t, args.repeat)} for t in truths]
    layout = [{"file": t["file"], **measure(LAYOUT, folder, t, args.repeat)} for t in truths] if args.vs_layout else None
    if args.json:
        print(json.dumps({"papers": results, "totals": totals(results), "layout": layout}, indent=1))
    else:
        report(results, layout)


if __name__ == "__main__":
    main()

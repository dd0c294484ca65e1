"""`readroom review` (the session, in the terminal), `readroom stats`, `readroom import-annotations ID`."""

from __future__ import annotations

import argparse
import json
import sys

from readroom import clock
from readroom.commands import whole_number
from readroom.errors import BadInput
from readroom.terminal import print_json


def register(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="review the cards due today, as in Anki (space, then 1-4)",
        description="Opens the review session in this terminal: space shows the answer, 1-4 grade it (Again, Hard, "
                    "Good, Easy), u undoes, - buries, @ suspends, e edits, o opens the paper, esc leaves.")
    review.set_defaults(func=cmd_review)

    stats = commands.add_parser("stats", help="reviews per day, true retention, cards by state, forecast, streak")
    stats.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    stats.add_argument("--days", type=whole_number(_chart_days), default=14, metavar="N",
                       help="days shown in the charts (1-30, default 14)")
    stats.set_defaults(func=cmd_stats)

    annots = commands.add_parser(
        "import-annotations", help="import highlights you made in a paper's PDF with a PDF viewer",
        description="Reads highlight, underline, squiggly and strike-out annotations from the paper's stored PDF "
                    "(or --pdf FILE, a copy you annotated) and keeps them as highlights, with their page, section, "
                    "colour and note. Importing again adds only annotations not imported before.")
    annots.add_argument("paper", metavar="ID", help="paper id (or its first characters), arXiv id or classic name")
    annots.add_argument("--pdf", metavar="FILE", help="read this PDF instead of the stored one (the same paper)")
    annots.add_argument("--json", action="store_true", help="print the new highlights as JSON")
    annots.set_defaults(func=cmd_import_annotations)


def _chart_days() -> range:
    from readroom.cards.stats import FORECAST_DAYS

    return range(1, FORECAST_DAYS + 1)


def cmd_review(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadInput("`readroom review` needs a terminal to run in; for due counts in scripts use "
                       "`readroom due --json`.")
    from readroom import library

    library.upgrade_if_behind()  # with its progress line, before the app's screen would hide it
    from readroom.tui.app import run_app

    return run_app("review")


def cmd_stats(args: argparse.Namespace) -> int:

    from readroom.cards import stats
    from readroom.terminal import width

    report = stats.collect(clock.now())
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0
    print("\n".join(stats.chart_lines(report, min(width(), 100), days=args.days)))
    return 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from readroom.cards.pdf_import import import_annotations
    from readroom.terminal import clip, width

    result = import_annotations(args.paper, args.pdf, now=clock.now())
    if args.json:
        rows = [{**asdict(h), "created_at": h.created_at.isoformat() if h.created_at else None} for h in result.added]
        print_json(rows)
        return 0
    for h in result.added:
        where = f"p.{h.page}" + (f" {h.section}" if h.section else "")
        print(f"  {clip(where, 24):24}  {clip(h.text, width() - 30)}")
    count = len(result.added)
    parts = [f"Imported {count} highlight{'s' if count != 1 else ''} from {result.pdf.name}"]
    if result.skipped:
        parts.append(f"{result.skipped} already imported")
    if result.empty:
        parts.append(f"{result.empty} without text under them")
    none = "" if result.found else " The PDF has no highlight, underline or strike-out marks."
    print(", ".join(parts) + "." + none)
    return 0

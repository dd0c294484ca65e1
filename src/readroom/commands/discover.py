"""`readroom discover` (alias `readroom sanity`, its first name): Discover from the command line: sync the local
arXiv-Sanity index, list it ranked for you, dismiss papers. Adding a paper from the list is `readroom add
ARXIV_ID`, as for any other."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from readroom import clock
from readroom.commands import whole_number
from readroom.terminal import clip, error, print_json, printable, width

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

EXIT_INTERRUPTED = 130


def register(commands: argparse._SubParsersAction) -> None:
    discover = commands.add_parser(
        "discover", aliases=["sanity"], help="Discover: recent arXiv papers ranked for you (a local arXiv-Sanity)",
        description="Keep a local index of recent arXiv papers in ML categories (set [discover] categories in "
                    "config.toml or READROOM_DISCOVER_CATEGORIES) and rank it from your library: tags and added "
                    "papers teach a tf-idf + linear SVM model, dropped and dismissed papers count against.")
    discover.set_defaults(func=lambda args: discover.print_help() or 2)
    actions = discover.add_subparsers(title="discover commands", metavar="ACTION")

    sync = actions.add_parser("sync", help="fetch the new papers of your categories from arXiv (newest first)",
                              description="Stops at the papers it already has; an interrupted sync (Ctrl-C, "
                                          "network, --max) carries on where it stopped the next time.")
    sync.add_argument("--max", type=whole_number(_papers), metavar="N", help="fetch at most N new papers this time")
    sync.add_argument("--days", type=whole_number(_days), metavar="N",
                      help="reach back at most N days (default: [discover] days in config.toml, 14)")
    sync.add_argument("--json", action="store_true", help="print the outcome as JSON")
    sync.set_defaults(func=cmd_sync)

    lst = actions.add_parser("list", help="list the index ranked for you (default: by your whole library)",
                             description="Without a ranking option, papers are ranked by a model of your "
                                         "whole library (or newest first while it is empty).")
    how = lst.add_mutually_exclusive_group()
    how.add_argument("--tag", metavar="TAG", help="rank by a model of the library papers with this tag")
    how.add_argument("--similar", metavar="ID", help="papers like this one (library id, arXiv id or classic name)")
    how.add_argument("--search", metavar="WORDS", help="papers matching these words")
    how.add_argument("--random", action="store_true", help="in random order")
    how.add_argument("--time", action="store_true", help="newest first")
    lst.add_argument("--days", type=whole_number(_days), metavar="N", help="only papers submitted in the last N days")
    lst.add_argument("--band", metavar="A-B", help="only the top A to B percent of the ranking, e.g. 15-40")
    lst.add_argument("--limit", type=whole_number(_papers), default=20, metavar="N", help="show at most N papers (default 20)")
    lst.add_argument("--include-library", action="store_true", help="also show papers already in your library")
    lst.add_argument("--json", action="store_true", help="print the ranking as JSON")
    lst.set_defaults(func=cmd_list)

    dismiss = actions.add_parser("dismiss", help="hide papers from Discover; they count against similar ones")
    dismiss.add_argument("arxiv_ids", nargs="+", metavar="ARXIV_ID")
    dismiss.add_argument("--undo", action="store_true", help="show them again and forget the dismissal")
    dismiss.set_defaults(func=cmd_dismiss)


def _days() -> range:
    from readroom.config import SYNC_DAYS

    return SYNC_DAYS


def _papers() -> range:
    return range(1, 1_000_001)  # more than any index holds, well inside what SQLite's LIMIT takes


# --------------------------------------------------------------------------------------------- sync


def cmd_sync(args: argparse.Namespace) -> int:
    bar = SyncProgressBar(enabled=not args.json and sys.stderr.isatty())
    try:
        with bar:  # on screen before the imports of the index, the service and httpx (~0.3 s)
            from readroom.discover import index, service

            result = service.sync(now=clock.now(), days=args.days, max_new=args.max, progress=bar.update)
    except KeyboardInterrupt:
        error(f"Interrupted: the {bar.new:,} papers stored so far are kept; "
              "`readroom discover sync` carries on from there.")
        return EXIT_INTERRUPTED
    stats = index.stats()
    if args.json:
        print(json.dumps({"new": result.new, "requests": result.requests, "complete": result.complete,
                          "index_size": stats.papers,
                          "oldest": stats.oldest.isoformat() if stats.oldest else None,
                          "newest": stats.newest.isoformat() if stats.newest else None}, indent=2))
        return 0
    span = (f" ({stats.oldest.astimezone():%Y-%m-%d} to {stats.newest.astimezone():%Y-%m-%d})"
            if stats.oldest and stats.newest else "")
    plural = "s" if result.requests != 1 else ""
    print(f"Fetched {result.new:,} new papers in {result.requests} request{plural}; "
          f"the index holds {stats.papers:,}{span}.")
    if hint := service.all_older_hint(result, args.days):
        print(hint)
    if not result.complete:
        print("Stopped at --max; `readroom discover sync` fetches the rest.")
    print("Next: `readroom discover list` (or press d in the app).")
    return 0


class SyncProgressBar:
    """A rich progress line on stderr while syncing; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.new = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self):
        if self.enabled:
            from readroom.terminal import progress_bar

            self._progress = progress_bar()
            self._task = self._progress.add_task("Syncing arXiv", total=None, detail="asking arXiv")
        return self

    def __exit__(self, *exc) -> None:
        if self._progress:
            self._progress.stop()

    def update(self, event) -> None:
        self.new = event.new
        if not self._progress or self._task is None:  # both are set together, in __enter__
            return
        back = f", back to {event.oldest.astimezone():%Y-%m-%d}" if event.oldest else ""
        # How far back the walk has come, against how far it may go: a fair measure of what is left.
        done = total = None
        if event.oldest:
            now = clock.now()
            total = (now - event.cutoff).total_seconds()
            done = min(total, (now - event.oldest).total_seconds())
        self._progress.update(self._task, completed=done, total=total,
                              detail=f"{event.new:,} new papers, {event.requests} requests{back}")


# --------------------------------------------------------------------------------------------- list


class RankingLine:
    """A progress line on stderr that appears with the first step of a new ranking (a kept one shows at once and
    needs none); silent when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self._progress:
            self._progress.stop()

    def step(self, text: str) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            from readroom.terminal import progress_bar

            self._progress = progress_bar()
            self._task = self._progress.add_task("Ranking", total=None, detail="")
        assert self._task is not None  # set with the progress display
        self._progress.update(self._task, detail=printable(clip(text, 50)))


def cmd_list(args: argparse.Namespace) -> int:
    from readroom.discover import rank, service

    mode = ("similar" if args.similar else "search" if args.search else "tag" if args.tag
            else "random" if args.random else "time" if args.time else "foryou")
    request = rank.RankRequest(now=clock.now(), mode=mode, tag=args.tag, similar=args.similar, query=args.search,
                               days=args.days, band=rank.parse_band(args.band) if args.band else None,
                               limit=args.limit, include_library=args.include_library)
    with RankingLine(enabled=sys.stderr.isatty()) as line:
        ranking = service.rank(request, step=line.step)  # the kept ranking when nothing it depends on changed
    if args.json:
        print_json(ranking.to_json())
        return 0
    print_ranking(ranking)
    return 0


def print_ranking(ranking) -> None:
    print(f"{ranking.description}: {ranking.pool:,} of {ranking.index_size:,} papers in the index.")
    if ranking.note:
        print(ranking.note)
    if ranking.liked:
        print(f"The model likes: {', '.join(ranking.liked)}")
        if ranking.disliked:
            print(f"          and not: {', '.join(ranking.disliked)}")
    if not ranking.papers:
        print("  (no papers) Widen --days or --band, or run `readroom discover sync` for newer ones.")
        return
    full = width()
    id_width = max(len(r.paper.arxiv_id) for r in ranking.papers)
    title_width = max(20, full - id_width - 2 - 7 - 2 - 16 - 2 - 10 - 2)
    print()
    for r in ranking.papers:
        date = r.paper.published.astimezone().strftime("%Y-%m-%d") if r.paper.published else ""
        mark = "✓ " if r.library_id else ""
        score = ranking.shown_score(r.score)
        print(f"{r.paper.arxiv_id:<{id_width}}  {score:>7}  {clip(mark + r.paper.title, title_width):{title_width}}  "
              f"{clip(r.paper.first_author, 16):16}  {date}")
        if r.words:
            print(f"{'':{id_width + 11}}{clip(' · '.join(r.words), full - id_width - 12)}")
    print("\n`readroom add ARXIV_ID` adds one to your library; `readroom discover dismiss ARXIV_ID` hides one "
          "and counts it against similar papers.")


# --------------------------------------------------------------------------------------------- dismiss


def cmd_dismiss(args: argparse.Namespace) -> int:
    from readroom.discover import index

    now = clock.now()
    ids = [index.dismiss(arxiv_id, now=now, undo=args.undo) for arxiv_id in args.arxiv_ids]
    titles = index.papers(ids)
    for arxiv_id in ids:
        title = f": {clip(titles[arxiv_id].title, width() - 30)}" if arxiv_id in titles else ""
        print(f"{'Restored' if args.undo else 'Dismissed'} {arxiv_id}{title}")
    if not args.undo:
        print("Hidden from Discover, and counted against similar papers (`--undo` takes it back).")
    return 0

"""`readroom` with no command (the app, or a text welcome when piped), and the paper commands: `add`, `list`,
`show`, `remove`, `tag`, `reparse`, `classics`. Everything they do goes through library.py."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING

from readroom import __version__
from readroom.commands import whole_number
from readroom.errors import BadInput, ReadroomError
from readroom.terminal import clip as _clip
from readroom.terminal import error as _error
from readroom.terminal import excerpt as _excerpt
from readroom.terminal import print_json, printable
from readroom.terminal import size as _size
from readroom.terminal import width as _width
from readroom.terminal import wrap as _wrap

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def register(commands: argparse._SubParsersAction) -> None:
    add = commands.add_parser(
        "add", help="add papers by arXiv id or URL, DOI, PDF file or URL, or classic name",
        description="Fetch metadata and PDF, and parse the paper's structure. Takes one or more of: "
                    "1512.03385, 1512.03385v2, arXiv:1512.03385, an arxiv.org abs/pdf/html URL, hep-th/9901001, "
                    "10.48550/arXiv.1512.03385, path/to/paper.pdf, https://host/paper.pdf, resnet (see `readroom classics`).",
    )
    add.add_argument("queries", nargs="+", metavar="PAPER")
    add.add_argument("--update", action="store_true", help="fetch a newer arXiv version of a paper already added")
    add.add_argument("--title", help="title for a PDF file or URL (instead of the one found in the PDF)")
    add.add_argument("--authors", help="authors for a PDF file or URL, separated by commas or ' and '")
    add.add_argument("--year", type=whole_number(_years), help="year for a PDF file or URL")
    add.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag the added papers (repeatable)")
    add.add_argument("--pdf", action="store_true",
                     help="fetch the PDF of papers stored without one (their PDF could not be downloaded at first)")
    add.add_argument("--json", action="store_true", help="print the outcomes as JSON")
    add.set_defaults(func=cmd_add)

    lst = commands.add_parser("list", help="list the papers in your library")
    lst.add_argument("--tag", help="only papers with this tag")
    lst.add_argument("--search", "-s", metavar="WORDS", help="only papers whose title, authors or abstract hold all WORDS")
    lst.add_argument("--sort", default="added", choices=["added", "title", "year", "author"])
    lst.add_argument("--source", choices=["arxiv", "doi", "classic", "local", "url"])
    lst.add_argument("--status", type=_status,
                     help="only papers at this pass or with this decision: reading (any pass), pass1, pass2, pass3, "
                          "parked, dropped or done")
    lst.add_argument("--json", action="store_true", help="print a JSON array")
    lst.set_defaults(func=cmd_list)

    show = commands.add_parser("show", help="show one paper: metadata, your reading (notes, time, decisions, "
                                            "highlights), outline, figures, references")
    show.add_argument("paper", metavar="ID", help="paper id (or its first characters), arXiv id or classic name")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.add_argument("--text", action="store_true", help="include the text of each section")
    show.set_defaults(func=cmd_show)

    rm = commands.add_parser("remove", help="remove a paper and its PDF from your library")
    rm.add_argument("paper", metavar="ID")
    rm.add_argument("--yes", "-y", action="store_true", help="do not ask")
    rm.add_argument("--with-cards", action="store_true",
                    help="delete the paper's cards and their reviews too (without it they are kept, of no paper)")
    rm.set_defaults(func=cmd_remove)

    tag = commands.add_parser("tag", help="add tags to a paper (or remove them with --remove)")
    tag.add_argument("paper", metavar="ID")
    tag.add_argument("tags", nargs="+", metavar="TAG")
    tag.add_argument("--remove", action="store_true", help="remove these tags instead")
    tag.add_argument("--json", action="store_true")
    tag.set_defaults(func=cmd_tag)

    reparse = commands.add_parser("reparse", help="parse the stored PDF again")
    reparse.add_argument("papers", nargs="*", metavar="ID")
    reparse.add_argument("--all", action="store_true", help="every paper in the library")
    reparse.set_defaults(func=cmd_reparse)

    classics = commands.add_parser("classics", help="the catalogue of classic papers, and which you have read")
    classics.add_argument("--topic", help="only this topic")
    classics.add_argument("--json", action="store_true")
    classics.set_defaults(func=cmd_classics)


def _status(word: str) -> str:
    """One of reading.STATUSES, the space optional for the shell ('pass1'); imported only when --status is given."""
    from readroom.reading import STATUSES

    found = {status.replace(" ", ""): status for status in STATUSES}.get(word.replace(" ", "").lower())
    if found is None:
        raise argparse.ArgumentTypeError(
            f"{_excerpt(word)} is not a status; choose from {', '.join(s.replace(' ', '') for s in STATUSES)}")
    return found


def _years() -> range:
    from readroom.records.papers import YEARS

    return YEARS


def cmd_welcome(args: argparse.Namespace) -> int:
    """No command: in a terminal, open the reading room; piped or redirected, print the library as text."""
    from readroom import library

    if sys.stdin.isatty() and sys.stdout.isatty():
        # The app adds the demo paper itself, in a worker behind a loading indicator, so it paints at once;
        # the library is read while Textual imports (tui/preload.py). An upgrade comes first, its line shown.
        library.upgrade_if_behind()
        from readroom.tui import preload

        preload.start()
        from readroom.tui.app import run_app

        return run_app()
    outcome = library.ensure_demo()
    if outcome and outcome.status == "failed":
        _error(outcome.message)
    print(f"readroom {__version__}: read papers in three passes, and remember them.\n")
    papers = library.list_papers()
    print("Your library:")
    _print_papers(papers)
    print()
    _print_classics(library.classics_status(), limit=12)
    print("\nNext: `readroom add 1512.03385` (or `readroom add resnet`), `readroom show ID`, `readroom --help`.")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from readroom import library

    options = library.AddOptions(update=args.update, title=args.title, authors=_split_authors(args.authors),
                                 year=args.year, tags=args.tag, pdf=args.pdf)
    with _AddProgressBar(enabled=not args.json and sys.stderr.isatty()) as progress:
        outcomes = library.add(args.queries, options, progress)
    if args.json:
        print(json.dumps([{"query": o.query, "status": o.status, "message": o.message, "warning": o.warning,
                           "paper": o.paper.to_json() if o.paper else None} for o in outcomes], indent=2))
    for outcome in outcomes:
        if outcome.status == "failed":
            _error(f"{_excerpt(outcome.query)}: {outcome.message}" if len(outcomes) > 1 else outcome.message)
            continue
        assert outcome.paper is not None  # every outcome but a failed one names its paper
        if not args.json:
            print(f"{outcome.status:8} {outcome.paper.short_id}  {outcome.message}")
        if outcome.warning:
            _error(f"warning: {outcome.warning}")
    return max((o.exit_code for o in outcomes), default=0)


def _split_authors(text: str | None) -> list[str] | None:
    if not text:
        return None
    parts = [p.strip() for chunk in text.split(",") for p in chunk.split(" and ")]
    return [p for p in parts if p] or None


def cmd_list(args: argparse.Namespace) -> int:
    from readroom import library

    papers = library.list_papers(tag=args.tag, search=args.search, sort=args.sort, source=args.source)
    if args.status or args.json:
        from readroom import reading

        states = reading.states([p.id for p in papers])
        state = {p.id: states.get(p.id) or reading.ReadingState(p.id) for p in papers}
        if args.status:
            papers = [p for p in papers if reading.has_status(state[p.id], args.status)]
    if args.json:
        print_json([{**p.to_json(), "pass": state[p.id].pass_no, "decision": state[p.id].decision,
                     "status": state[p.id].status} for p in papers])
    elif not papers and (args.tag or args.search or args.source or args.status):
        print("  No paper matches; `readroom list` shows them all.")
    else:
        _print_papers(papers)
    return 0


_STRUCTURE_SOURCES = {"html": "structure from arXiv's HTML", "outline": "structure from the PDF outline",
                      "layout": "structure from layout analysis"}


def cmd_show(args: argparse.Namespace) -> int:
    from readroom import library, reading

    paper = library.show(args.paper)
    warning = library.structure_warning(paper)
    mine = reading.paper_reading(paper.id)
    if args.json:
        data = paper.to_json(with_text=args.text)
        data["structure_warning"] = warning
        data["reading"] = mine.to_json()
        print_json(data)
        return 0
    print(paper.title)
    print(", ".join(paper.authors) or "(authors unknown)")
    facts = [f"id {paper.id}", f"source {paper.source}"]
    if paper.arxiv_id:
        facts.append(f"arXiv {paper.arxiv_id}v{paper.arxiv_version}")
    if paper.year:
        facts.append(str(paper.year))
    if paper.doi:
        facts.append(f"doi {paper.doi}")
    if paper.tags:
        facts.append("tags " + ", ".join(paper.tags))
    if paper.structure_source:
        facts.append(_STRUCTURE_SOURCES.get(paper.structure_source, f"structure from {paper.structure_source}"))
    print(" · ".join(facts))
    if paper.pdf_path:
        print(f"PDF {paper.pdf_path} ({paper.page_count or '?'} pages, {_size(paper.pdf_size or 0)})")
    if paper.latest_version and paper.arxiv_version and paper.latest_version > paper.arxiv_version:
        print(f"arXiv has v{paper.latest_version}: `readroom add {paper.arxiv_id} --update` fetches it.")
    if paper.parse_status == library.NO_PDF:
        print(f"No PDF: {paper.parse_error or 'it could not be downloaded'}")
    elif paper.parse_status != "parsed":
        print(f"Not parsed: {paper.parse_error or 'parsing has not run'}")
    if warning:
        print(warning)
    if paper.abstract:
        print("\nAbstract\n  " + _wrap(paper.abstract, indent=2))
    _print_reading(mine)
    if paper.sections:
        print("\nOutline")
        for s in paper.sections:
            print(f"  {'  ' * (s.level - 1)}{s.title}  (p. {s.page})")
            if args.text and s.text:
                print("    " + _wrap(s.text, indent=4))
    if paper.figures:
        print("\nFigures and tables")
        for f in paper.figures:
            print(f"  p. {f.page:<3} {_clip(f.caption, _width() - 10)}")
            if f.image:
                print(f"         {printable(f.image)}")
    if paper.references:
        print(f"\nReferences ({len(paper.references)})")
        for i, r in enumerate(paper.references, 1):
            marks = f" [arXiv:{r.arxiv_id}]" if r.arxiv_id else ""
            number = "" if re.match(r"\[\d+\]", r.raw) else f"[{i}] "  # keep the paper's own numbering
            print(f"  {number}{_clip(r.raw, _width() - 8 - len(marks))}{marks}")
    return 0


def _print_reading(mine) -> None:
    """The user's own reading of the paper: status and time per pass, the five Cs, notes, decisions, highlights."""
    from readroom.reading import decided_words, minutes

    state = mine.state
    stopped = f" at pass {state.pass_no}" + (f": {state.reason}" if state.reason else "")
    print(f"\nYour reading: {state.status}" + ("" if state.decision == "reading" else stopped)
          + ("" if mine.started else " (not opened yet: `readroom` opens it)"))
    if not mine.started:
        return
    for plan in mine.plans.values():
        seconds = state.seconds.get(plan.number, 0.0)
        ticked, total = state.progress(plan.number)
        spent = f"{minutes(seconds)} of {minutes(plan.budget_seconds)}" if seconds else "not read"
        over = " (over budget)" if seconds > plan.budget_seconds else ""
        print(f"  Pass {plan.number} {plan.name:<10} {spent}{over}, checklist {ticked}/{total}")
    five = mine.five_cs()
    if any(n.text.strip() for n in five):
        print("\nThe five Cs")
        for note in five:
            print(f"  {note.label + ':':<15}{_block(note.text, 17) if note.text.strip() else '-'}")
    for plan in mine.plans.values():
        if notes := mine.notes(plan.number):
            print(f"\nPass {plan.number} notes ({plan.name})")
            for note in notes:
                print(f"  {note.label}:\n    {_block(note.text, 4)}")
    if state.decisions:
        print("\nDecisions")
        for decided in state.decisions:
            print(f"  {decided.at.astimezone():%Y-%m-%d %H:%M}  pass {decided.pass_no}: {decided_words(decided)}")
    if mine.highlights:
        print(f"\nHighlights ({len(mine.highlights)})")
        for h in mine.highlights:
            where = f"p. {h.page}" if h.page else "p. ?"
            print(f"  {where:<6} “{_block(h.text, 9)}”")
            if h.note:
                print(f"         note: {_block(h.note, 15)}")


def _block(text: str, indent: int) -> str:
    """Text of several lines or paragraphs, each wrapped to the terminal, the lines after the first indented."""
    lines = [_wrap(line, indent) for line in text.strip().splitlines()]
    return ("\n" + " " * indent).join(lines)


def cmd_remove(args: argparse.Namespace) -> int:
    from readroom import library

    paper = library.show(args.paper)
    cards = library.cards_of(paper.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise BadInput("Not removing without confirmation; pass --yes to remove from a script.")
        if not cards:
            question = f"Remove “{paper.title}” and its PDF?"
        elif args.with_cards:
            question = f"Remove “{paper.title}”, its PDF and its {cards}?"
        else:
            question = f"Remove “{paper.title}” and its PDF? Its {cards} stay (--with-cards deletes them too)."
        answer = input(printable(f"{question} [y/N] ")).strip().lower()  # a prompt skips the guard
        if answer not in {"y", "yes"}:
            print("Kept.")
            return 1
    removed = library.remove(paper.id, with_cards=args.with_cards)
    if not cards:
        print(f"Removed {removed.title}")
    elif args.with_cards:
        print(f"Removed {removed.title} and its {cards}")
    else:
        # Kept unless asked: cards and their reviews are the user's work, not the paper's (Note.paper_id SET NULL).
        print(f"Removed {removed.title}; kept its {cards}, still reviewed and exported "
              "(`readroom remove --with-cards` deletes a paper's cards with it)")
    return 0



def cmd_tag(args: argparse.Namespace) -> int:
    from readroom import library

    paper = library.tag(args.paper, args.tags, remove_tags=args.remove)
    if args.json:
        print_json(paper.to_json())
    else:
        print(f"{paper.short_id}  {paper.title}: tags {', '.join(paper.tags) or '(none)'}")
    return 0


def cmd_reparse(args: argparse.Namespace) -> int:
    from readroom import library

    if args.all == bool(args.papers):
        raise BadInput("Give paper ids to parse again, or --all (not both).")
    refs = [p.id for p in library.list_papers()] if args.all else args.papers
    code = 0
    with _AddProgressBar(enabled=sys.stderr.isatty()) as progress:
        for ref in refs:
            try:
                outcome = library.reparse(ref, progress)
            except ReadroomError as exc:
                _error(f"{_excerpt(ref)}: {exc.message}" if len(refs) > 1 else exc.message)
                code = exc.exit_code
                continue
            assert outcome.paper is not None  # reparse fails by raising, so its outcome names the paper
            print(f"{outcome.paper.short_id}  {outcome.paper.title}: {outcome.message}")
            if outcome.warning:
                _error(f"warning: {outcome.warning}")
    return code


def cmd_classics(args: argparse.Namespace) -> int:
    from readroom import library, reading

    rows = [r for r in library.classics_status() if not args.topic or r.classic.topic == args.topic]
    states = reading.states([r.paper.id for r in rows if r.paper])
    if args.json:
        print_json([{
            "key": r.classic.key, "title": r.classic.title, "authors": list(r.classic.authors),
            "year": r.classic.year, "arxiv": r.classic.arxiv, "pdf_url": r.classic.pdf_url,
            "topic": r.classic.topic, "why": r.classic.why, "seed": r.classic.seed,
            "in_library": r.paper is not None, "paper_id": r.paper.id if r.paper else None,
            "progress": _progress_word(r.paper, states),
        } for r in rows])
        return 0
    _print_classics(rows, states=states)
    return 0


# ------------------------------------------------------------------------------------------- printing


def _print_papers(papers) -> None:
    from readroom.library import NO_PDF

    if not papers:
        print("  (empty) Add a paper with `readroom add 1512.03385`, a PDF file, or a classic: `readroom add resnet`.")
        return
    width = _width()
    title_width = max(20, width - 8 - 2 - 18 - 2 - 4 - 2 - 12 - 4)
    for p in papers:
        mark = {"parsed": "", NO_PDF: " (no PDF)"}.get(p.parse_status, " (unparsed)")
        tags = (" #" + " #".join(p.tags)) if p.tags else ""
        print(f"{p.short_id}  {_clip(p.first_author, 18):18}  {p.year or '':>4}  "
              f"{_clip(p.title + mark + tags, title_width)}")
    print(f"{len(papers)} paper{'s' if len(papers) != 1 else ''}")


def _progress_word(paper, states: dict) -> str:
    """How far a classic was read: 'not added', 'pass 1'..'pass 3', 'parked', 'dropped' or 'done'."""
    if paper is None:
        return "not added"
    state = states.get(paper.id)
    return state.status if state else "pass 1"


def _print_classics(rows, limit: int | None = None, states: dict | None = None) -> None:
    shown = rows[:limit] if limit else rows
    states = states or {}
    print(f"Classic papers ({len(rows)}; ✓ = in your library; `readroom add KEY` adds one):")
    width = _width()
    key_width = max((len(r.classic.key) for r in shown), default=10)
    for r in shown:
        c = r.classic
        mark = "✓" if r.paper else " "
        status = f"[{_progress_word(r.paper, states)}] " if r.paper else ""
        head = f" {mark} {c.key:{key_width}} {c.year}  "
        print(head + _clip(status + c.title, width - 1 - len(head)))
    if limit and len(rows) > limit:
        print(f"   … and {len(rows) - limit} more: `readroom classics`")


class _AddProgressBar:
    """Rich progress bars on stderr for downloads and parsing; silent when not on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self):
        if self.enabled:
            from readroom.terminal import progress_bar

            self._progress = progress_bar()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress:
            self._progress.stop()

    def step(self, query: str, text: str) -> None:
        if self._progress:
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task = self._progress.add_task(printable(f"{_clip(query, 30)}: {text}"), total=None, detail="")

    def download(self, done: int, total: int | None) -> None:
        size = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
        self._update(done, total, size)

    def parse(self, done: int, total: int) -> None:
        self._update(done, total, f"page {done}/{total}")

    def _update(self, done: int, total: int | None, detail: str) -> None:
        if self._progress and self._task is not None:
            self._progress.update(self._task, completed=done, total=total, detail=detail)

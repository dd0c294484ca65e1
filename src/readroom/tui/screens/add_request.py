"""What the user typed in the add box, read the way `readroom add` reads its arguments.

No Textual here: the app's worker hands the result to library.add.
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from readroom.errors import BadInput
from readroom.library import AddOptions


class _Parser(argparse.ArgumentParser):
    # argparse prints and exits on a mistake; inside the app that would kill the screen.
    def error(self, message: str) -> None:  # type: ignore[override]
        raise BadInput(f"Cannot read that: {message}.")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        raise BadInput(message or "Cannot read that.")


def _parser() -> _Parser:
    # The options of `readroom add` (see cli.build_parser), minus --json which means nothing here.
    parser = _Parser(prog="add", add_help=False)
    parser.add_argument("queries", nargs="*")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--title")
    parser.add_argument("--authors")
    parser.add_argument("--year", type=int)
    parser.add_argument("--tag", action="append", default=[])
    return parser


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long to be a file's: read the text as words
        return False


@dataclass
class AddRequest:
    queries: list[str]
    options: AddOptions


def parse_add_input(text: str) -> AddRequest:
    """`1512.03385 resnet --tag vision`, a pasted path with spaces, or `"my paper.pdf" --title T`."""
    text = text.strip()
    if not text:
        raise BadInput("Type an arXiv id or URL, a DOI, a PDF file or URL, or a classic name (see the catalogue: c).")
    pasted = Path(text.strip("'\"")).expanduser()
    if " " in text and _is_file(pasted):  # a path pasted without quotes
        return AddRequest([str(pasted)], AddOptions())
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise BadInput(f"Cannot read that: {exc}.") from None
    args = _parser().parse_args(words)
    if not args.queries:
        raise BadInput("Nothing to add: give an arXiv id, DOI, URL, PDF file or classic name.")
    authors = [a.strip() for a in re.split(r",| and ", args.authors) if a.strip()] if args.authors else None
    queries = [str(Path(q).expanduser()) if q.startswith("~") else q for q in args.queries]
    return AddRequest(queries, AddOptions(update=args.update, title=args.title, authors=authors, year=args.year,
                                          tags=args.tag))

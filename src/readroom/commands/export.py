"""`readroom export` (Anki .apkg, with scheduling through the anki backend, or BibTeX) and `readroom decks`
(the starter decks). Heavy imports (genanki, anki, sqlmodel) stay inside the functions."""

from __future__ import annotations

import argparse
import json
import sys

from readroom import clock


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="export cards as an Anki deck (.apkg), papers as BibTeX, or your reading notes as Markdown",
        description="Write your cards as an Anki deck, by default to $READROOM_HOME/exports/ named by what it holds "
                    "and the day (readroom-all-DATE.apkg, readroom-paper-NAME-DATE.apkg, readroom-tag-TAG-DATE.apkg; "
                    "exporting the same again that day replaces it, and Anki updates its notes from it), "
                    "or your papers as BibTeX (to stdout unless -o), "
                    "or your reading notes as Markdown, one file per paper (--notes, to exports/notes/ unless -o).")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--paper", metavar="ID", help="only this paper's cards (id, arXiv id or classic name)")
    which.add_argument("--tag", metavar="T", help="only cards (or papers) with this tag")
    which.add_argument("--all", action="store_true", help="everything (the default)")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="where to write (an existing file is replaced, and the output says so); "
                             "a deck without an extension gets .apkg")
    kind = export.add_mutually_exclusive_group()
    kind.add_argument("--with-scheduling", action="store_true",
                      help="carry FSRS state and review history; a FILE ending in .colpkg gives a whole Anki "
                           "collection (that needs pip install 'readroom[anki]')")
    kind.add_argument("--bibtex", action="store_true", help="BibTeX entries for papers instead of cards")
    kind.add_argument("--notes", action="store_true",
                      help="your reading notes as Markdown with YAML front matter, one FILE.md per paper, into the "
                           "folder -o names (Obsidian-friendly; a paper's file is replaced on the next export)")
    export.add_argument("--json", action="store_true", help="print what was written as JSON")
    export.set_defaults(func=cmd_export)

    decks = commands.add_parser("decks", help="list the starter decks, or load one into your cards",
                                description="Starter decks written by the readroom team (shipped in decks/).")
    decks.add_argument("--json", action="store_true", help="print a JSON array")
    decks.set_defaults(func=cmd_decks)
    actions = decks.add_subparsers(dest="action", metavar="ACTION")
    load = actions.add_parser("load", help="add a deck's cards (a second load adds nothing)")
    load.add_argument("name", metavar="NAME", help="deck name, as `readroom decks` lists it")
    load.add_argument("--json", action="store_true", help="print one JSON object")
    load.set_defaults(func=cmd_decks_load)


def _selection(args: argparse.Namespace):
    from readroom.export.selection import CardFilter

    return CardFilter(paper=args.paper, tag=args.tag)


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from readroom.export import service

    output = Path(args.output).expanduser() if args.output else None
    if args.notes:
        from readroom.export.markdown import export_notes

        notes = export_notes(_selection(args), output, clock.now())
        print(json.dumps(notes.to_json()) if args.json else notes.message())
        return 0
    if args.bibtex and output is None:
        text, count = service.bibtex_text(_selection(args))
        # JSON carries the entries themselves, since nothing was written to a file
        sys.stdout.write(json.dumps({"path": None, "entries": count, "bibtex": text}) + "\n" if args.json else text)
        return 0
    if args.bibtex:
        written = service.write_bibtex(_selection(args), output, clock.now())
    else:
        written = service.export_cards(_selection(args), output, clock.now(), with_scheduling=args.with_scheduling)
    if args.json:
        print(json.dumps(written.to_json() if args.bibtex else {**written.to_json(),
                                                                 "scheduling": args.with_scheduling}))
    else:
        print(written.message())
    return 0


def cmd_decks(args: argparse.Namespace) -> int:
    from readroom import decks
    from readroom.terminal import width

    statuses = decks.list_decks()
    if args.json:
        print(json.dumps([s.to_json() for s in statuses], indent=2))
        return 0
    if not statuses:
        print("No starter decks are installed.")
        return 0
    name_w = max(len(s.name) for s in statuses)
    print(f"{'NAME':<{name_w}}  NOTES  LOADED  TITLE")  # a deck entry is a note: a cloze makes several cards
    for s in statuses:
        line = f"{s.name:<{name_w}}  {s.cards:>5}  {s.loaded:>6}  {s.title}"
        print(line if len(line) <= width() else line[:width() - 1] + "…")
    print("\nLoad one with `readroom decks load NAME`.")
    return 0


def cmd_decks_load(args: argparse.Namespace) -> int:
    from readroom import decks

    result = decks.load(args.name, clock.now())
    if args.json:
        print(json.dumps(result.__dict__))
        return 0
    if result.added:
        print(f"Loaded {result.added} note{'s' * (result.added != 1)} ({result.cards_added} cards) from {result.name}.")
    if result.already:
        print(f"{result.already} were already loaded and were left as they are.")
    if result.linked:
        print(f"Linked {result.linked} to papers in your library.")
    return 0

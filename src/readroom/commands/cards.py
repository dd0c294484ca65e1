"""The card commands: `due`, `cards`, `card add|suspend|unsuspend|delete`, `optimize`. Everything they do goes
through the cards service; `due` reads with stdlib sqlite3 only, for status bars."""

from __future__ import annotations

import argparse
import json
import sys

from readroom import clock
from readroom.commands import whole_number
from readroom.errors import BadInput
from readroom.terminal import clip as _clip
from readroom.terminal import print_json
from readroom.terminal import width as _width


def register(commands: argparse._SubParsersAction) -> None:
    due = commands.add_parser("due", help="how many cards are due now: new, learning, review (for status bars)")
    due.add_argument("--json", action="store_true", help='print {"new": N, "learning": N, "review": N}')
    due.set_defaults(func=cmd_due)

    cards = commands.add_parser("cards", help="list and search your cards")
    cards.add_argument("--paper", metavar="ID", help="only cards made from this paper")
    cards.add_argument("--tag", help="only cards with this tag")
    cards.add_argument("--state", choices=["new", "learning", "review", "relearning", "suspended", "buried", "leech"])
    cards.add_argument("--search", "-s", metavar="WORDS", help="only cards whose text holds all WORDS")
    cards.add_argument("--json", action="store_true", help="print a JSON array")
    cards.set_defaults(func=cmd_cards)

    card = commands.add_parser("card", help="make, suspend or delete a card")
    card.set_defaults(func=lambda args: card.print_help() or 2)
    card_commands = card.add_subparsers(title="card commands", metavar="ACTION")
    card_add = card_commands.add_parser(
        "add", help="a question/answer card (--front, --back) or cloze cards (--cloze) from a paper",
        description='Examples: readroom card add resnet --front "What does a residual block add?" --back "its input"; '
                    'readroom card add resnet --cloze "Residual nets learn {{c1::F(x) = H(x) - x}}".')
    card_add.add_argument("paper", metavar="PAPER", help="paper id (or its first characters), arXiv id or classic name")
    card_add.add_argument("--front", help="the question")
    card_add.add_argument("--back", default="", help="the answer")
    card_add.add_argument("--cloze", metavar="TEXT", help="text with deletions: {{c1::answer}} or {{c1::answer::hint}}")
    card_add.add_argument("--section", help="the section the card comes from")
    card_add.add_argument("--page", type=whole_number(_pages), help="the page the card comes from")
    card_add.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag the card (repeatable)")
    card_add.add_argument("--json", action="store_true")
    card_add.set_defaults(func=cmd_card_add)
    for name, text in (("suspend", "suspend cards (they are not shown until unsuspended)"),
                       ("unsuspend", "unsuspend cards"),
                       ("delete", "delete cards and their review history")):
        action = card_commands.add_parser(name, help=text)
        action.add_argument("cards", nargs="+", metavar="CARD", help="card id (first characters of its uuid)")
        if name == "delete":
            action.add_argument("--yes", "-y", action="store_true", help="do not ask")
        action.set_defaults(func=cmd_card_change, action=name)

    optimize = commands.add_parser(
        "optimize", help="fit the FSRS parameters to your own review history",
        description="Needs the optional extra: pip install 'readroom[optimizer]' (pulls in torch).")
    optimize.set_defaults(func=cmd_optimize)


def _pages() -> range:
    from readroom.records.cards import PAGES

    return PAGES


def cmd_due(args: argparse.Namespace) -> int:
    # Reads with stdlib sqlite3 only (no SQLModel, no fsrs): status bars call this often.

    from readroom.cards import service

    counts = service.due_counts(clock.now())
    if args.json:
        print(json.dumps(counts))
    else:
        print(f"new {counts['new']}  learning {counts['learning']}  review {counts['review']}")
    return 0


def cmd_cards(args: argparse.Namespace) -> int:

    from readroom.cards import service

    now = clock.now()
    cards = service.list_cards(paper=args.paper, tag=args.tag, state=args.state, search=args.search, now=now)
    if args.json:
        print_json([c.to_json() for c in cards])
        return 0
    _print_cards(cards, now)
    return 0


def _print_cards(cards, now) -> None:
    if not cards:
        print("  (no cards) Make one with `readroom card add PAPER --front Q --back A` or `--cloze TEXT`.")
        return
    width = _width()
    for c in cards:
        due = c.due.astimezone().strftime("%Y-%m-%d") if c.state else ""
        tags = (" #" + " #".join(c.tags)) if c.tags else ""
        print(f"{c.short_id}  {c.status(now):10}  {due:10}  {_clip(c.question + tags, width - 36)}")
    print(f"{len(cards)} card{'s' if len(cards) != 1 else ''}")


def cmd_card_add(args: argparse.Namespace) -> int:

    from readroom import library
    from readroom.cards import service

    if bool(args.front) == bool(args.cloze):
        raise BadInput("Give either --front (with --back) for a question/answer card, or --cloze TEXT.")
    paper_id = library.resolve(args.paper)
    kind, front, back = ("cloze", args.cloze, args.back) if args.cloze else ("qa", args.front, args.back)
    cards = service.add_note(kind, front, back, now=clock.now(), paper_id=paper_id,
                             section=args.section, page=args.page, tags=args.tag)
    if args.json:
        print_json([c.to_json() for c in cards])
        return 0
    for c in cards:
        print(f"added    {c.short_id}  {_clip(c.question, _width() - 20)}")
    return 0


def cmd_card_change(args: argparse.Namespace) -> int:
    from readroom.cards import service

    ids = [service.resolve_card(ref) for ref in args.cards]
    if args.action == "delete":
        if not args.yes:
            if not sys.stdin.isatty():
                raise BadInput("Not deleting without confirmation; pass --yes to delete from a script.")
            plural = "s" if len(ids) > 1 else ""
            if input(f"Delete {len(ids)} card{plural} and their review history? [y/N] ").strip().lower() not in {"y", "yes"}:
                print("Kept.")
                return 1
        for card_id in ids:
            service.delete_card(card_id)
    else:
        service.set_suspended(ids, suspended=args.action == "suspend")
    done = {"delete": "Deleted", "suspend": "Suspended", "unsuspend": "Unsuspended"}[args.action]
    print(f"{done} {len(ids)} card{'s' if len(ids) != 1 else ''}.")
    return 0


def cmd_optimize(args: argparse.Namespace) -> int:
    from readroom.cards.optimize import optimize

    outcome = optimize(on_start=lambda n: print(f"Fitting FSRS parameters to {n} reviews…", file=sys.stderr))
    if outcome.needed:
        print(f"You have {outcome.reviews} reviews; fitting FSRS needs at least {outcome.reviews + outcome.needed}, "
              f"so {outcome.needed} more. Until then the default parameters (fitted on millions of reviews) are used.")
        if not outcome.optimizer_installed:
            print("The FSRS optimizer is not installed either (it needs torch): pip install 'readroom[optimizer]'.")
        return 0
    print(f"Saved {outcome.parameters} parameters to {outcome.saved_to}; they are used from the next answer on.")
    return 0

"""The card commands: `due`, `cards`, `card add|figure|occlude|suspend|unsuspend|delete`, `optimize`. Everything they do goes
through the cards service; `due` reads with stdlib sqlite3 only, for status bars."""

from __future__ import annotations

import argparse
import json
import re
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
    figure = card_commands.add_parser(
        "figure", help="a card with a figure's image (and its caption, or --question) on the front, --answer on the back",
        description='Example: readroom card figure resnet "Figure 2" --answer "a residual block: F(x) + x". '
                    "LABEL is as `readroom show PAPER` lists it; a bare number means that figure.")
    occlude = card_commands.add_parser(
        "occlude", help="image-occlusion cards: one card per --area hidden on a figure's image, as Anki's",
        description='Example: readroom card occlude resnet 2 --area 0.1,0.2,0.3,0.1 --area 0.5,0.6,0.2,0.1 '
                    '--header "Name the layers". Each card hides one area and shows the others.')
    for action in (figure, occlude):
        action.add_argument("paper", metavar="PAPER", help="paper id (or its first characters), arXiv id or classic name")
        action.add_argument("label", metavar="LABEL", help='the figure or table: "Figure 3", "Table 1", "3"')
    figure.add_argument("--answer", required=True, help="what the figure should bring to mind")
    figure.add_argument("--question", help="the question shown with the image (default: the caption)")
    occlude.add_argument("--area", action="append", default=[], type=_numbers, metavar="L,T,W,H",
                         help="an area to hide: left, top, width, height as fractions of the image (repeatable)")
    occlude.add_argument("--area-px", action="append", default=[], type=_numbers, metavar="X,Y,W,H",
                         help="an area to hide in pixels of the stored image (repeatable)")
    occlude.add_argument("--header", default="", help="the text shown above the image")
    occlude.add_argument("--back", default="", help="extra text shown with the answer")
    for action in (figure, occlude):
        action.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag the cards (repeatable)")
        action.add_argument("--json", action="store_true")
    figure.set_defaults(func=cmd_card_figure)
    occlude.set_defaults(func=cmd_card_occlude)
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
        print(f"{c.short_id}  {c.status(now):10}  {due:10}  {_clip(_shown(c) + tags, width - 36)}")
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
    _print_added(cards, args.json)
    return 0


def _numbers(text: str) -> tuple[float, ...]:
    try:
        numbers = tuple(float(part) for part in text.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != 4:
        raise argparse.ArgumentTypeError(f"{text!r} is not four numbers separated by commas")
    return numbers


def _figure(paper_ref: str, label: str):
    """The paper and its figure or table `label` ("Figure 3", "fig. 3", "Table 1", or "3" for a figure first)."""
    from readroom import library

    paper = library.show(paper_ref)
    wanted = _label_key(label)
    for kinds in (("figure",), ("table",)) if wanted[0] == "" else ((wanted[0],),):
        for caption in paper.figures:
            if caption.kind in kinds and _label_key(caption.label)[1] == wanted[1]:
                if not caption.image:
                    raise BadInput(f"{caption.label} of this paper has no image: its region was not found when the "
                                   "paper was parsed (`readroom reparse PAPER` tries again).")
                return paper, caption
    listed = ", ".join(c.label for c in paper.figures) or "none were found when it was parsed"
    raise BadInput(f"No {_clip(label, 40)!r} in this paper; its figures and tables: {_clip(listed, 200)}.")


def _label_key(label: str) -> tuple[str, str]:
    """("figure" | "table" | "", its number in lower case): "Fig. 3" and "Figure 3" alike."""
    match = re.fullmatch(r"\s*(?:(fig(?:ure)?|tab(?:le)?)\.?\s*)?([\w.-]+?)\.?\s*", label, re.I)
    if not match:
        return ("?", label.lower())
    kind = {"f": "figure", "t": "table"}.get((match[1] or " ")[0].lower(), "")
    return kind, match[2].lower()


def cmd_card_figure(args: argparse.Namespace) -> int:
    from pathlib import Path

    from readroom.cards import figures

    paper, caption = _figure(args.paper, args.label)
    card = figures.add_figure_card(Path(caption.image), args.answer, now=clock.now(),
                                   question=caption.caption if args.question is None else args.question,
                                   paper_id=paper.id, page=caption.page, tags=args.tag)
    _print_added([card], args.json)
    return 0


def cmd_card_occlude(args: argparse.Namespace) -> int:
    from pathlib import Path

    from readroom.cards import figures

    paper, caption = _figure(args.paper, args.label)
    areas = list(args.area)
    if args.area_px:
        import pymupdf

        size = pymupdf.Pixmap(caption.image)
        areas += [(x / size.width, y / size.height, w / size.width, h / size.height) for x, y, w, h in args.area_px]
    if not areas:
        raise BadInput("Give the areas to hide: --area LEFT,TOP,WIDTH,HEIGHT as fractions of the image "
                       "(or --area-px X,Y,W,H in its pixels), once per area.")
    cards = figures.add_occlusion_cards(Path(caption.image), areas, now=clock.now(), header=args.header,
                                        back=args.back, paper_id=paper.id, page=caption.page, tags=args.tag)
    _print_added(cards, args.json)
    return 0


def _print_added(cards, as_json: bool) -> None:
    if as_json:
        print_json([c.to_json() for c in cards])
        return
    for c in cards:
        print(f"added    {c.short_id}  {_clip(_shown(c), _width() - 20)}")


def _shown(card) -> str:
    """A card's line in lists: figure cards marked, an occlusion card named by the area it hides."""
    if card.kind == "figure":
        return f"[image] {card.question}"
    if card.kind == "occlude":
        return f"[image, area {card.ord}/{len(card.areas)}] {card.question}"
    return card.question


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

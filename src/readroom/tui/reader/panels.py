"""The widgets of the reader's side panel, built from plain data: outline, checklist, lists, note boxes."""

from __future__ import annotations

import re

from textual.widgets import Input, OptionList, SelectionList, TextArea, Tree
from textual.widgets.option_list import Option

from readroom.reading import PassPlan, ReadingState
from readroom.records import PaperDetail
from readroom.tui.reader.document import Anchor


def slot_widget_id(slot: str) -> str:
    """A widget id for a note slot ("cs:category" -> "note-cs-category")."""
    return "note-" + re.sub(r"[^A-Za-z0-9_-]+", "-", slot).strip("-")


def outline_tree(anchors: list[Anchor]) -> Tree[Anchor]:
    tree: Tree[Anchor] = Tree("Outline", id="reader-outline")
    tree.show_root = False
    stack = [(0, tree.root)]  # (level, node): subsections hang under their section
    for anchor in anchors:
        while len(stack) > 1 and stack[-1][0] >= anchor.level:
            stack.pop()
        parent = stack[-1][1]
        node = parent.add(anchor.title, data=anchor, expand=True, allow_expand=False)
        stack.append((anchor.level, node))
    for node in _all_nodes(tree.root):
        if not node.children:
            node.allow_expand = False
        else:
            node.allow_expand = True
    return tree


def _all_nodes(node):
    for child in node.children:
        yield child
        yield from _all_nodes(child)


def checklist(plan: PassPlan, state: ReadingState) -> SelectionList[str]:
    ticked = state.ticks.get(plan.number, set())
    return SelectionList[str](*[(item.text, item.id, item.id in ticked) for item in plan.items],
                              id="reader-checklist")


def slot_input(plan: PassPlan, state: ReadingState, slot) -> Input | TextArea:
    """Short notes (the five Cs) are one-line inputs; the longer ones of passes 2 and 3 are small text boxes."""
    text = state.note(plan.number, slot.slot)
    if plan.number == 1:
        return Input(text, placeholder=slot.hint, id=slot_widget_id(slot.slot), classes="slot-note")
    area = TextArea(text, id=slot_widget_id(slot.slot), classes="slot-note", soft_wrap=True, show_line_numbers=False)
    area.placeholder = slot.hint
    return area


def references_list(detail: PaperDetail, marks: list[bool]) -> OptionList:
    options = [Option(f"{'✓' if mark else '·'} [{n}] {ref.raw}", id=f"ref-{n - 1}")
               for n, (ref, mark) in enumerate(zip(detail.references, marks, strict=False), start=1)]
    return OptionList(*options, id="reader-references")


def figures_list(detail: PaperDetail) -> OptionList:
    return OptionList(*[Option(f"{fig.caption}  (p. {fig.page})", id=f"fig-{i}")
                        for i, fig in enumerate(detail.figures)], id="reader-figures")


def links_list(links: list[str]) -> OptionList:
    return OptionList(*[Option(url, id=f"link-{i}") for i, url in enumerate(links)], id="reader-links")


def highlight_options(highlights) -> list[Option]:
    return [Option(f"{h.kind or '·'} p.{h.page or '?'} {' '.join(h.text.split())}" + (f" — {h.note}" if h.note else ""),
                   id=f"hl-{h.id}") for h in highlights]


def highlights_list(highlights) -> OptionList:
    return OptionList(*highlight_options(highlights), id="reader-highlights")

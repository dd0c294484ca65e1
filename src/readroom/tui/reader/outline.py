"""The outline beside the text: the paper's sections, subsections under their section. On a narrow terminal
it hides until ctrl+b; once toggled it stays as the user chose."""

from __future__ import annotations

from textual.widgets import Tree

from readroom.tui.plain import plain
from readroom.tui.reader.document import Anchor

NARROW_WIDTH = 100  # below this the outline hides until toggled


class Outline(Tree[Anchor]):
    def __init__(self, anchors: list[Anchor], chosen: bool | None) -> None:
        super().__init__("Outline", id="reader-outline")
        self.chosen = chosen  # shown or hidden by ctrl+b; None: decided by the width
        self.show_root = False
        stack = [(0, self.root)]  # (level, node): subsections hang under their section
        for anchor in anchors:
            while len(stack) > 1 and stack[-1][0] >= anchor.level:
                stack.pop()
            parent = stack[-1][1]
            node = parent.add(plain(anchor.title), data=anchor, expand=True, allow_expand=False)
            stack.append((anchor.level, node))
        for node in _all_nodes(self.root):
            node.allow_expand = bool(node.children)

    def fit(self, width: int) -> None:
        shown = self.chosen if self.chosen is not None else width >= NARROW_WIDTH
        if self.display != shown:
            self.display = shown

    def toggle(self) -> bool:
        self.chosen = not self.display
        return self.chosen


def _all_nodes(node):
    for child in node.children:
        yield child
        yield from _all_nodes(child)

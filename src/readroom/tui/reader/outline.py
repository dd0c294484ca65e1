"""The outline beside the text: the paper's sections, subsections under their section."""

from __future__ import annotations

from textual.widgets import Tree

from readroom.tui.reader.document import Anchor


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

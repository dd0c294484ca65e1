"""Outside text (titles, authors, headings, tags, notes, card text, file names) for widgets: a rich Text that is
never parsed as markup, with its terminal controls shown as symbols (terminal.printable). Widgets parse a str
as markup, so "1 Introduction [/]" would raise MarkupError and ESC would reach the terminal."""

from __future__ import annotations

from rich.text import Text

from readroom.terminal import printable


def plain(text: str, keep: str = "", **style) -> Text:
    """`text` as it reads; `keep` "\n" for fields that may run over lines; `style` as Text takes it."""
    return Text(printable(text, keep), **style)

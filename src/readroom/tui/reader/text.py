"""The paper's text: a read-only TextArea that also paints every find match and the user's highlights."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

MATCH, HIGHLIGHT = "match", "highlight"


class ReaderText(TextArea):
    """Spans are character ranges of the text, kept per line as (start column, end column, kind).

    They are painted through `get_line`, TextArea's documented hook for extra styling, so selection and
    cursor still draw on top of them.
    """

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(text, read_only=True, soft_wrap=True, show_line_numbers=False, show_cursor=True, **kwargs)
        self._spans: dict[str, dict[int, list[tuple[int, int]]]] = {MATCH: {}, HIGHLIGHT: {}}
        self._styles: dict[str, Style] = {}

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _: self._restyle(), init=True)

    def _restyle(self) -> None:
        # Muted theme colours are made to carry text in both light and dark themes.
        colours = self.app.theme_variables
        self._styles = {
            MATCH: Style.parse(f"bold on {colours.get('warning-muted', 'yellow')}"),
            HIGHLIGHT: Style.parse(f"underline on {colours.get('accent-muted', 'blue')}"),
        }
        self.notify_style_update()
        self.refresh()

    def set_spans(self, kind: str, ranges: list[tuple[int, int]]) -> None:
        """Paint these character ranges (offsets into the text) as `kind`, replacing that kind's earlier ones."""
        lines: dict[int, list[tuple[int, int]]] = {}
        doc = self.document
        for start, end in ranges:
            (row, col), (end_row, end_col) = doc.get_location_from_index(start), doc.get_location_from_index(end)
            while row < end_row:  # a range over several lines paints each of them
                lines.setdefault(row, []).append((col, len(doc.get_line(row))))
                row, col = row + 1, 0
            lines.setdefault(row, []).append((col, end_col))
        self._spans[kind] = lines
        self.notify_style_update()  # TextArea caches rendered lines; this clears the cache
        self.refresh()

    def selected_range(self) -> tuple[int, int]:
        """The selection as character offsets into the text, start first (equal when nothing is selected)."""
        doc = self.document
        start, end = sorted(doc.get_index_from_location(loc) for loc in (self.selection.start, self.selection.end))
        return start, end

    def select_range(self, start: int, end: int) -> None:
        """Select characters start..end of the text and scroll them to the middle of the view."""
        doc = self.document
        self.selection = Selection(doc.get_location_from_index(start), doc.get_location_from_index(end))
        self.scroll_cursor_visible(center=True)

    def spans(self, kind: str) -> dict[int, list[tuple[int, int]]]:
        return self._spans[kind]

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for kind in (HIGHLIGHT, MATCH):  # a match shows over a highlight
            style = self._styles.get(kind)
            for start, end in self._spans[kind].get(line_index, ()) if style else ():
                line.stylize(style, start, end)
        return line

"""A DataTable whose columns all have fixed widths and whose rows are one line, as our tables are; it fills
long lists a frame at a time and keeps the cursor on the same row across refills."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from textual.geometry import Size
from textual.widgets import DataTable

T = TypeVar("T")
FIRST_FILL = 100  # rows added before the first frame: more than any terminal shows
TAIL_CHUNK = 200  # rows added per frame after it (~8 ms), so keys pressed meanwhile are answered at once


class FixedWidthTable(DataTable):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._generation = 0  # bumped by every fill: rows still being added for an older one stop

    def fill(self, items: Sequence[T], row: Callable[[T], tuple[str, Sequence[Any]]], keep: str | None = None,
             on_kept: Callable[[], None] | None = None) -> None:
        """Show `items` (row(item) gives its key and cells): the first screenful now, the rest TAIL_CHUNK a frame
        after. A row costs ~40 µs, so 1,000 at once would hold up the first paint and every search keystroke.
        The cursor goes back to the row with key `keep` as soon as it is in; `on_kept` runs if that happens
        only after the first frame."""
        self.clear()
        self._generation += 1
        self._add(items[:FIRST_FILL], row)
        if self.move_cursor_to(keep):
            keep = None
        if tail := items[FIRST_FILL:]:
            self.call_after_refresh(self._add_tail, self._generation, tail, row, keep, on_kept)

    def _add_tail(self, generation: int, items: Sequence[T], row, keep: str | None, on_kept) -> None:
        if generation != self._generation:  # a newer fill (a keystroke in a search) replaced these rows
            return
        self._add(items[:TAIL_CHUNK], row)
        if self.move_cursor_to(keep):
            keep = None
            if on_kept is not None:
                on_kept()
        if rest := items[TAIL_CHUNK:]:
            self.call_after_refresh(self._add_tail, generation, rest, row, keep, on_kept)

    def _add(self, items: Sequence[T], row) -> None:
        for item in items:
            key, cells = row(item)
            self.add_row(*cells, key=key)

    def move_cursor_to(self, key: str | None) -> bool:
        if not key or key not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(key), animate=False)
        return True

    def cursor_key(self) -> str | None:
        """The key of the row under the cursor; None when the table is empty."""
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # the cursor is past the rows while a refill is under way
            return None

    def _update_dimensions(self, new_rows) -> None:
        # DataTable measures every cell of every new row to size auto-width columns: ~0.1-0.2 s for 1,000
        # rows, on every refill (each search keystroke). With fixed widths and one-line rows only the
        # scrollable size needs setting. (Overrides a private method of Textual 8.x's DataTable, pinned in
        # pyproject.toml; falls back to it if a column ever becomes auto-width.)
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

"""A DataTable whose columns all have fixed widths and whose rows are one line, as our tables are."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import DataTable


class FixedWidthTable(DataTable):
    def _update_dimensions(self, new_rows) -> None:
        # DataTable measures every cell of every new row to size auto-width columns: ~0.1-0.2 s for 1,000
        # rows, on every refill (each search keystroke). With fixed widths and one-line rows only the
        # scrollable size needs setting. (Overrides a private method of Textual 8.x's DataTable; falls back
        # to it if a column ever becomes auto-width.)
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

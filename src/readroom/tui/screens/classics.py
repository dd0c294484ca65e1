"""The classics catalogue (`c`): the papers every ML engineer is expected to know, and which you have.

`a` adds the selected one through library.add in the app's add worker, as `readroom add KEY` would.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from readroom import library
from readroom.errors import ReadroomError
from readroom.library import AddOptions, ClassicStatus
from readroom.tui.keys import CLASSICS_BINDINGS
from readroom.tui.screens.add_request import AddRequest
from readroom.tui.widgets.add_activity import AddActivityLine
from readroom.tui.widgets.key_footer import KeyFooter

COLUMNS = (("mark", "", 1), ("key", "Key", 19), ("year", "Year", 4), ("topic", "Topic", 14))
MIN_TITLE = 16


class ClassicsScreen(Screen):
    BINDINGS = [*CLASSICS_BINDINGS]
    HELP_TITLE = "Classics catalogue"
    SUB_TITLE = "classics catalogue"
    AUTO_FOCUS = "#classics"

    class StatusesRead(Message):
        """What the catalogue's papers are (in the library or not), from the load worker."""

        def __init__(self, statuses: list[ClassicStatus]) -> None:
            super().__init__()
            self.statuses = statuses

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[ClassicStatus] = []
        self._title_width = 0

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield DataTable(id="classics", cursor_type="row", zebra_stripes=True)
        yield Static("", id="why")
        yield AddActivityLine(id="add-activity")
        yield Label("✓ = in your library · a adds the selected paper · Escape goes back", id="hint")
        yield KeyFooter()

    def _library_changed(self, _version: int) -> None:
        self._load()

    def on_mount(self) -> None:
        self.query_one("#add-activity").display = False
        table = self.query_one("#classics", DataTable)
        table.loading = True
        self._build_columns()
        self.watch(self.app, "library_version", self._library_changed, init=False)
        self._load()

    @work(thread=True, exclusive=True, group="classics-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            statuses = library.classics_status()
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)  # notify posts a message: thread-safe
            statuses = []
        self.post_message(self.StatusesRead(statuses))

    @on(StatusesRead)
    def _loaded(self, event: StatusesRead) -> None:
        self.statuses = event.statuses
        table = self.query_one("#classics", DataTable)
        table.loading = False
        self._fill()

    def _title_width_for(self, width: int) -> int:
        return max(MIN_TITLE, width - sum(w + 2 for _, _, w in COLUMNS) - 2 - 2 - 2)  # title padding, margins, scrollbar

    def _build_columns(self) -> None:
        table = self.query_one("#classics", DataTable)
        self._title_width = self._title_width_for(self.size.width or self.app.size.width)
        table.clear(columns=True)
        for key, label, width in COLUMNS[:3]:
            table.add_column(label, key=key, width=width)
        table.add_column("Title", key="title", width=self._title_width)
        key, label, width = COLUMNS[3]
        table.add_column(label, key=key, width=width)

    def on_resize(self) -> None:
        if self._title_width_for(self.size.width) != self._title_width:
            self._build_columns()
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#classics", DataTable)
        row = table.cursor_row
        table.clear()
        for status in self.statuses:
            c = status.classic
            table.add_row(Text("✓", style="green") if status.paper else "", c.key, str(c.year),
                          Text(c.title, no_wrap=True, overflow="ellipsis"), c.topic, key=c.key)
        if self.statuses:
            table.move_cursor(row=min(row, len(self.statuses) - 1), animate=False)
        self._show_why()

    def _selected(self) -> ClassicStatus | None:
        table = self.query_one("#classics", DataTable)
        if not self.statuses or not 0 <= table.cursor_row < len(self.statuses):
            return None
        return self.statuses[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_why()

    def _show_why(self) -> None:
        status = self._selected()
        why = self.query_one("#why", Static)
        if status is None:
            why.update("")
            return
        c = status.classic
        authors = ", ".join(c.authors[:3]) + (" et al." if len(c.authors) > 3 else "")
        where = "In your library." if status.paper else f"Not in your library: a adds it ({c.arxiv or 'PDF'})."
        why.update(Text.assemble((c.title, "bold"), f" ({c.year})\n", (authors, "italic"), "\n", c.why, "\n",
                                 (where, "dim")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_classic()

    def action_open_classic(self) -> None:
        status = self._selected()
        if status is None:
            return
        if status.paper:
            self.app.open_paper(status.paper.id)  # type: ignore[attr-defined]
        else:
            self.action_add_classic()

    def action_add_classic(self) -> None:
        status = self._selected()
        if status is None:
            return
        if status.paper:
            self.notify(f"{status.paper.title} is already in your library.", markup=False)
            return
        self.app.add_papers(AddRequest([status.classic.key], AddOptions()))  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.dismiss()

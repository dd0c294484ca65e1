"""The library: every paper in a table, with search, sort and filters, and the way to add more.

The paper list is read in a thread worker (stdlib sqlite3, ~50 ms for 1,000 papers) so the screen paints at
once; search, sort and filters then work on the rows in memory.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from readroom import library
from readroom.errors import ReadroomError
from readroom.reading import STATUSES
from readroom.tui import preload
from readroom.tui.keys import LIBRARY_BINDINGS
from readroom.tui.plain import plain
from readroom.tui.screens.library_rows import PaperRow, RowFilter, all_tags, next_sort, read_rows
from readroom.tui.widgets.add_activity import AddActivityLine
from readroom.tui.widgets.fixed_table import FixedWidthTable
from readroom.tui.widgets.key_footer import KeyFooter

SORT_NAMES = {"added": "date added", "title": "title", "year": "year", "author": "first author"}
# Fixed columns; the title takes the rest of the width (see _title_width).
COLUMNS = (("author", "First author", 13), ("year", "Year", 4), ("source", "Source", 7), ("status", "Status", 13),
           ("cards", "Cards", 8))
MIN_TITLE = 16
EMPTY_TEXT = Text.assemble(
    "Your library is empty.\n\nPress ", ("a", "bold"), " to add a paper: an arXiv id, a DOI, a URL or a PDF file.\n",
    "Press ", ("c", "bold"), " to browse the classics every ML engineer is expected to know.")


def welcome_text() -> Text:
    """The first start's note: what to do, and what the Status and Cards columns say (fits 80 columns)."""
    from readroom.reading import plans

    first = len(plans()[1].items)
    new, learning, due = CARD_COLOURS
    return Text.assemble(
        ("Welcome to readroom", "bold"), ": read a paper in three passes, then review cards.\n",
        ("Enter", "bold"), " opens the demo paper   ", ("a", "bold"), " adds one (arXiv id, DOI, URL, PDF)\n",
        ("c", "bold"), " the classics every ML engineer should know   ", ("R", "bold"), " review the cards due\n",
        f"Status \"pass 1 · 0/{first}\": pass 1 of 3, 0 of its {first} checklist items ticked.\n",
        "Cards \"3 1 2\": ", ("new", new), ", ", ("learning", learning), " and ", ("due", due),
        " cards, as in Anki's deck list.\n",
        ("x", "bold"), " hides this note for good.")


class PaperTable(FixedWidthTable):
    # DataTable's own Enter is hidden from the footer; this shows it as "Open" (same id as the screen's).
    BINDINGS = [Binding("enter", "select_cursor", "Open", id="library.open")]


class LibraryScreen(Screen):
    BINDINGS = [*LIBRARY_BINDINGS]
    HELP_TITLE = "Library"
    AUTO_FOCUS = "#papers"  # keys act on the table; `/` moves to the search box

    class Populated(Message):
        """The table shows the library (posted after every load; the benchmark and tests wait for it)."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    # What the load worker reports (posted from its thread).
    class RowsRead(Message):
        def __init__(self, worker, rows: list[PaperRow]) -> None:
            super().__init__()
            self.worker, self.rows = worker, rows

    class LoadFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class ClassicsCounted(Message):
        def __init__(self, worker, have: int, total: int) -> None:
            super().__init__()
            self.worker, self.have, self.total = worker, have, total

    class SyncStateRead(Message):
        def __init__(self, state) -> None:  # a sync.status.SyncStatus
            super().__init__()
            self.state = state

    class HintChanged(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PaperRow] = []
        self.shown: list[PaperRow] = []
        self.filter = RowFilter()
        self.loaded = False
        self._title_width = 0
        self._shown_before = False
        self._tags: list[str] = []  # the tag Select's options, to skip resetting it when nothing changed
        self._sync_state = None  # a sync.status.SyncStatus for the header's line; None without a server

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="filters"):
            yield Input(placeholder="/ search titles, authors, abstracts", id="search", compact=True)
            yield Select([], prompt="any tag", id="tag", compact=True)
            yield Select([(s if s != "reading" else "reading (any pass)", s) for s in STATUSES],
                         prompt="any status", id="status", compact=True)
        with Vertical(id="body"):  # takes the free height whether it shows the table or the empty note
            yield PaperTable(id="papers", cursor_type="row", zebra_stripes=True)
            yield Static(EMPTY_TEXT, id="empty")
            yield Static(id="welcome")
        yield AddActivityLine(id="add-activity")
        yield Label("", id="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self.query_one("#welcome").display = False
        self.query_one("#add-activity").display = False
        # The spinner only if loading is slow (an empty library's demo paper): a flash of it reads as a glitch.
        self._spinner = self.set_timer(0.3, self._show_spinner)
        self._build_columns()
        self.watch(self.app, "library_version", lambda _: self.reload(), init=False)
        self.watch(self.app, "sync_activity", lambda _: self._show_sync_state(), init=False)
        pending = preload.take()
        if pending is not None and pending.done() and not pending.exception() and pending.result():
            self._loaded(pending.result())  # read while Textual imported: the first frame shows the papers
            self._load(first=False, classics_only=True)
        else:
            self._load(first=True, pending=pending)

    def on_screen_resume(self) -> None:
        # Back from the reader or the classics: passes and decisions may have changed. (Not on the first show.)
        if self._shown_before:
            self.reload()
        self._shown_before = True

    # ----------------------------------------------------------------------------------------- loading

    def reload(self) -> None:
        self._load(first=False)

    @work(thread=True, exclusive=True, group="library-load", exit_on_error=False)
    def _load(self, first: bool, pending=None, classics_only: bool = False) -> None:
        worker = get_current_worker()
        if not classics_only:
            try:
                rows = self._read_rows(first, pending)
            except ReadroomError as exc:
                self.post_message(self.LoadFailed(exc.message))
                return
            except Exception as exc:  # never let a bug in loading take the app down
                from readroom.tui.app import describe_unexpected

                self.post_message(self.LoadFailed(describe_unexpected(exc)))
                return
            if worker.is_cancelled:
                return
            self.post_message(self.RowsRead(worker, rows))
        try:  # after the first paint: the classics count is a hint, not worth delaying the table for
            statuses = library.classics_status()
            have = sum(1 for s in statuses if s.paper is not None)
        except ReadroomError:
            return
        if not worker.is_cancelled:
            self.post_message(self.ClassicsCounted(worker, have, len(statuses)))

    def _read_rows(self, first: bool, pending) -> list[PaperRow]:
        """On the worker thread: the preloaded rows if any, else read; an empty library gets the demo."""
        rows = None
        if pending is not None:
            try:
                rows = pending.result()
            except ReadroomError:
                rows = None  # read again below, so the error (if it persists) is reported the usual way
        if rows is None:
            rows = read_rows()
        if first and not rows:
            self.post_message(self.HintChanged("Adding the demo paper to your empty library…"))
            outcome = library.ensure_demo()
            if outcome and outcome.status == "failed":
                self.notify(outcome.message, severity="error", markup=False)  # notify posts a message: thread-safe
            rows = read_rows()
        return rows

    def _show_spinner(self) -> None:
        preload.settle()  # a slow first load (the demo paper): collect garbage as usual meanwhile
        if not self.loaded:
            self.query_one("#papers", DataTable).loading = True

    @on(LoadFailed)
    def _load_failed(self, event: LoadFailed) -> None:
        self.call_after_refresh(preload.settle)
        self._spinner.stop()  # else it starts after the failure and spins for good
        self.query_one("#papers", DataTable).loading = False
        self.notify(event.error, severity="error", markup=False, timeout=15)
        self._set_hint(event.error)

    @on(RowsRead)
    def _rows_read(self, event: RowsRead) -> None:
        if not event.worker.is_cancelled:  # else a newer load was asked for while this one was queued
            self._loaded(event.rows)

    def _loaded(self, rows: list[PaperRow]) -> None:
        self.rows = rows
        self.loaded = True
        self.app.papers_by_id = {r.id: r.title for r in rows}  # type: ignore[attr-defined]
        self._update_tag_options()
        table = self.query_one("#papers", DataTable)
        self._spinner.stop()
        table.loading = False
        self.query_one("#empty").display = not rows
        table.display = bool(rows)  # an empty table under the "library is empty" box only confuses
        if rows and (self.focused is None or self.focused is self.query_one("#search")) and not self.filter.search:
            table.focus()
        self._show_welcome(bool(rows) and all(library.DEMO_TAG in r.tags for r in rows) and not library.welcome_hidden())
        self._show_rows(keep=getattr(self.app, "last_added", None))
        self.app.last_added = None  # type: ignore[attr-defined]
        self.post_message(self.Populated(len(self.shown)))
        self.call_after_refresh(preload.settle)  # the first frame with the papers is drawn
        self._read_sync_state()  # after the first paint: the header's sync line is not worth delaying it for

    def _show_welcome(self, show: bool) -> None:
        welcome = self.query_one("#welcome", Static)
        if show and not welcome.display:
            welcome.update(welcome_text())
        welcome.display = show

    def action_hide_welcome(self) -> None:
        self._show_welcome(False)
        try:
            library.hide_welcome()
        except ReadroomError as exc:
            self.notify(f"The welcome will show again next time: {exc.message}", severity="warning", markup=False)

    # ----------------------------------------------------------------------------------------- sync state

    @work(thread=True, exclusive=True, group="sync-state", exit_on_error=False)
    def _read_sync_state(self) -> None:
        from readroom.sync.status import status

        try:
            self.post_message(self.SyncStateRead(status()))
        except ReadroomError:
            return  # a locked library: the line keeps what it said

    @on(SyncStateRead)
    def _sync_state_read(self, event: SyncStateRead) -> None:
        self._sync_state = event.state if event.state.server else None
        self._show_sync_state()

    def _show_sync_state(self) -> None:
        """In the header, after the app's name: what a sync is doing now, else the state read last."""
        from readroom import clock

        activity = getattr(self.app, "sync_activity", None)
        if activity or self._sync_state is None:
            self.sub_title = activity or None
            return
        # The header's title gets the width less its icon (8) and the balancing space (10), and "readroom — ".
        room = self.size.width - 18 - len(f"{self.app.title} — ")
        line = self._sync_state.line(clock.now(), room)
        self.sub_title = line + " · y syncs" if len(line) + 10 <= room else line  # the footer has no room for it

    # ----------------------------------------------------------------------------------------- table

    def _title_width_for(self, width: int) -> int:
        fixed = sum(w + 2 for _, _, w in COLUMNS) + 2 + 4 + 2  # cell and title padding, margins (2 a side), scrollbar
        return max(MIN_TITLE, width - fixed)

    def _build_columns(self) -> None:
        table = self.query_one("#papers", DataTable)
        self._title_width = self._title_width_for(self.size.width or self.app.size.width)
        table.clear(columns=True)
        table.add_column("Title", key="title", width=self._title_width)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)

    def on_resize(self) -> None:
        if self._sync_state is not None:
            self._show_sync_state()
        if self._title_width_for(self.size.width) != self._title_width:
            self._build_columns()
            self._show_rows()

    def _show_rows(self, keep: str | None = None) -> None:
        """Fill the table with the rows the filter keeps; the cursor stays on the same paper if it can."""
        table = self.query_one("#papers", PaperTable)
        current = keep or table.cursor_key()
        self.shown = self.filter.apply(self.rows)
        table.fill(self.shown, _cells, current)
        self._update_hint()

    def _cursor_paper_id(self) -> str | None:
        return self.query_one("#papers", PaperTable).cursor_key()

    # ----------------------------------------------------------------------------------------- hint line

    _classics = ""

    @on(ClassicsCounted)
    def _set_classics_count(self, event: ClassicsCounted) -> None:
        if event.worker.is_cancelled:
            return
        self._classics = f"c: classics ({event.have} of {event.total} in your library)"
        self._update_hint()

    @on(HintChanged)
    def _hint_changed(self, event: HintChanged) -> None:
        self._set_hint(event.text)

    def _set_hint(self, text: str) -> None:
        self.query_one("#hint", Label).update(plain(text))

    def _update_hint(self) -> None:
        n, total = len(self.shown), len(self.rows)
        count = f"{total} paper{'s' if total != 1 else ''}" if n == total else f"{n} of {total} papers"
        parts = [count, f"sorted by {SORT_NAMES[self.filter.sort]}", self._classics or "c: classics"]
        self._set_hint(" · ".join(parts))

    # ----------------------------------------------------------------------------------------- filters

    def _set_filter(self, **changes) -> None:
        self.filter = RowFilter(**{"search": self.filter.search, "tag": self.filter.tag, "status": self.filter.status,
                                   "sort": self.filter.sort, **changes})
        self._show_rows()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._set_filter(search=event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.query_one("#papers").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else event.value
        if event.select.id == "tag":
            self._set_filter(tag=value)
        elif event.select.id == "status":
            self._set_filter(status=value)
        else:
            return
        self.query_one("#papers").focus()

    def _update_tag_options(self) -> None:
        select = self.query_one("#tag", Select)
        tags = all_tags(self.rows)
        if tags == self._tags:
            return
        self._tags = tags
        current = self.filter.tag
        with self.prevent(Select.Changed):
            select.set_options([(plain(t), t) for t in tags])
            if current in tags:
                select.value = current
        if current and current not in tags:
            self.filter = RowFilter(search=self.filter.search, status=self.filter.status, sort=self.filter.sort)

    # ----------------------------------------------------------------------------------------- actions

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.app.open_paper(event.row_key.value)  # type: ignore[attr-defined]

    def action_open_paper(self) -> None:
        if paper_id := self._cursor_paper_id():
            self.app.open_paper(paper_id)  # type: ignore[attr-defined]

    def action_remove_paper(self) -> None:
        """Ask, saying what becomes of the paper's cards (kept, as `readroom remove` keeps them), then remove it."""
        from readroom.tui.widgets.card_editor import ConfirmDialog

        row = next((r for r in self.shown if r.id == self._cursor_paper_id()), None)
        if row is None:
            return
        cards = library.cards_of(row.id)
        detail = (f"Its {cards} stay, still reviewed and exported; `readroom remove --with-cards` deletes a paper's "
                  "cards with it.") if cards else ""

        def remove(yes: bool | None) -> None:
            if not yes:
                return
            try:
                library.remove(row.id)
            except ReadroomError as exc:
                self.notify(exc.message, severity="error", markup=False)
                return
            self.notify(f"Removed {row.title}" + ("; its cards are kept." if cards else "."), markup=False)
            self.reload()

        self.app.push_screen(ConfirmDialog(f"Remove “{row.title}” and its PDF?", detail, yes="Remove (y)",
                                           no="Keep (esc)"), remove)

    def action_add_paper(self) -> None:
        from readroom.tui.screens.add_dialog import AddDialog

        def start(request) -> None:
            if request is not None:
                self.app.add_papers(request)  # type: ignore[attr-defined]

        self.app.push_screen(AddDialog(), start)

    def action_classics(self) -> None:
        self.app.action_classics()  # type: ignore[attr-defined]

    def action_focus_search(self) -> None:
        # Now, not after a refresh as Widget.focus does: the keys already typed after `/` go to the box.
        self.set_focus(self.query_one("#search", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search":  # a priority key: in the search box (or any box) `/` is a character
            return not isinstance(self.focused, Input)
        if action == "hide_welcome":  # `x` means nothing once the welcome is gone
            return bool(self.query_one("#welcome").display)
        return True

    def action_cycle_sort(self) -> None:
        self._set_filter(sort=next_sort(self.filter.sort))
        self.notify(f"Sorted by {SORT_NAMES[self.filter.sort]}", timeout=1.5)

    def action_filter_tag(self) -> None:
        select = self.query_one("#tag", Select)
        if not all_tags(self.rows):
            self.notify("No paper has a tag yet; `readroom tag ID TAG` adds one.", markup=False)
            return
        select.focus()
        select.action_show_overlay()

    def action_filter_status(self) -> None:
        select = self.query_one("#status", Select)
        select.focus()
        select.action_show_overlay()

    def action_clear_filters(self) -> None:
        search = self.query_one("#search", Input)
        with self.prevent(Input.Changed, Select.Changed):
            search.value = ""
            self.query_one("#tag", Select).clear()
            self.query_one("#status", Select).clear()
        self._set_filter(search="", tag=None, status=None)
        self.query_one("#papers").focus()

    def action_reload(self) -> None:
        self.reload()


_STATUS_STYLE = {"done": "green", "parked": "yellow", "dropped": "dim", "no PDF": "yellow"}


def _cells(row: PaperRow) -> tuple[str, list[Text]]:
    return row.id, [
        plain(row.title, no_wrap=True, overflow="ellipsis"),
        plain(row.first_author, no_wrap=True, overflow="ellipsis"),
        Text(str(row.year or "")),
        Text(row.source),
        Text(row.progress, style=_STATUS_STYLE.get(row.progress, _STATUS_STYLE.get(row.status, ""))),
        _cards_cell(row.cards),
    ]


# Anki's deck-list colours, in tones that read on the light and the dark theme alike.
CARD_COLOURS = ("#3b82f6", "#e8590c", "#2f9e44")  # new blue, learning orange-red, due green


def _cards_cell(cards: tuple[int, int, int] | None) -> Text:
    """New, learning and due cards as Anki's deck list shows them ("3 1 12"), a 0 dimmed; blank without cards."""
    if cards is None:
        return Text("")
    cell = Text(justify="right", no_wrap=True)
    for n, colour in zip(cards, CARD_COLOURS, strict=True):
        cell.append(" " if cell else "")
        cell.append(str(n), "dim" if not n else colour)
    return cell

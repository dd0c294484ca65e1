"""The card browser: every card in a table, searched as you type and filtered by paper, tag and state;
edit, delete (after asking), suspend and flag from here. Each change is one service call, then the table reloads
(a flag only redraws its row: no filter depends on it).

Opening stays quick at 1M cards: one page of rows is read and shown, and the next page is read when the cursor or
the scroll comes near the last row (so every card can be reached, and none is read before it is needed). The
rows (0.4-1.4 s at 1M cards) and the filter choices (a pass over every note's tags) are read in threads: the
screen draws at once with a "Reading cards..." line and its keys work meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypedDict

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static

from readroom import clock as readroom_clock
from readroom.cards import actions, service
from readroom.cards.actions import FLAG_NAMES
from readroom.cards.service import FILTER_STATES, CardView
from readroom.errors import ReadroomError
from readroom.terminal import printable
from readroom.tui.plain import plain
from readroom.tui.reader.document import Place
from readroom.tui.screens.flag_chooser import FLAG_COLOURS, FlagChooser
from readroom.tui.widgets.card_editor import CardEditor, ConfirmDialog
from readroom.tui.widgets.fixed_table import FixedWidthTable
from readroom.tui.widgets.key_footer import KeyFooter

BROWSER_BINDINGS = [
    Binding("slash", "focus_search", "Search", key_display="/", id="cards.search"),
    Binding("e,enter", "edit", "Edit", key_display="e", id="cards.edit"),
    Binding("s", "toggle_suspend", "Suspend", id="cards.suspend"),
    Binding("delete,x", "delete", "Delete", key_display="x", id="cards.delete"),
    # Flags with review's keys (`f` then a digit, or Anki's ctrl+1..4), so `f` means the same on both card screens.
    Binding("f", "choose_flag", "Flag", id="cards.flag"),
    *(Binding(f"ctrl+{n}", f"flag({n})", f"Flag {name} (again: clear)", show=False, id=f"cards.flag_{name}")
      for n, name in FLAG_NAMES.items()),
    Binding("o", "open_paper", "Paper", id="cards.open"),
    Binding("F", "filter_state", "State filter", id="cards.filter_state"),
    Binding("p", "filter_paper", "Paper filter", show=False, id="cards.filter_paper"),
    Binding("t", "filter_tag", "Tag filter", show=False, id="cards.filter_tag"),
    Binding("escape", "back", "Back", key_display="esc", id="cards.back"),
]

PAGE = 100  # rows read at a time (~5 ms; a DataTable row costs ~40 µs more): more than any terminal shows
NEAR_END = 30  # the next page is read when the cursor or the scroll's bottom is this close to the last row
STATE_STYLE = {"new": "#3b82f6", "learning": "#dc2626", "relearning": "#dc2626", "review": "#16a34a",
               "suspended": "dim", "buried": "dim", "leech": "bold #dc2626"}
# The flag as Anki's browser shows it, by its colour: one cell, so the question keeps its width.
COLUMNS = (("state", "State", 10), ("due", "Due", 10), ("tags", "Tags", 12), ("flag", "⚑", 1))


class Filters(TypedDict):
    """What the rows are filtered by, as service.list_cards takes it (read on the UI thread, used in the worker)."""

    paper: str | None
    tag: str | None
    state: str | None
    search: str | None


class CardBrowserScreen(Screen):
    BINDINGS = [*BROWSER_BINDINGS]
    HELP_TITLE = "Card browser"
    AUTO_FOCUS = "#cards-table"
    DEFAULT_CSS = """
    #cards-filters { height: 1; margin: 1 1 0 1; }
    #cards-filters Input { width: 1fr; margin-right: 1; }
    #cards-filters Select { width: 16; margin-left: 1; }
    #cards-filters Select#cards-paper { width: 20; }
    #cards-table { height: 1fr; margin: 1 1 0 1; }
    #cards-preview {
        height: 5; margin: 0 1; padding: 0 1;
        border-top: solid $primary 50%; color: $foreground;
    }
    #cards-hint { height: 1; padding: 0 2; color: $text-muted; }
    """

    class FacetsRead(Message):
        """The filters' choices, from the facets worker."""

        def __init__(self, total: int, papers: list[tuple[str, str]], tags: list[str]) -> None:
            super().__init__()
            self.total, self.papers, self.tags = total, papers, tags

    class RowsRead(Message):
        """A reload's rows (or why they could not be read), from the rows worker."""

        def __init__(self, generation: int, cards: list[CardView], more: bool, error: str | None = None) -> None:
            super().__init__()
            self.generation, self.cards, self.more, self.error = generation, cards, more, error

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(id="cards")
        self.clock = clock or readroom_clock.now
        self.cards: list[CardView] = []  # the rows read so far, in the table's order
        self.more = False  # cards past the last row read
        self.total: int | None = None  # cards in all; None until the filter choices are read
        self._left = False  # another screen was pushed over this one since it last loaded
        self.search = ""
        self.state: str | None = None
        self.paper: str | None = None
        self.tag: str | None = None
        self.load_error: str | None = None  # why the cards could not be read, shown in the hint line
        self._generation = 0  # bumped by every reload: only the newest one's rows are drawn
        self.reading = False  # a reload's rows are being read
        # One read at a time: a reload asked for meanwhile waits here (the newest replacing any older), so fast
        # typing at 1M cards is not several scans of every card at once, each slowing the one that matters.
        self._next_read: tuple[int, Filters, int] | None = None
        self._read_running = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="cards-filters"):
            yield Input(placeholder="/ search cards", id="cards-search", compact=True)
            yield Select([], prompt="any paper", id="cards-paper", compact=True)
            yield Select([], prompt="any tag", id="cards-tag", compact=True)
            yield Select([(s, s) for s in FILTER_STATES], prompt="any state", id="cards-state", compact=True)
        yield FixedWidthTable(id="cards-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="cards-preview")
        yield Label("", id="cards-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#cards-table", DataTable)
        fixed = sum(w + 2 for _, _, w in COLUMNS) + 6
        table.add_column("Card", key="card", width=max(20, self.app.size.width - fixed))
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self._fill_filter_options()
        self.reload()
        self.watch(table, "scroll_y", lambda _y: self._near_end(table.scroll_y + table.size.height), init=False)

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Back from the reader or a review: states and dues moved. (Not on the first push, which resumes the
        # screen right after on_mount loaded it.)
        if self._left:
            self._left = False
            self.reload()

    # ------------------------------------------------------------------------------------------ data

    @work(thread=True, exclusive=True, group="cards-facets", exit_on_error=False)
    def _fill_filter_options(self) -> None:
        from readroom import library

        try:
            total, paper_ids, tags = service.card_facets()
            papers = [(p.title, p.id) for p in library.list_by_ids(paper_ids)] if paper_ids else []
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)  # notify posts a message: thread-safe
            return
        self.post_message(self.FacetsRead(total, papers, tags))

    @on(FacetsRead)
    def _set_filter_options(self, event: FacetsRead) -> None:
        self.total = event.total
        with self.prevent(Select.Changed):
            self.query_one("#cards-paper", Select).set_options([(plain(t), i) for t, i in sorted(event.papers)])
            self.query_one("#cards-tag", Select).set_options([(plain(t), t) for t in event.tags])
        self._update_hint()

    def _filters(self) -> Filters:
        return Filters(paper=self.paper, tag=self.tag, state=self.state, search=self.search)

    @staticmethod
    def _read(filters: Filters, limit: int, now: datetime,
              after: CardView | None = None) -> tuple[list[CardView], bool]:
        """Up to `limit` cards passing `filters` (after `after`), and whether more follow (read one past them)."""
        cards = service.list_cards(**filters, now=now, after=None if after is None else (after.note_id, after.ord),
                                   limit=limit + 1)
        return cards[:limit], len(cards) > limit

    def reload(self, *, fresh: bool = False) -> None:
        """Read the rows again, in a thread: one page after a filter change (`fresh`), else as many as were read,
        so the cursor stays on its card after an edit far down the list. The old rows stay until the new come."""
        if not self.query_one("#cards-table", FixedWidthTable).columns:  # a resume before the first mount finished
            return
        self._generation += 1
        self.reading = True
        self._update_hint()
        self._next_read = (self._generation, self._filters(), PAGE if fresh else max(PAGE, len(self.cards)))
        if not self._read_running:
            self._start_read()

    def _start_read(self) -> None:
        if self._next_read is None:
            return
        generation, filters, limit = self._next_read
        self._next_read, self._read_running = None, True
        self._read_rows(generation, filters, limit, self.clock())

    @work(thread=True, exclusive=True, group="cards-rows", exit_on_error=False)
    def _read_rows(self, generation: int, filters: Filters, limit: int, now: datetime) -> None:
        try:
            cards, more = self._read(filters, limit, now)
        except ReadroomError as exc:
            self.post_message(self.RowsRead(generation, [], False, exc.message))
        except Exception as exc:  # a bug in reading must not leave "Reading cards..." up for good: say it
            self.post_message(self.RowsRead(generation, [], False, f"The cards could not be read: "
                                                                   f"{type(exc).__name__}"))
        else:
            self.post_message(self.RowsRead(generation, cards, more))  # dropped if the screen has closed

    @on(RowsRead)
    def _show_rows(self, event: RowsRead) -> None:
        self._read_running = False
        self._start_read()
        if event.generation != self._generation:  # a newer reload (the next keystroke) is under way
            return
        self.reading = False
        if event.error is not None:
            self.notify(event.error, severity="error", markup=False)
        self.cards, self.more, self.load_error = event.cards, event.more, event.error
        current = self._cursor_card_id()  # now, not at the reload: the cursor may have moved meanwhile
        keep = None if current is None else str(current)
        self.query_one("#cards-table", FixedWidthTable).fill(self.cards, self._cells, keep,
                                                              on_kept=self._update_preview)
        self._update_hint()
        self._update_preview()

    def _near_end(self, row: float) -> None:
        """Read and add the next page when `row` is near the last row (and every row read is in the table)."""
        table = self.query_one("#cards-table", FixedWidthTable)
        if (self.reading or not self.more or self.load_error or row < table.row_count - NEAR_END
                or table.row_count < len(self.cards)):  # (while reading, the rows are the old filter's)
            return
        try:
            page, self.more = self._read(self._filters(), PAGE, self.clock(), after=self.cards[-1])
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            self.more = False
            return
        self.cards += page
        for card in page:
            key, cells = self._cells(card)
            table.add_row(*cells, key=key)
        self._update_hint()

    def _cells(self, card: CardView) -> tuple[str, list[Text]]:
        status = card.status(self.clock())
        due = card.due.astimezone().strftime("%Y-%m-%d") if card.state else ""
        return str(card.id), [plain(" ".join(card.question.split()), no_wrap=True, overflow="ellipsis"),
                              Text(status, style=STATE_STYLE.get(status, "")), Text(due),
                              plain(" ".join(card.tags), no_wrap=True, overflow="ellipsis"),
                              Text("⚑", style=f"bold {FLAG_COLOURS[card.flag]}") if card.flag in FLAG_COLOURS
                              else Text("")]

    def _update_hint(self) -> None:
        if self.reading:
            self.query_one("#cards-hint", Label).update("Reading cards...")
            return
        if self.load_error:  # stays in view after the notification fades: "0 cards" would be a lie
            self.query_one("#cards-hint", Label).update(Text(self.load_error))
            return
        n = len(self.cards)
        filtered = any((self.search, self.state, self.paper, self.tag))
        if self.more:
            of = " of more" if filtered or self.total is None else f" of {self.total:,}"
            hint = f"the first {n:,}{of} cards: scroll for more, or search to narrow"
        else:
            hint = f"{n:,} card{'s' if n != 1 else ''}" + ((" match" if n != 1 else " matches") if filtered else "")
        if self.total == 0 or (self.total is None and not self.cards and not filtered):  # no card at all
            hint += " · make cards in the reader (h, then c) or with `readroom card add`"
        self.query_one("#cards-hint", Label).update(hint)

    def _cursor_card_id(self) -> int | None:
        key = self.query_one("#cards-table", FixedWidthTable).cursor_key()
        return int(key) if key is not None else None

    def _cursor_card(self) -> CardView | None:
        card_id = self._cursor_card_id()
        return next((c for c in self.cards if c.id == card_id), None)

    def _update_preview(self) -> None:
        card = self._cursor_card()
        preview = self.query_one("#cards-preview", Static)
        if card is None:
            preview.update("")
            return
        text = Text()
        text.append("Q ", style="bold")
        text.append(printable(" ".join(card.question.split())) + "\n")
        text.append("A ", style="bold")
        text.append(printable(" ".join(card.answer.split())) + "\n")
        where = [f"{card.kind} {card.short_id}", f"{card.reps} reviews", f"{card.lapses} lapses"]
        if card.section:
            where.append(f"§ {card.section}")
        if card.page:
            where.append(f"p. {card.page}")
        text.append(printable(" · ".join(where)), style="dim")
        preview.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_preview()
        self._near_end(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # ------------------------------------------------------------------------------------------ filters

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "cards-search":
            self.search = event.value
            self.reload(fresh=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#cards-table").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        name = (event.select.id or "").removeprefix("cards-")
        if name not in ("paper", "tag", "state"):
            return
        setattr(self, name, value)
        self.reload(fresh=True)
        self.query_one("#cards-table").focus()

    def _open_select(self, name: str) -> None:
        select = self.query_one(f"#cards-{name}", Select)
        select.focus()
        select.action_show_overlay()

    def action_focus_search(self) -> None:
        self.query_one("#cards-search", Input).focus()

    def action_filter_state(self) -> None:
        self._open_select("state")

    def action_filter_paper(self) -> None:
        self._open_select("paper")

    def action_filter_tag(self) -> None:
        self._open_select("tag")

    # ------------------------------------------------------------------------------------------ actions

    def action_edit(self) -> None:
        card = self._cursor_card()
        if card is None:
            return

        def edited(cards) -> None:
            if cards is not None:
                self._fill_filter_options()
                self.reload()

        self.app.push_screen(CardEditor(card, clock=self.clock), edited)

    def action_toggle_suspend(self) -> None:
        card = self._cursor_card()
        if card is None:
            return
        try:
            service.set_suspended([card.id], not card.suspended)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.notify("Unsuspended." if card.suspended else "Suspended.", timeout=2)
        self.reload()

    def action_choose_flag(self) -> None:
        """`f`, then a digit in the chooser (as in review): sets that flag, 0 clears it."""
        card = self._cursor_card()
        if card is None:
            return

        def chosen(flag: int | None) -> None:
            if flag is not None and flag != card.flag:
                self.action_flag(flag or card.flag, card.id)  # set_flag toggles: the card's own flag clears it

        self.app.push_screen(FlagChooser(card.flag), chosen)

    def action_flag(self, flag: int, card_id: int | None = None) -> None:
        card_id = card_id if card_id is not None else self._cursor_card_id()
        if card_id is None:
            return
        try:
            now = actions.set_flag(card_id, flag)
            card = service.get_card(card_id)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.notify(f"Flag {FLAG_NAMES[now]}." if now else "Flag cleared.", timeout=2)
        self.cards = [card if c.id == card_id else c for c in self.cards]
        table = self.query_one("#cards-table", FixedWidthTable)
        if str(card_id) in table.rows:
            table.update_cell(str(card_id), "flag", self._cells(card)[1][-1])

    def action_delete(self) -> None:
        card = self._cursor_card()
        if card is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                service.delete_card(card.id)
            except ReadroomError as exc:
                self.notify(exc.message, severity="error", markup=False)
                return
            self.notify("Deleted the card and its review history.", timeout=2)
            if self.total:
                self.total -= 1
            self.reload()

        question = " ".join(card.question.split())
        self.app.push_screen(ConfirmDialog(f"Delete this card and its {card.reps} reviews?", question,
                                           yes="Yes, delete (y)", no="No (n)"), answered)

    def action_open_paper(self) -> None:
        card = self._cursor_card()
        if card is not None and card.paper_id:
            self.app.open_paper(  # type: ignore[attr-defined]
            card.paper_id, Place(card.highlight_id, card.section, card.page))
        elif card is not None:
            self.notify("This card has no source paper.", timeout=2)

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "cards-search" and self.search:
            self.query_one("#cards-search", Input).value = ""
            self.query_one("#cards-table").focus()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

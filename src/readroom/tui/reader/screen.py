"""The reader: one paper, in the pass it is in, with that pass's checklist, notes, timer and decision.

Reads are fast sqlite3 calls made on open; every write goes through a single background thread
(writes.WriteQueue) so no keystroke waits on the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.events import Key, MouseDown, MouseMove, MouseScrollDown, MouseScrollUp
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea, Tree

from readroom import clock, library, reading
from readroom.cards import service as cards
from readroom.errors import ReadroomError
from readroom.gc_pause import GcPause
from readroom.records.papers import PaperDetail
from readroom.tui.plain import plain
from readroom.tui.reader import pdf_viewer
from readroom.tui.reader.bindings import READER_BINDINGS
from readroom.tui.reader.checklist import Checklist
from readroom.tui.reader.decision import Decision
from readroom.tui.reader.document import Anchor, Place, ReaderDocument, build_document, find_links
from readroom.tui.reader.figure_cards import FigureCardDialog, FigureCardInput
from readroom.tui.reader.figures import FigureChooser, FigureScreen, cited_figures, image_path
from readroom.tui.reader.find_bar import FindBar
from readroom.tui.reader.lists import FiguresList, HighlightsList, LowerPanel, ReferencesList
from readroom.tui.reader.notes import SECTION_SLOT, NoteArea, NoteBox, compose_notes, earlier_notes
from readroom.tui.reader.outline import Outline
from readroom.tui.reader.text import ReaderText
from readroom.tui.reader.timer import PassClock
from readroom.tui.reader.writes import WriteQueue, add_card, add_figure_cards, save_highlight
from readroom.tui.widgets.card_editor import ConfirmDialog
from readroom.tui.widgets.key_footer import KeyFooter

AUTOSAVE_DELAY = 0.5
VIEWER_CHECK_SECONDS = 2.0  # a viewer that fails (xdg-open with no PDF application) has exited by then

class ReaderScreen(Screen):
    # What the write thread reports once a write is done (posted from that thread).
    class MarksSaved(Message):
        """A new highlight (None: cards for one already stored) and the cards made with it."""

        def __init__(self, highlight: cards.HighlightView | None, made: list[cards.CardView]) -> None:
            super().__init__()
            self.highlight, self.made = highlight, made

    class StateChanged(Message):
        """The paper's reading state after a decision; `old_pass` is the pass shown when it was made."""

        def __init__(self, state: reading.ReadingState, old_pass: int) -> None:
            super().__init__()
            self.state, self.old_pass = state, old_pass

    CSS_PATH = Path(__file__).with_name("reader.tcss")  # absolute: subclasses elsewhere find it too
    HELP_TITLE = "Reader"
    BINDINGS = [*READER_BINDINGS]

    def __init__(self, paper_id: str, *, clock: Callable[[], float] | None = None, place: Place | None = None,
                 name: str | None = None) -> None:
        super().__init__(name=name)  # no id: a reader closing while the next one opens must not clash with it
        self.paper_id = paper_id
        self.place = place  # where to open (a card's source); used once, on the first compose
        self.clock = clock or time.monotonic  # injectable: tests drive time, snapshots freeze it
        self.detail: PaperDetail | None = None
        self.state = reading.ReadingState(paper_id)
        self.document = ReaderDocument("")
        self.load_error: str | None = None
        self.populated = False  # True once the whole side panel is built
        self.marks: list[bool] = []
        self.highlights: list[cards.HighlightView] = []
        self.view_pass: int | None = None  # an earlier pass looked back at; None: the pass the paper is in
        self.links: list[str] = []
        self.pass_clock: PassClock | None = None  # the header's timer; kept for storing its time on leaving
        self.section_note_title: str | None = None  # which section the pass-3 section note belongs to
        self._dirty: dict[str, tuple[int, str, str]] = {}  # widget id -> (pass, slot, text) not yet saved
        self._autosave: Timer | None = None
        self._outline_shown: bool | None = None  # as toggled with ctrl+b; None: decided by the width
        self._panel_shown = True  # the side panel, hidden with the backslash key to read full width
        self.writes = WriteQueue()
        self._gc_pause = GcPause()
        try:
            self.detail = library.show(self.paper_id)
            self.paper_id = self.detail.id
            self.state = reading.state(self.paper_id)
            self.plans = reading.plans()
            self.marks = reading.library_marks([r.arxiv_id for r in self.detail.references])
            self.links = find_links(self.detail)
            self.highlights = cards.list_highlights(self.paper_id)
        except ReadroomError as exc:
            self.load_error = exc.message
            return
        self.document = build_document(self.detail, self.state.pass_no, self.marks)

    @property
    def pass_no(self) -> int:
        """The pass shown: the paper's own, or an earlier one looked back at (ticks and notes go to it)."""
        return self.view_pass or self.state.pass_no

    @property
    def looking_back(self) -> bool:
        return self.view_pass is not None and self.view_pass != self.state.pass_no

    # ------------------------------------------------------------------------------------------ layout

    @property
    def paper(self) -> PaperDetail:
        assert self.detail is not None  # what uses it is built only once the paper loaded
        return self.detail

    def compose(self) -> ComposeResult:
        self._gc_pause.begin()  # until the panel is built (_mount_later): no full collection mid-frame
        if self.load_error or self.detail is None:
            yield Static(plain(self.load_error or "Nothing to show."), id="reader-error")
            yield KeyFooter()
            return
        plan, old = self.plans[self.pass_no], self.pass_clock
        if old is not None and old.pass_no == self.pass_no:  # the same pass rebuilt (park, resume): time runs on
            self.pass_clock = PassClock(old.timer, old.pass_no)
        else:
            self.pass_clock = PassClock.started(self.clock, self.pass_no, self.state.seconds.get(self.pass_no, 0.0),
                                                plan.budget_seconds)
        if self.looking_back or self.state.decision != "reading":  # nothing to decide: the colour only, no nudge
            self.pass_clock.timer.nudged = True
        with Horizontal(id="reader-top"):
            yield Static(pass_line(self.detail, self.state, plan, self.looking_back), id="reader-pass")
            yield self.pass_clock
        warning = library.structure_warning(self.detail) if self.pass_no == 1 else None
        if warning:  # a thin parse: say so once, and point at the PDF
            yield Static(warning, id="reader-warning", markup=False)
        with Horizontal(id="reader-body"):
            outline = Outline(self.document.anchors, self._outline_shown)
            outline.fit(self.app.size.width)  # now, not after: each width change rewraps the text
            yield outline
            yield (view := ReaderText(self.document, self.paper_id, self.pass_no, id="reader-text"))
            work = VerticalScroll(id="reader-work")
            work.display = self._panel_shown
            with work:
                yield Label(f"Checklist · pass {plan.number}", classes="panel-title", id="checklist-title")
                yield Checklist(plan, self.state)
                yield from compose_notes(plan, self.state, earlier_notes(self.plans, self.state, self.pass_no))
                yield LowerPanel()  # filled after the first frame: see _mount_later
        yield FindBar(self.document, view)
        yield KeyFooter()

    async def _mount_later(self) -> None:
        try:
            later = self.query_one(LowerPanel)
        except Exception:
            self._gc_pause.end()
            return  # left before the first frame
        try:
            if not later.filled:
                decision = Decision(self.state, self.pass_no if self.looking_back else None)
                await later.fill(self.paper, self.pass_no, self.links, self.highlights, self.marks, decision)
                self.populated = True
        finally:
            self._gc_pause.end()

    # ------------------------------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        if self.load_error:
            self._gc_pause.end()
            self.notify(self.load_error, severity="error")
            return
        self.writes.start(self.app)
        self._after_compose()

    def _after_compose(self) -> None:
        self.populated = False
        self.query_one(FindBar).display = False
        self.call_after_refresh(self._mount_later)
        view = self.query_one(ReaderText)
        view.focus()
        view.show_highlights(self.highlights)
        if self.place is not None:
            place, self.place = self.place, None
            self.call_after_refresh(view.go_to, place)
        self.on_resize()
        if self.pass_no == 3:
            self._set_section_note(view.anchor_in_view())

    def go_to(self, place: Place) -> None:
        """Move to a card's source in the paper already open; before the first compose, open there."""
        if not self.is_mounted or self.load_error:
            self.place = place
            return
        view = self.query_one(ReaderText)
        view.go_to(place)
        view.focus()

    def on_screen_suspend(self) -> None:
        self._save_everything()
        if self.pass_clock:
            self.pass_clock.pause()

    def on_screen_resume(self) -> None:
        if self.pass_clock and self.app.app_focus:
            self.pass_clock.resume()

    def on_unmount(self) -> None:
        self._gc_pause.end()
        self._save_everything()
        self.writes.wait()
        self.writes.close()

    def _save_everything(self) -> None:
        """Notes and time to the database now (leaving, suspending, changing pass). Time directly, not as a
        message: on leaving, this screen handles no more of them."""
        if self.load_error:
            return
        self._flush_notes()
        if self.pass_clock is not None and (elapsed := self.pass_clock.elapsed()) is not None:
            self._store_time(elapsed)

    @on(Key)
    @on(MouseDown)
    @on(MouseMove)
    @on(MouseScrollDown)
    @on(MouseScrollUp)
    def _activity(self) -> None:
        if self.pass_clock is not None:
            self.pass_clock.activity()

    # ------------------------------------------------------------------------------------------ storing

    @on(PassClock.Elapsed)
    def _store_time(self, event: PassClock.Elapsed) -> None:
        seconds = self.state.seconds
        seconds[event.pass_no] = seconds.get(event.pass_no, 0.0) + event.seconds
        self.writes.submit(reading.add_time, self.paper_id, event.pass_no, event.seconds)

    @on(Checklist.Ticked)
    def _on_tick(self, event: Checklist.Ticked) -> None:
        ticks = self.state.ticks.setdefault(event.pass_no, set())
        (ticks.add if event.checked else ticks.discard)(event.item_id)
        self.writes.submit(reading.tick, self.paper_id, event.pass_no, event.item_id, event.checked)
        line = pass_line(self.paper, self.state, self.plans[self.pass_no], self.looking_back)
        self.query_one("#reader-pass", Static).update(line)

    @on(NoteBox.Edited)
    def _on_note_edited(self, event: NoteBox.Edited) -> None:
        if self.state.note(event.pass_no, event.slot) == event.text:
            return  # loading a note into its box is not an edit
        self._dirty[event.box_id] = (event.pass_no, event.slot, event.text)
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_DELAY, self._flush_notes)

    def on_descendant_blur(self, event) -> None:
        if event.widget.id in self._dirty:
            self._flush_notes()

    def _flush_notes(self) -> None:
        dirty, self._dirty = self._dirty, {}
        for pass_no, slot, text in dirty.values():
            self.state.notes[(pass_no, slot)] = text
            self.writes.submit(reading.save_note, self.paper_id, pass_no, slot, text)

    @on(ReaderText.HighlightMade)
    @on(ReaderText.CardMade)
    def _store_marks(self, event: ReaderText.HighlightMade | ReaderText.CardMade) -> None:
        now = clock.now_seconds()
        if isinstance(event, ReaderText.CardMade):  # a card of a highlight already stored
            self.writes.submit(add_card, event.highlight, event.card, now,
                               then=lambda made: self.post_message(self.MarksSaved(None, made)))
            return
        self.writes.submit(save_highlight, self.paper_id, event.selection, event.context, event.answer, event.card,
                           now, then=lambda saved: self.post_message(self.MarksSaved(*saved)))

    @on(MarksSaved)
    def _marks_saved(self, event: MarksSaved) -> None:
        highlight, made = event.highlight, event.made
        if highlight is not None:
            self.highlights.append(highlight)
            self.highlights.sort(key=lambda h: (h.page or 0, h.start or 0, h.id))
        if not self.is_mounted:
            return
        if highlight is None:
            if made:
                self.notify(f"{_cards_made(made).capitalize()}.")
            return
        self.query_one(ReaderText).show_highlights(self.highlights)
        self.query_one(LowerPanel).show_highlights(self.highlights)
        self.notify(f"Highlighted; {_cards_made(made)}." if made else "Highlighted. Press c in it to make a card.")

    # ------------------------------------------------------------------------------------------ passes

    @on(Decision.Decided)
    def _on_decide(self, event: Decision.Decided) -> None:
        """Record a decision; 'next' moves the reader on to the next pass, after asking if nothing is ticked."""
        done, total = self.state.progress(self.pass_no)
        if event.decision != "next" or done or not total:
            self._decide(event.decision, event.reason)
            return
        question = f"You ticked none of pass {self.pass_no}'s {total} items. Go on anyway?"
        detail = "The checklist is what this pass asks you to look at; k goes to it."
        self.app.push_screen(ConfirmDialog(question, detail, yes="Go on (y)", no="Keep reading (esc)"),
                             lambda yes: self._decide(event.decision, event.reason) if yes else None)

    def _decide(self, decision: str, reason: str | None) -> None:
        self._save_everything()
        old_pass = self.pass_no

        def done(state: reading.ReadingState) -> None:
            if state is not None:
                self.post_message(self.StateChanged(state, old_pass))

        self.writes.submit(reading.decide, self.paper_id, decision, reason, then=done)

    @on(StateChanged)
    async def _apply_state(self, event: StateChanged) -> None:
        state, old_pass = event.state, event.old_pass
        if not self.is_mounted:
            return
        # Keep what this screen knows but the database has not seen yet (writes still queued).
        state.notes = {**state.notes, **self.state.notes}
        self.state = state
        self.view_pass = None
        messages = {"parked": "Parked for later.", "dropped": "Dropped.", "done": "Done with this paper."}
        if state.pass_no != old_pass:
            await self._rebuild(new_pass=True)
            plan = self.plans[self.pass_no]
            self.notify(f"Pass {state.pass_no}: {plan.name}. {plan.question}")
        else:
            await self._rebuild()
            self.notify(messages.get(state.decision, "Back to reading."))

    async def _rebuild(self, new_pass: bool = False) -> None:
        """Compose again; another pass (after a decision, or looking back) has its own text and timer."""
        if new_pass:  # the pass shown: looking back at pass 1 reads what pass 1 reads
            self.document = build_document(self.paper, self.pass_no, self.marks)
        await self.recompose()
        self._after_compose()

    async def action_view_pass(self, step: int) -> None:
        """Look back at an earlier pass's text, checklist and notes, and return; the paper stays in its pass."""
        target = self.pass_no + step
        if not 1 <= target <= self.state.pass_no:
            where = "the first pass" if target < 1 else f"pass {self.state.pass_no}, where the paper is"
            self.notify(f"This is {where}.")
            return
        self._save_everything()
        self.view_pass = None if target == self.state.pass_no else target
        await self._rebuild(new_pass=True)

    # ------------------------------------------------------------------------------------------ outline

    @on(Tree.NodeSelected, "#reader-outline")
    def _on_outline_selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, Anchor):
            self.query_one(ReaderText).jump_to(event.node.data)

    def action_toggle_panel(self) -> None:
        self._panel_shown = not self._panel_shown
        work = self.query_one("#reader-work")
        if not self._panel_shown and work in (self.focused.ancestors if self.focused else []):
            self.query_one(ReaderText).focus()  # not left in a box that is no longer there
        work.display = self._panel_shown

    def action_toggle_outline(self) -> None:
        self._outline_shown = self.query_one(Outline).toggle()
        self.on_resize()

    def on_resize(self) -> None:
        try:
            self.query_one(Outline).fit(self.size.width)
        except Exception:  # no outline (an unknown paper)
            pass

    # ------------------------------------------------------------------------------------------ pass 3

    def _set_section_note(self, anchor: Anchor | None) -> None:
        """Point the section note at another section, saving what was typed for the previous one."""
        if anchor is None or anchor.title == self.section_note_title:
            return
        self._flush_notes()
        self.section_note_title = anchor.title
        self.query_one("#section-note-title", Label).update(plain(f"Re-derive: {anchor.title}"))
        slot = SECTION_SLOT + anchor.title
        self.query_one("#reader-section-note", NoteArea).point_at(slot, self.state.note(self.pass_no, slot))

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        if self.pass_no == 3 and event.text_area.id == "reader-text":
            self._set_section_note(self.document.anchor_at_line(event.selection.end[0]))

    # ------------------------------------------------------------------------------------------ lists

    @on(FiguresList.FigureOpened)
    def _on_figure(self, event: FiguresList.FigureOpened) -> None:
        self.open_figure(event.index)

    def open_figure(self, index: int) -> None:
        """The figure large; from there o opens the PDF at its page, c makes a card, t goes to it in the text."""
        figure = self.paper.figures[index]

        def then(what: str | None) -> None:
            if what == "pdf":
                self._open_pdf_at(figure.page)
            elif what == "card":
                self.ask_figure_card(index)
            elif what == "text":
                view = self.query_one(ReaderText)
                if view.go_to(Place(page=figure.page)):  # the section the figure's page is in
                    view.focus()

        self.app.push_screen(FigureScreen(figure), then)

    def action_cited_figure(self) -> None:
        """`g`: the figure the section at the cursor cites, or a chooser when it cites several."""
        view = self.query_one(ReaderText)
        anchor = self.document.anchor_at_line(view.selection.end[0])
        text = self.document.text[anchor.body_start:anchor.body_end] if anchor else self.document.text
        cited = cited_figures(text, self.paper.figures)
        where = anchor.title if anchor else "this paper"
        if not cited:
            self.notify(f"No figure or table is cited in {where}; f goes to the list of them.", markup=False)
        elif len(cited) == 1:
            self.open_figure(cited[0])
        else:
            self.app.push_screen(FigureChooser(where, self.paper.figures, cited),
                                 lambda index: self.open_figure(index) if index is not None else None)

    def ask_figure_card(self, index: int) -> None:
        figure = self.paper.figures[index]
        image = image_path(figure)
        if image is None:
            self.notify("This figure has no image to make a card of (reparse the paper to draw it again).",
                        severity="warning")
            return
        section = anchor.title if (anchor := self.document.anchor_for(None, figure.page)) else None

        def made(card: FigureCardInput | None) -> None:
            if card is not None:
                self.writes.submit(add_figure_cards, self.paper_id, figure, image, card, clock.now_seconds(), section,
                                   then=lambda made: self.post_message(self.MarksSaved(None, made)))

        self.app.push_screen(FigureCardDialog(figure, image), made)

    @on(HighlightsList.HighlightChosen)
    def _on_highlight_chosen(self, event: HighlightsList.HighlightChosen) -> None:
        self.query_one(ReaderText).select_highlight(event.highlight)

    @on(ReferencesList.ReferenceChosen)
    @work(thread=True, group="queue-reference")
    def _queue_reference(self, event: ReferencesList.ReferenceChosen) -> None:
        # May download a PDF: its own thread, not the write queue, so ticks and notes do not wait behind it.
        # The outcome is only told: notify posts a message, so it is safe from this thread.
        self.notify(f"Queueing reference {event.position + 1} to read…")
        try:
            queued = reading.queue_reference(self.paper_id, event.position)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(queued.message)

    # ------------------------------------------------------------------------------------------ actions

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    def action_find_next(self) -> None:
        self.query_one(FindBar).step(1)

    def action_find_previous(self) -> None:
        self.query_one(FindBar).step(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("find_next", "find_previous"):
            return bool(self.query(FindBar) and self.query_one(FindBar).matches)  # no find bar: an unknown paper
        if action == "find" or (action, parameters) == ("focus", ("reader-notes",)):
            return not _typing_in(self.focused)  # priority keys: in a note or the find box, `/` or `w` is a letter
        if (action == "focus" and parameters and parameters[0] == "reader-figures") or action == "cited_figure":
            return self.pass_no >= 2
        return True

    def action_highlight(self) -> None:
        self.query_one(ReaderText).ask_highlight()

    def action_card(self) -> None:
        view, focused = self.query_one(ReaderText), self.focused
        if isinstance(focused, FiguresList):
            if (index := focused.current()) is not None:
                self.ask_figure_card(index)
            return
        view.ask_card(focused.current() if isinstance(focused, HighlightsList) else view.highlight_here())

    def action_open_pdf(self) -> None:
        focused = self.focused
        index = focused.current() if isinstance(focused, FiguresList) else None
        self._open_pdf_at(self.paper.figures[index].page if index is not None
                          else self.query_one(ReaderText).current_page())

    def _open_pdf_at(self, page: int) -> None:
        try:
            process = pdf_viewer.open_pdf(self.detail.pdf_path if self.detail else None, page)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return
        self.notify(f"Opening the PDF at page {page}; the time in it counts.")
        if self.pass_clock is not None:
            self.pass_clock.viewer_opened(process)

        def failed() -> None:
            if message := pdf_viewer.failure(process):
                self.notify(message, severity="error", timeout=8)

        self.set_timer(VIEWER_CHECK_SECONDS, failed)

    async def action_focus(self, widget_id: str) -> None:  # async, as Screen.action_focus it overrides
        try:
            widget = self.query_one(f"#{widget_id}")
        except Exception:
            return  # that part is not in this pass
        if not self._panel_shown and widget_id != "reader-text":  # k, w, d and the lists are in the panel
            self._panel_shown = self.query_one("#reader-work").display = True
        # Now, not after a refresh as Widget.focus does: keys typed right after (`w` then a note) go there.
        self.set_focus(widget)

    def action_back(self) -> None:
        """One level out (bindings.ESCAPE_RULE): from the find box, a note, a list, the outline to the text; from
        the text out of the paper."""
        focused = self.focused
        if focused is not None and focused.id == "reader-find":
            self.query_one(FindBar).close()
            return
        if focused is not None and focused.id != "reader-text" and self.query("#reader-text"):
            self.query_one(ReaderText).focus()
            return
        self._save_everything()
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.app.pop_screen()


def _typing_in(widget) -> bool:
    """Whether the focus is in a box that takes text (the paper's own text is read-only)."""
    return isinstance(widget, Input) or (isinstance(widget, TextArea) and not widget.read_only)


def _cards_made(made: list) -> str:
    return f"{len(made)} new card{'s' if len(made) != 1 else ''}"


def pass_line(detail: PaperDetail, state: reading.ReadingState, plan: reading.PassPlan, looking_back: bool) -> Text:
    """The header: the title (outside text, never markup), the pass, its question and progress."""
    done, total = state.progress(plan.number)
    back = f" (looking back; the paper is in pass {state.pass_no})" if looking_back else ""
    return Text.assemble(plain(detail.title, style="bold"),
                         f"\nPass {plan.number}/3{back} · {plan.name} — {plan.question}  [{done}/{total}]")

"""The day's review, as in Anki: the question, space for the answer, 1-4 to grade; undo, bury, suspend, edit.

Every action is one service call (readroom.cards.service), so what the screen shows as answered is committed.
The queue is built when the screen opens and then kept, as in Anki: after an answer or its undo the service
updates it (service.queue_after: the card leaves or comes back, the learning cards coming due are read), so a
step costs about a millisecond even with 100,000 cards. A bury or a suspension rebuilds it, since the card's
siblings held back for it may come today then. The session keeps its own list of actions for `u`: an answer is taken
back with service.undo, a bury, suspend, flag or mark by reversing it, newest first as Anki's Edit > Undo (a flag set
after an answer goes back before it), and the card comes back on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from readroom import clock as readroom_clock
from readroom import cloze, config
from readroom.cards import actions, figures, service
from readroom.cards.actions import FLAG_NAMES
from readroom.cards.scheduler import AGAIN, EASY, GOOD, HARD, RATING_NAMES, format_interval
from readroom.cards.service import CardView, ReviewQueue
from readroom.cards.stats import duration
from readroom.errors import NotFound, ReadroomError
from readroom.terminal import printable
from readroom.tui.plain import plain
from readroom.tui.reader.document import Place
from readroom.tui.screens.flag_chooser import FLAG_COLOURS, FlagChooser
from readroom.tui.widgets.card_editor import CardEditor, ConfirmDialog
from readroom.tui.widgets.figure_image import FigureImage
from readroom.tui.widgets.key_footer import KeyFooter
from readroom.tui.widgets.occlusion_mask import Masked

MORE_NEW = 10  # "study more": today's new-card limit raised by this many
AHEAD_DAYS = 1  # or the reviews due this many days after today (Anki's custom study defaults)

REVIEW_BINDINGS = [
    # Not in the footer: the button under the card says "Show answer (space)", then the grades' keys; and at 80
    # columns that room goes to the keys no button shows.
    Binding("space,enter", "show", "Show answer", key_display="space", show=False, id="review.show"),
    Binding("1", "grade(1)", "Again", show=False, id="review.again"),
    Binding("2", "grade(2)", "Hard", show=False, id="review.hard"),
    Binding("3", "grade(3)", "Good", show=False, id="review.good"),
    Binding("4", "grade(4)", "Easy", show=False, id="review.easy"),
    Binding("ctrl+z,u", "undo", "Undo", key_display="^z", id="review.undo"),
    Binding("minus", "bury", "Bury", key_display="-", id="review.bury"),
    Binding("at", "suspend", "Suspend", key_display="@", id="review.suspend"),
    # Anki's keys for the whole note (all its cards), and for marking and flagging
    Binding("equals_sign", "bury_note", "Bury note", key_display="=", show=False, id="review.bury_note"),
    Binding("exclamation_mark", "suspend_note", "Suspend note", key_display="!", show=False,
            id="review.suspend_note"),
    Binding("asterisk", "mark", "Mark note", key_display="*", show=False, id="review.mark"),
    Binding("f", "choose_flag", "Flag", id="review.flag"),  # a chooser: ctrl+digits reach few terminals
    *(Binding(f"ctrl+{n}", f"flag({n})", f"Flag {name} (again: clear)", show=False, id=f"review.flag_{name}")
      for n, name in FLAG_NAMES.items()),
    Binding("i", "card_info", "Info", show=False, id="review.info"),
    Binding("e", "edit", "Edit", id="review.edit"),
    # At "Done for today", as Anki's custom study offers
    Binding("n", "more_new", f"+{MORE_NEW} new", id="review.more_new"),
    Binding("a", "review_ahead", f"Review {AHEAD_DAYS} day ahead", id="review.ahead"),
    Binding("o", "open_paper", "Paper", id="review.open"),
    Binding("y", "anki_sync", "Sync", id="review.sync"),  # at "Done for today", as in Anki's overview
    Binding("escape,q", "back", "Back", key_display="esc", id="review.back"),
]

LEECH_BINDINGS = [
    Binding("e,enter", "yes", "Edit it now", id="leech.edit"),
    Binding("escape,l", "no", "Later", id="leech.later"),
]

GRADE_VARIANTS: dict[int, ButtonVariant] = {AGAIN: "error", HARD: "default", GOOD: "success", EASY: "primary"}
# Anki's colours for the three counts; mid tones that read on the dark and the light theme alike.
COUNT_COLOURS = {"new": "#3b82f6", "learning": "#dc2626", "review": "#16a34a"}
CLOZE_STYLE = "bold #3b82f6"


@dataclass
class Step:
    """One thing the session did, so `u` can take it back."""

    action: str  # answer / bury / suspend / flag / mark
    card_id: int
    rating: int = 0
    elapsed_ms: int = 0
    card_ids: tuple[int, ...] = ()  # a note-wide bury or suspend: the cards it changed
    before: int = 0  # a flag or a mark: the card's flag before it, or 1 if the note was marked


class ReviewScreen(Screen):
    BINDINGS = [*REVIEW_BINDINGS]
    HELP_TITLE = "Review"
    AUTO_FOCUS = None  # the keys belong to the screen: a focused button would take space and enter
    # DEFAULT_CSS, not CSS_PATH: Textual loads a screen's CSS_PATH only when the screen is pushed, and
    # `readroom review` starts on this screen as the app's default screen.
    DEFAULT_CSS = """
    #review-top {
        height: 1;
        background: $panel;
        padding: 0 1;
    }

    #review-counts {
        width: 1fr;
    }

    #review-marks {
        width: auto;
        margin-right: 2;
    }

    #review-timer {
        width: 6;
        text-align: right;
        color: $text-muted;
    }

    #review-card {
        height: 1fr;
        padding: 1 2;
        align-horizontal: center;
    }

    #review-question, #review-answer, #review-divider {
        width: 100%;
        max-width: 76;
        height: auto;
    }

    #review-question {
        text-style: bold;
    }

    #review-image {
        width: 100%;
        max-width: 76;
        height: 50vh;  /* the figure above the question, the rest of the card under it */
        margin-bottom: 1;
    }

    #review-divider {
        color: $text-muted;
        margin: 1 0;
    }

    #review-done {
        height: 1fr;
        padding: 1 2;
        align: center middle;
    }

    #review-summary {
        width: auto;
        max-width: 72;
        height: auto;
        padding: 1 2;
        border: round $primary;
    }

    #review-source {
        height: 1;
        padding: 0 2;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }

    #review-buttons {
        height: 1;
        margin: 1 0 1 0;
        align-horizontal: center;
    }

    #review-buttons Button {
        margin: 0 1;
        min-width: 14;
    }
    """

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(id="review")
        self.clock = clock or readroom_clock.now
        self.settings = config.load().review
        self.queue = ReviewQueue()
        self.card: CardView | None = None
        self.revealed = False
        self.intervals: dict[int, timedelta] = {}
        self.shown_at = self.clock()
        self.steps: list[Step] = []
        self.load_error: str | None = None
        self._more = (0, 0)  # what "study more" would add: (new cards, reviews ahead), counted at Done
        self._titles: dict[str, str] = {}
        self.ahead_days = 0  # "review ahead" chosen at Done
        self._session = ExitStack()

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-top"):
            yield Static("", id="review-counts")
            yield Static("", id="review-marks")
            yield Static("", id="review-timer")
        with VerticalScroll(id="review-card"):
            yield FigureImage(id="review-image")  # figure and occlusion cards
            yield Static("", id="review-question")
            yield Static("", id="review-divider")
            yield Static("", id="review-answer")
        with Vertical(id="review-done"):
            yield Static("", id="review-summary")
        yield Static("", id="review-source")
        with Horizontal(id="review-buttons"):
            yield self._button("Show answer  (space)", "show", "primary")
            for rating, name in RATING_NAMES.items():
                yield self._button(f"{rating} {name.capitalize()}", f"grade-{rating}", GRADE_VARIANTS[rating])
        yield KeyFooter()

    @staticmethod
    def _button(label: str, name: str, variant: ButtonVariant = "default") -> Button:
        button = Button(label, id=f"review-{name}", variant=variant, compact=True)
        button.can_focus = False
        return button

    def on_mount(self) -> None:
        self.query_one("#review-card").can_focus = False
        self.set_interval(1.0, self._tick)
        self._session.enter_context(service.review_session(self.settings))
        self.watch(self.app, "library_version", self._library_changed, init=False)
        self._next()

    def on_unmount(self) -> None:
        self._session.close()

    def _library_changed(self, _version: int) -> None:
        # a sync (`y` at "Done for today") may have brought the phone's answers: the next due card moves
        if self.card is None and self.query_one("#review-done").display:
            self.query_one("#review-summary", Static).update(self._summary())
            self.refresh_bindings()

    def on_screen_resume(self) -> None:
        # Back from the reader or an editor: the time away is not thinking time, so the card's timer restarts.
        self.shown_at = self.clock()
        self._tick()

    # ------------------------------------------------------------------------------------------ showing

    def _reload_queue(self) -> None:
        try:
            self.queue = actions.study_queue(self.clock(), self.settings, self.ahead_days)
        except ReadroomError as exc:
            self.queue = ReviewQueue()
            self.load_error = exc.message
            self.notify(exc.message, severity="error", markup=False)

    def _next(self) -> None:
        """The first card of a freshly built queue, or the end of the session."""
        self._reload_queue()
        self._show_next()

    def _after(self, card_id: int, card: CardView) -> None:
        """The queue updated for what was just done to `card_id`, `card` its state now (see service.queue_after)."""
        try:
            self.queue = service.queue_after(self.queue, card_id, self.clock(), self.settings, card)
        except ReadroomError:
            self._reload_queue()

    def _show_next(self, rebuilt: bool = True) -> None:
        card_id = self.queue.next_card()
        if card_id is None:
            self._show_done()
            return
        try:
            card = service.get_card(card_id)
        except NotFound:
            if rebuilt:
                raise
            self._next()  # deleted since the queue was built (in another window): start from a fresh one
            return
        self._show_card(card)

    def _show_card(self, card: CardView) -> None:
        self.card, self.revealed, self.intervals = card, False, {}
        self.shown_at = self.clock()
        self.query_one("#review-card").display = True
        self.query_one("#review-done").display = False
        self.query_one("#review-card", VerticalScroll).scroll_home(animate=False)
        self._render_card()
        self._render_top()
        self.refresh_bindings()

    def _render_card(self) -> None:
        card = self.card
        assert card is not None  # drawn only while a card is shown
        question = self.query_one("#review-question", Static)
        divider = self.query_one("#review-divider", Static)
        answer = self.query_one("#review-answer", Static)
        if card.kind == "cloze":
            question.update(_cloze_text(card.front, card.ord, revealed=self.revealed))
            divider.display = self.revealed and bool(card.back.strip())
            answer.update(plain(card.back, keep="\n"))
            answer.display = divider.display
        else:
            question.update(plain(card.front, keep="\n"))
            divider.display = answer.display = self.revealed
            answer.update(plain(card.back, keep="\n"))
        divider.update("─" * 40)
        self._render_image(card)
        self.query_one("#review-source", Static).update(self._source_line(card))
        self.query_one("#review-marks", Static).update(_marks(card))
        self.query_one("#review-source").display = True
        self.query_one("#review-show").display = not self.revealed
        for rating in RATING_NAMES:
            button = self.query_one(f"#review-grade-{rating}", Button)
            button.display = self.revealed
            if self.revealed:
                interval = self.intervals.get(rating)
                label = f"{rating} {RATING_NAMES[rating].capitalize()}"
                button.label = f"{label} · {format_interval(interval)}" if interval is not None else label

    def _render_image(self, card: CardView) -> None:
        """A figure card's image; an occlusion card's with its area hidden until the answer (occlusion_mask.py)."""
        image = self.query_one("#review-image", FigureImage)
        path = figures.image_file(card)
        image.display = bool(card.image)
        if card.kind == "occlude" and path is not None:
            image.show(Masked(path, tuple(tuple(a) for a in card.areas), card.ord, self.revealed))
        else:
            image.show(path, "The card's image is missing from media/." if card.image else None)

    def _source_line(self, card: CardView) -> Text:
        parts = []
        if card.paper_id:
            parts.append(self._title(card.paper_id))
        if card.section:
            parts.append(f"§ {card.section}")
        if card.page:
            parts.append(f"p. {card.page}")
        text = plain(" · ".join(parts) if parts else "no source paper", no_wrap=True, overflow="ellipsis")
        if card.tags:
            text.append(printable("  " + " ".join(f"#{t}" for t in card.tags)), style="italic")
        return text

    def _title(self, paper_id: str) -> str:
        if paper_id not in self._titles:
            from readroom import library

            found = library.list_by_ids([paper_id])
            self._titles[paper_id] = found[0].title if found else "a removed paper"
        return self._titles[paper_id]

    def _render_top(self) -> None:
        counts = self.queue.counts()
        text = Text("Review  ", style="bold")
        for name in ("new", "learning", "review"):
            text.append(f"{name} ")
            text.append(str(counts[name]), style=f"bold {COUNT_COLOURS[name]}")
            text.append("   ")
        self.query_one("#review-counts", Static).update(text)
        self._tick()

    def _elapsed(self) -> timedelta:
        # [review] timer_cap_seconds (Anki's default 60): the time counted, and shown, for one card stops there.
        cap = timedelta(seconds=self.settings.timer_cap_seconds)
        return min(cap, max(timedelta(0), self.clock() - self.shown_at))

    def _tick(self) -> None:
        timer = self.query_one("#review-timer", Static)
        if self.card is None:
            timer.update("")
            return
        seconds = int(self._elapsed().total_seconds())
        timer.update(f"{seconds // 60}:{seconds % 60:02d}")

    def _show_done(self) -> None:
        self.card = None
        self.query_one("#review-marks", Static).update("")
        self.query_one("#review-card").display = False
        self.query_one("#review-source").display = False
        for button in self.query("#review-buttons Button"):
            button.display = False
        self.query_one("#review-done").display = True
        self.query_one("#review-summary", Static).update(self._summary())
        self._render_top()
        self.refresh_bindings()

    def _summary(self) -> Text:
        answers = [s for s in self.steps if s.action == "answer"]
        text = Text()
        if self.load_error:
            return plain(self.load_error)
        if answers:
            again = sum(s.rating == AGAIN for s in answers)
            seconds = sum(s.elapsed_ms for s in answers) / 1000
            text.append("Done for today.\n\n", style="bold")
            text.append(f"{len(answers)} card{'s' if len(answers) != 1 else ''} studied in {duration(seconds)}"
                        f" · Again {again} · {_per_card(seconds, len(answers))} a card\n")
        else:
            text.append("Done for today: nothing is due now.\n", style="bold")
        try:
            upcoming = service.next_due(self.clock(), self.settings)
        except ReadroomError:
            upcoming = None
        if upcoming is not None:
            text.append(f"\nThe next card is due {self._when(upcoming)}.\n")
        elif not answers and not service.list_cards():
            text.append("\nYou have no cards yet. In the reader, select a passage and press h to highlight it, "
                        "then c to make a card of it; or run `readroom card add`.\n")
        text.append(self._study_more())
        text.append("\n^z takes back the last step · esc goes back" if self.steps else "\nesc goes back", style="dim")
        return text

    def _study_more(self) -> Text:
        """Anki's custom study, the two choices a reader needs: more new cards today, or reviews due soon."""
        if self.load_error:
            return Text()
        try:
            new, ahead = actions.study_more_counts(self.clock(), self.settings, MORE_NEW, self.ahead_days + AHEAD_DAYS)
        except ReadroomError:
            return Text()
        self._more = (new, ahead)
        if not new and not ahead:
            return Text()
        text = Text("\nStudy more:\n", style="bold")
        if new:
            text.append(f"  n  {MORE_NEW} more new cards today ({new} waiting)\n")
        if ahead:
            days = self.ahead_days + AHEAD_DAYS
            text.append(f"  a  review ahead: {ahead} card{'s' if ahead != 1 else ''} due in the next "
                        f"{f'{days} days' if days != 1 else 'day'}\n")
        return text

    def _when(self, moment: datetime) -> str:
        zone = self.settings.zone()
        local, today = moment.astimezone(zone), self.clock().astimezone(zone).date()
        wait = moment - self.clock()
        hours, minutes = divmod(max(0, int(wait.total_seconds()) // 60), 60)
        soon = f" (in {hours}h {minutes:02d}m)" if hours else f" (in {max(1, minutes)}m)"
        if local.date() == today:
            return f"today at {local:%H:%M}{soon}"
        if local.date() == today + timedelta(days=1):
            return f"tomorrow at {local:%H:%M}{soon}"
        return f"on {local:%a %d %b} at {local:%H:%M}"

    # ------------------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The footer shows only what applies: no card keys on the end-of-session summary.
        if self.card is None and action in ("show", "grade", "bury", "suspend", "edit", "open_paper", "bury_note",
                                            "suspend_note", "mark", "flag", "choose_flag", "card_info"):
            return False
        if action == "anki_sync":
            return self.card is None
        if action == "more_new":
            return self.card is None and self._more[0] > 0
        if action == "review_ahead":
            return self.card is None and self._more[1] > 0
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("review-")
        if name == "show":
            self.action_show()
        elif name.startswith("grade-"):
            self.action_grade(int(name.removeprefix("grade-")))

    def action_show(self) -> None:
        if self.card is None:
            return
        if self.revealed:  # as in Anki: space or enter on the answer means Good
            self.action_grade(GOOD)
            return
        try:
            self.intervals = service.intervals_of(self.card, self.clock(), self.settings)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
        self.revealed = True
        self._render_card()

    def action_grade(self, rating: int) -> None:
        if self.card is None or not self.revealed:
            return
        card = self.card
        elapsed_ms = int(self._elapsed().total_seconds() * 1000)
        try:
            after = service.answer(card.id, rating, self.clock(), elapsed_ms, self.settings)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            self._next()
            return
        self.steps.append(Step("answer", card.id, rating, elapsed_ms))
        self._after(card.id, after)
        self._show_next(rebuilt=False)
        if after.leech and not card.leech:
            self.app.push_screen(LeechDialog(after), lambda edit: self._edit(after, leech=True) if edit else None)

    def action_undo(self) -> None:
        if not self.steps:
            self.notify("Nothing to undo in this session.", timeout=2)
            return
        step = self.steps.pop()
        if step.action in ("flag", "mark"):
            self._undo_mark(step)
            return
        try:
            if step.action == "answer":
                restored = service.undo(step.card_id)
                if restored is None:
                    raise ReadroomError("That answer is no longer in the review log.")
            elif step.action == "bury":
                service.unbury(list(step.card_ids or [step.card_id]))
            else:
                service.set_suspended(list(step.card_ids or [step.card_id]), False)
            card = service.get_card(step.card_id)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            self._next()
            return
        if step.action == "answer":
            self._after(card.id, card)
        else:
            self._reload_queue()  # as a bury or suspension did: the siblings come or go with it
        self._show_card(card)
        self.notify(f"Undid {step.action}.", timeout=2)

    def _undo_mark(self, step: Step) -> None:
        """A flag or a mark taken back: the card stays as it is on screen (its answer still showing, if it was)."""
        try:
            if step.action == "flag":
                actions.set_flag(step.card_id, step.before, toggle=False)
            else:
                actions.toggle_mark(step.card_id, marked=bool(step.before))
            card = service.get_card(step.card_id)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        if self.card is not None and self.card.id == card.id:
            self.card = card
            self._render_card()
        else:
            self._show_card(card)
        self.notify(f"Undid {step.action}.", timeout=2)

    def action_bury(self) -> None:
        self._set_aside("bury")

    def action_suspend(self) -> None:
        self._set_aside("suspend")

    def _set_aside(self, action: str) -> None:
        if self.card is None:
            return
        card_id = self.card.id
        try:
            if action == "bury":
                service.bury([card_id], self.clock(), self.settings)
            else:
                service.set_suspended([card_id], True)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.steps.append(Step(action, card_id))
        self.notify("Buried until tomorrow." if action == "bury" else "Suspended: unsuspend it in the card browser.",
                    timeout=2)
        self._next()  # rebuilt: the card's siblings held back for it may come today now

    def action_bury_note(self) -> None:
        self._set_note_aside("bury")

    def action_suspend_note(self) -> None:
        self._set_note_aside("suspend")

    def _set_note_aside(self, action: str) -> None:
        if self.card is None:
            return
        card_id = self.card.id
        try:
            if action == "bury":
                ids = actions.bury_note(card_id, self.clock(), self.settings)
            else:
                ids = actions.suspend_note(card_id)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.steps.append(Step(action, card_id, card_ids=tuple(ids)))
        cards = f"{len(ids)} card{'s' if len(ids) != 1 else ''} of this note"
        self.notify(f"Buried {cards} until tomorrow." if action == "bury" else
                    f"Suspended {cards}: unsuspend them in the card browser.", timeout=2)
        self._next()

    def action_mark(self) -> None:
        if self.card is None:
            return
        was_marked = actions.MARKED_TAG in self.card.tags
        try:
            marked = actions.toggle_mark(self.card.id)
            self.card = service.get_card(self.card.id)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.steps.append(Step("mark", self.card.id, before=int(was_marked)))
        self._render_card()
        self.notify("Note marked (tag marked)." if marked else "Note unmarked.", timeout=2)

    def action_flag(self, flag: int) -> None:
        if self.card is None:
            return
        before = self.card.flag
        try:
            now = actions.set_flag(self.card.id, flag)
            self.card = service.get_card(self.card.id)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.steps.append(Step("flag", self.card.id, before=before))
        self._render_card()
        self.notify(f"Flag {FLAG_NAMES[now]}." if now else "Flag cleared.", timeout=2)

    def action_choose_flag(self) -> None:
        """`f`, then a digit in the chooser: sets that flag (not Ctrl+digit's toggle), 0 clears it."""
        if self.card is None:
            return
        card_id = self.card.id

        def chosen(flag: int | None) -> None:
            if flag is None or self.card is None or self.card.id != card_id:
                return
            if flag == self.card.flag:
                self.notify(f"Flag {FLAG_NAMES[flag]}." if flag else "No flag.", timeout=2)
            else:  # set_flag toggles: the card's own flag clears it
                self.action_flag(flag or self.card.flag)

        self.app.push_screen(FlagChooser(self.card.flag), chosen)

    def action_card_info(self) -> None:
        if self.card is None:
            return
        from readroom.tui.screens.card_info import CardInfoScreen

        try:
            info = actions.card_info(self.card.id, self.clock(), self.settings)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.app.push_screen(CardInfoScreen(info, self.settings.zone()))

    def action_anki_sync(self) -> None:
        self.app.action_anki_sync()  # type: ignore[attr-defined]

    def action_more_new(self) -> None:
        if self.card is None:
            self.settings = actions.more_new(self.settings, MORE_NEW)
            self._next()

    def action_review_ahead(self) -> None:
        if self.card is None:
            self.ahead_days += AHEAD_DAYS
            self._next()

    def action_edit(self) -> None:
        if self.card is not None:
            self._edit(self.card)

    def _edit(self, card: CardView, leech: bool = False) -> None:
        reason = (f"Forgotten {_times(card.lapses)}: tagged leech and suspended. Rewrite it so it sticks, then "
                  "unsuspend it in the card browser (b on the library).") if leech else ""

        def edited(cards: list[CardView] | None) -> None:
            if cards is None:
                return
            if self.card is not None and self.card.id == card.id:
                if any(c.id == card.id for c in cards):
                    self.card = service.get_card(card.id)
                    self._render_card()
                else:
                    self._next()  # its cloze number was removed, and the card with it

        self.app.push_screen(CardEditor(card, clock=self.clock, reason=reason), edited)

    def action_open_paper(self) -> None:
        if self.card is None:
            return
        if not self.card.paper_id:
            self.notify("This card has no source paper.", timeout=2)
            return
        self.app.open_paper(  # type: ignore[attr-defined]
            self.card.paper_id, Place(self.card.highlight_id, self.card.section, self.card.page))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:  # started on this screen (`readroom review`)
            self.app.exit()


class LeechDialog(ConfirmDialog):
    """Anki's leech notice: the card was suspended; offer to rewrite it now."""

    BINDINGS = [*LEECH_BINDINGS]
    HELP_TITLE = "Leech"

    def __init__(self, card: CardView) -> None:
        super().__init__(
            f"Leech: forgotten {_times(card.lapses)}",
            "It is tagged leech and suspended, so it stops taking your time. Cards that keep failing are usually "
            f"too long or vague: rewrite it so it sticks.\n\n{_plain_question(card)}",
            yes="Edit it now (e)", no="Later (esc)")
        self.card = card


# --------------------------------------------------------------------------------------------- text


def _cloze_text(text: str, number: int, revealed: bool) -> Text:
    """The cloze with card `number`'s deletions as [...] (or [hint]), or revealed, in the cloze colour."""
    out = Text()
    for segment in cloze.parse(text):
        if isinstance(segment, str):
            out.append(segment)
        elif segment.number != number:
            out.append(segment.answer)
        elif revealed:
            out.append(segment.answer, style=CLOZE_STYLE)
        else:
            out.append(f"[{segment.hint}]" if segment.hint else "[...]", style=CLOZE_STYLE)
    out.plain = printable(out.plain, keep="\n")  # one symbol per control: the styles stay where they were
    return out


def _marks(card: CardView) -> Text:
    """The card's flag and its note's mark, for the top bar."""
    text = Text()
    if card.flag in FLAG_NAMES:
        text.append(f"⚑ {FLAG_NAMES[card.flag]}", style=f"bold {FLAG_COLOURS[card.flag]}")
    if actions.MARKED_TAG in card.tags:
        text.append("  ★ marked" if text else "★ marked", style="bold")
    return text


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _plain_question(card: CardView) -> str:
    return " ".join(card.question.split())


def _per_card(seconds: float, n: int) -> str:
    return f"{seconds / n:.0f} s" if n else "-"

"""The reading room app: screens, themes, key remapping, the command palette, and adding papers in a worker."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from readroom import clock as clocks
from readroom import config, library
from readroom.errors import ReadroomError
from readroom.terminal import excerpt, printable
from readroom.tui.keys import APP_BINDINGS
from readroom.tui.screens.add_request import AddRequest

DARK, LIGHT = "textual-dark", "textual-light"


@dataclass(frozen=True)
class AddActivity:
    """What the add worker is doing now, for the progress line on the library and classics screens."""

    text: str
    done: int | None = None
    total: int | None = None


class _ProgressToApp(library.AddProgress):
    """library.add's progress callbacks, run on the worker thread, posted to the app as AddProgress messages."""

    _MIN_INTERVAL = 0.05  # seconds: download chunks arrive far faster than a screen refresh

    def __init__(self, app: ReadroomApp) -> None:
        self.app = app
        self.query = ""
        self.text = ""
        self._last = 0.0

    def _post(self, activity: AddActivity, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self._MIN_INTERVAL:
            self._last = now
            self.app.post_message(ReadroomApp.AddProgress(activity))

    def step(self, query: str, text: str) -> None:
        self.query, self.text = query, text
        self._post(AddActivity(f"{query}: {text}"), force=True)

    def download(self, done: int, total: int | None) -> None:
        size = f"{done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else "")
        self._post(AddActivity(f"{self.query}: {self.text} ({size})", done, total), force=bool(total and done >= total))

    def parse(self, done: int, total: int) -> None:
        self._post(AddActivity(f"{self.query}: parsing page {done} of {total}", done, total), force=done >= total)


def describe_unexpected(exc: Exception) -> str:
    # The CLI's words for a bug (cli.main), minus the --debug hint that means nothing here.
    return f"Unexpected error ({exc.__class__.__name__}: {exc})."


class ReadroomApp(App[int]):
    class AddProgress(Message):
        """What the add worker is doing now. Only the latest counts: a queued one gives way to a newer one."""

        def __init__(self, activity: AddActivity) -> None:
            super().__init__()
            self.activity = activity

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ReadroomApp.AddProgress)

    class AddDone(Message):
        def __init__(self, outcomes: list) -> None:
            super().__init__()
            self.outcomes = outcomes

    class AddFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    CSS_PATH = Path(__file__).with_name("readroom.tcss")  # absolute: subclasses elsewhere (benchmark) find it too
    TITLE = "readroom"
    SUB_TITLE = "read papers in three passes"
    BINDINGS = [*APP_BINDINGS]
    COMMANDS = App.COMMANDS | {lambda: _paper_commands()}  # imported when the palette opens, not at start

    library_version: reactive[int] = reactive(0)
    """Bumped whenever papers change (added, read), so screens that show them reload."""
    add_activity: reactive[AddActivity | None] = reactive(None)
    """The add worker's current step; None when no add is running."""
    sync_activity: reactive[str | None] = reactive(None)
    """What a sync with the Anki sync server (tui.syncing) is doing; None when none runs."""

    def __init__(self, start: str = "library") -> None:
        super().__init__()
        self.start = start  # the first screen: "library", or one of SCREENS' names (`readroom review`)
        self.papers_by_id: dict[str, str] = {}  # id -> title, kept by the library screen for the palette
        self.last_added: str | None = None  # the library screen moves its cursor there after an add
        self._add_lock = threading.Lock()  # adds run one after another: one writer, progress that reads well
        try:
            settings = config.load()
            self._config_warnings = config.unknown_key_warnings()  # the lines the CLI warns with
        except ReadroomError as exc:  # the app still opens, on the defaults, and says why
            settings, self._config_warnings = config.DEFAULTS, [exc.message]
        self.set_keymap(settings.keys.keymap())
        self._saved_theme = settings.ui.theme  # what config.toml holds: choosing another saves it there
        self.theme = settings.ui.theme

    def get_default_screen(self) -> Screen:
        if self.start in SCREENS:
            return _screen_class(self.start)()
        from readroom.tui.screens.library import LibraryScreen

        return LibraryScreen()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notice comes here (a screen's or widget's notify calls the app's). Most echo outside text (titles,
        file names, messages quoting them): none is markup, and controls show as symbols."""
        super().notify(printable(message, keep="\n"), title=printable(title), severity=severity, timeout=timeout,
                       markup=False)

    def on_mount(self) -> None:
        for warning in self._config_warnings:  # said while the library loads: long enough to be read after it
            self.notify(warning, severity="warning", markup=False, timeout=20)

    # ----------------------------------------------------------------------------------------- actions

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def watch_theme(self, name: str) -> None:
        """After Textual's own watcher, before the widgets' (the footer's, the reader text's): Textual refreshes
        theme_variables only on the next turn, so read them now or those widgets repaint in the old colours. A
        theme chosen here (the key, or the palette's theme list) is saved in config.toml for the next start."""
        self.get_css_variables()
        if name == self._saved_theme:
            return
        try:
            config.save("ui", "theme", name)
        except ReadroomError as exc:
            self.notify(f"The theme is not saved: {exc.message}", severity="warning", markup=False)
            return
        self._saved_theme = name

    async def action_back(self) -> None:
        """`q` out of a screen that has no `q` of its own: the screen's own way back (or a dialog's cancel), so
        what it does on leaving (asking, saving) still happens; else the screen under it."""
        screen = self.screen
        for name in ("back", "cancel", "close"):
            if hasattr(screen, f"action_{name}"):
                await screen.run_action(name)
                return
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from readroom.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_classics(self) -> None:
        from readroom.tui.screens.classics import ClassicsScreen

        if not isinstance(self.screen, ClassicsScreen):
            self.push_screen(ClassicsScreen())

    def show_screen(self, name: str) -> None:
        """Push one of SCREENS (review, cards, stats, discover, export) unless it is already on top."""
        try:
            cls = _screen_class(name)
        except ImportError:
            self.notify(f"The {name} screen is not available in this build yet.", severity="warning")
            return
        if not isinstance(self.screen, cls):
            try:
                self.push_screen(cls())
            except ReadroomError as exc:
                self.notify(exc.message, severity="error", markup=False)

    def action_review(self) -> None:
        self.show_screen("review")

    def action_cards(self) -> None:
        self.show_screen("cards")

    def action_stats(self) -> None:
        self.show_screen("stats")

    def action_discover(self) -> None:
        self.show_screen("discover")

    def action_export(self) -> None:
        self.show_screen("export")

    def action_anki_sync(self) -> None:
        if self.sync_activity is not None:
            self.notify("A sync is already running.", timeout=3)
            return
        from readroom.tui.syncing import run_sync

        self.run_worker(run_sync(self), group="anki-sync", exit_on_error=False)

    def open_paper(self, paper_id: str, place=None) -> None:
        """The reader for one paper; `place` (a reader_document.Place) opens it at a card's source.

        One reader at a time, as one open document: the paper already open (a second Enter or click while it
        opens, `o` on one of its cards) is gone back to, at the place if one is given; another paper closes
        the reader there (and what was opened over it) first."""
        from readroom.tui.reader.screen import ReaderScreen

        reader = next((s for s in reversed(self.screen_stack) if isinstance(s, ReaderScreen)), None)
        if reader is not None and reader.paper_id == paper_id:
            while self.screen is not reader:
                self.pop_screen()
            if place is not None:
                reader.go_to(place)
            return
        try:
            opened = ReaderScreen(paper_id, place=place)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        if reader is not None:
            while self.screen is not reader:
                self.pop_screen()
            self.pop_screen()
        self.push_screen(opened)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen it was opened on, then the app's and Textual's."""
        seen = set()
        for binding in [*getattr(screen, "BINDINGS", []), *APP_BINDINGS]:
            action = binding.action
            if not binding.description or action in seen or action in ("quit", "back", "clear_filters"):
                continue
            seen.add(action)
            target = self if binding in APP_BINDINGS else screen
            yield SystemCommand(binding.description, _PALETTE_HELP.get(action.removeprefix("app."), ""),
                                lambda target=target, action=action: target.run_action(action))
        yield from super().get_system_commands(screen)

    # ----------------------------------------------------------------------------------------- adding

    def add_papers(self, request: AddRequest) -> None:
        self.add_activity = AddActivity(f"{' '.join(request.queries)}: waiting")
        self._add_worker(request)

    @work(thread=True, group="add", exit_on_error=False)
    def _add_worker(self, request: AddRequest) -> None:
        progress = _ProgressToApp(self)
        with self._add_lock:
            try:
                outcomes = library.add(request.queries, request.options, progress)
            except ReadroomError as exc:
                self.post_message(self.AddFailed(exc.message))
                return
            except Exception as exc:  # a bug must not take the app down; say what it was
                self.post_message(self.AddFailed(describe_unexpected(exc)))
                return
            self.post_message(self.AddDone(outcomes))

    @on(AddProgress)
    def _add_progress(self, event: AddProgress) -> None:
        self.add_activity = event.activity

    @on(AddFailed)
    def _add_failed(self, event: AddFailed) -> None:
        self.add_activity = None
        self.notify(event.error, severity="error", markup=False)

    @on(AddDone)
    def _add_finished(self, event: AddDone) -> None:
        self.add_activity = None
        outcomes = event.outcomes
        several = len(outcomes) > 1
        for outcome in outcomes:
            if outcome.status == "failed":
                message = f"{excerpt(outcome.query)}: {outcome.message}" if several else outcome.message
                self.notify(message, severity="error", markup=False, timeout=10)
                continue
            self.notify(outcome.message, markup=False)
            if outcome.warning:
                self.notify(outcome.warning, severity="warning", markup=False, timeout=10)
        added = [o.paper.id for o in outcomes if o.paper is not None]
        self.last_added = added[-1] if added else None
        self.library_version += 1


_PALETTE_HELP = {
    "open_paper": "Open the selected paper in the reader",
    "add_paper": "Add papers by arXiv id or URL, DOI, PDF file or URL, or classic name",
    "classics": "Browse the catalogue of classic papers and add them",
    "focus_search": "Search titles and authors as you type",
    "cycle_sort": "Sort by date added, title, year or first author",
    "filter_tag": "Show only papers with one tag",
    "filter_status": "Show only papers at one pass or decision",
    "reload": "Read the library again",
    "help": "List every key binding",
    "toggle_theme": "Switch between the dark and the light theme",
    "add_classic": "Add the selected classic paper",
    "review": "Review the cards due today",
    "cards": "Browse, search and edit your cards",
    "stats": "Reviews per day, retention, forecast and reading streak",
    "discover": "New arXiv papers ranked for you (arXiv-Sanity, kept locally)",
    "export": "Export cards to Anki (.apkg) or papers to BibTeX",
    "anki_sync": "Sync cards and reviews with your own Anki sync server (your phone's reviews come back)",
    "add": "Add the selected paper to your library",
    "tag": "Tag the selected paper (adds it first)",
    "dismiss_paper": "Hide the selected paper; it counts against similar ones",
    "cycle_mode": "Rank for you, by a tag, newest first or at random",
    "search": "Search the Discover index",
    "sync": "Fetch new arXiv papers into the Discover index",
    "show": "Show the answer",
    "undo": "Take back the last answer, bury, suspend, flag or mark",
    "bury": "Hide this card until tomorrow",
    "suspend": "Stop showing this card until unsuspended",
    "toggle_suspend": "Suspend or unsuspend the selected card",
    "filter_state": "Show only cards in one state",
    "highlight": "Highlight the selected passage (with a kind and a note)",
    "card": "Make a cloze or question card from the selection or the highlight under the cursor",
    "view_pass": "Look back at an earlier pass, or return to the current one",
    "open_classic": "Open the selected classic, or add it if it is not in your library",
}


# Screens opened by name, each in its own module, imported when first shown (start-up stays light).
SCREENS = {
    "review": ("readroom.tui.screens.review", "ReviewScreen"),
    "cards": ("readroom.tui.screens.card_browser", "CardBrowserScreen"),
    "stats": ("readroom.tui.screens.stats", "StatsScreen"),
    "discover": ("readroom.tui.screens.discover", "DiscoverScreen"),
    "export": ("readroom.tui.screens.export", "ExportScreen"),
}


def _screen_class(name: str) -> type[Screen]:
    import importlib

    module, cls = SCREENS[name]
    return getattr(importlib.import_module(module), cls)


def _paper_commands():
    from readroom.tui.palette import PaperCommands

    return PaperCommands


def create_app(home: str | Path | None = None, clock: clocks.Clock | None = None,
               settings: config.Settings | None = None, start: str = "library") -> ReadroomApp:
    """The app, with what it runs on put in place for the process first: `home` as READROOM_HOME, `clock` as
    readroom.clock's clock, `settings` instead of reading config.toml. Left out, each stays as it is."""
    if home is not None:
        os.environ["READROOM_HOME"] = str(home)
    if clock is not None:
        clocks.install(clock)
    if settings is not None:
        config.install(settings)
    return ReadroomApp(start)


def run_app(start: str = "library") -> int:
    """Run the reading room in this terminal, on the library or one of SCREENS; the exit code for the CLI."""
    from readroom.tui.widgets.figure_image import probe

    app = create_app(start=start)
    probe()  # which image protocol the terminal speaks: asked before Textual reads stdin
    app.run()
    return app.return_code or 0

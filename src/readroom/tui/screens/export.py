"""The export box (`E` on the library): what to export, where to, then the same export `readroom export` runs,
in a worker, with the result as a notification."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from readroom import clock
from readroom.errors import ReadroomError
from readroom.export import service as export_service
from readroom.export.selection import CardFilter
from readroom.terminal import excerpt
from readroom.tui.plain import plain

WHAT = [("All cards (Anki .apkg)", "all"), ("One paper's cards (Anki .apkg)", "paper"),
        ("Cards with a tag (Anki .apkg)", "tag"), ("Papers as BibTeX (.bib)", "bibtex")]


def selection(what: str, value: str) -> CardFilter:
    return CardFilter(paper=value.strip() if what == "paper" else None, tag=value if what == "tag" else None)


def run_export(what: str, value: str, path: Path | None, now: datetime) -> str:
    """The export itself (on a worker thread), to `path` or the default name for what it holds; the message to show.
    Raises ReadroomError for the user's mistakes."""
    from readroom.errors import BadInput

    if what in ("paper", "tag") and not value.strip():
        raise BadInput(f"Choose a {what} to export.")
    if what == "bibtex":
        return export_service.write_bibtex(selection(what, value), path, now).message()
    return export_service.export_cards(selection(what, value), path, now).message()


class ExportScreen(ModalScreen[str | None]):
    """Dismisses with the message of what was written, or None on Escape / Cancel. A failure is notified and the box
    stays open."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    #export-box {
        width: 90%; max-width: 100; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    #export-box Label.dialog-title { text-style: bold; margin-bottom: 1; }
    #export-box Label.dialog-hint { color: $text-muted; }
    #export-buttons { height: auto; margin-top: 1; }
    #export-buttons Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    class PapersRead(Message):
        def __init__(self, options: list[tuple[Text, str]]) -> None:
            super().__init__()
            self.options = options

    class ExportDone(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class ExportFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, now: datetime | None = None) -> None:
        super().__init__()
        self.now = now or clock.now()
        # Replaced on a change of choice unless the user edited it; while it stands, the service names the file.
        self._default = str(export_service.default_path(CardFilter(), "apkg", self.now))
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label("Export", classes="dialog-title")
            yield Select(WHAT, value="all", allow_blank=False, id="export-what")
            yield Select([], prompt="Paper", id="export-paper")
            yield Input(placeholder="tag", id="export-tag")
            yield Label("Save to", classes="dialog-hint")
            yield Input(self._default, placeholder="named by what it holds, in exports/", id="export-path")
            yield Static("Importing it again in Anki updates the notes instead of adding them.", classes="dialog-hint")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self._show_fields("all")
        self._load_papers()

    @work(thread=True, exit_on_error=False, group="export-papers")
    def _load_papers(self) -> None:
        from readroom import library

        try:
            papers = library.list_papers(sort="title")
        except ReadroomError:
            return
        options = [(plain(p.title[:80]), p.id) for p in papers]
        self.post_message(self.PapersRead(options))

    @on(PapersRead)
    def _papers_read(self, event: PapersRead) -> None:
        self.query_one("#export-paper", Select).set_options(event.options)

    def _show_fields(self, what: str) -> None:
        self.query_one("#export-paper").display = what == "paper"
        self.query_one("#export-tag").display = what == "tag"

    @on(Select.Changed, "#export-what")
    def _what_changed(self, event: Select.Changed) -> None:
        self._show_fields(str(event.value))
        self._follow_choice()

    @on(Select.Changed, "#export-paper")
    @on(Input.Changed, "#export-tag")
    def _follow_choice(self) -> None:
        """A path the user has not edited follows the choice, so it names what the file will hold."""
        path_input = self.query_one("#export-path", Input)
        if path_input.value == self._default:
            self._default = path_input.value = self._default_for(*self._choice())

    def _choice(self) -> tuple[str, str]:
        what = str(self.query_one("#export-what", Select).value)
        paper = self.query_one("#export-paper", Select).value
        value = (str(paper) if paper != Select.BLANK else "") if what == "paper" else \
            self.query_one("#export-tag", Input).value
        return what, value

    def _default_for(self, what: str, value: str) -> str:
        """The default path for this choice; "" while the paper or tag is still to be chosen."""
        if what in ("paper", "tag") and not value.strip():
            return ""
        try:
            return str(export_service.default_path(selection(what, value),
                                                   "bibtex" if what == "bibtex" else "apkg", self.now))
        except ReadroomError:  # say a paper removed meanwhile: the export says what is wrong
            return ""

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        if self.busy:
            return
        what, value = self._choice()
        raw = self.query_one("#export-path", Input).value.strip()
        path = Path(raw).expanduser() if raw and raw != self._default else None
        self.busy = True
        self.notify(f"Exporting to {excerpt(raw) if raw else 'exports/'} …", markup=False)
        self._export(what, value, path)

    @work(thread=True, exit_on_error=False, group="export", exclusive=True)
    def _export(self, what: str, value: str, path: Path | None) -> None:
        try:
            message = run_export(what, value, path, self.now)
        except ReadroomError as exc:
            self.post_message(self.ExportFailed(exc.message))
            return
        except Exception as exc:  # a bug must not take the app down; say what it was
            from readroom.tui.app import describe_unexpected

            self.post_message(self.ExportFailed(describe_unexpected(exc)))
            return
        self.post_message(self.ExportDone(message))

    @on(ExportFailed)
    def _failed(self, event: ExportFailed) -> None:
        self.busy = False
        self.notify(event.error, severity="error", markup=False, timeout=10)

    @on(ExportDone)
    def _done(self, event: ExportDone) -> None:
        self.busy = False
        self.app.notify(event.text, markup=False, timeout=10)
        self.dismiss(event.text)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

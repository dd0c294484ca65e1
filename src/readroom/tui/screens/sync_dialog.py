"""The two questions a sync from the app may ask: the server's password (once; only the session key is kept), and
which way a full sync goes when both sides changed in ways Anki cannot merge (never chosen silently)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from readroom.tui.plain import plain

_CSS = """
PasswordDialog, FullSyncDialog { align: center middle; }
PasswordDialog .dialog-box, FullSyncDialog .dialog-box { max-width: 76; }
PasswordDialog .dialog-hint, FullSyncDialog .dialog-hint { width: 100%; }
PasswordDialog .dialog-buttons Button, FullSyncDialog .dialog-buttons Button { margin-right: 2; }
"""


class PasswordDialog(ModalScreen[str | None]):
    """Dismisses with the password typed (never shown), or None on Cancel / Escape."""

    DEFAULT_CSS = _CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="sync_password.cancel")]

    def __init__(self, server: str, user: str) -> None:
        super().__init__()
        self.server, self.user = server, user

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(plain(f"Password for {self.user} at {self.server}"), classes="dialog-title")
            yield Input(password=True, id="sync-password", placeholder="password")
            yield Label("Used once to log in; readroom keeps only the session key, never the password.",
                        classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Log in (enter)", id="sync-log-in", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="sync-cancel", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._log_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sync-log-in":
            self._log_in()
        else:
            self.dismiss(None)

    def _log_in(self) -> None:
        password = self.query_one("#sync-password", Input).value
        if password:
            self.dismiss(password)

    def action_cancel(self) -> None:
        self.dismiss(None)


FULL_SYNC_BINDINGS = [
    Binding("d", "choose('download')", "Download", id="full_sync.download"),
    Binding("u", "choose('upload')", "Upload", id="full_sync.upload"),
    Binding("escape", "cancel", "Cancel", id="full_sync.cancel"),
]


class FullSyncDialog(ModalScreen[str | None]):
    """Dismisses with "download" or "upload", or None on Cancel / Escape."""

    DEFAULT_CSS = _CSS
    BINDINGS = [*FULL_SYNC_BINDINGS]
    HELP_TITLE = "Full sync"

    def __init__(self, server: str) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("A full sync is needed", classes="dialog-title")
            yield Label(plain(f"The collection on {self.server} and readroom's both changed in ways Anki cannot "
                              "merge. Download keeps the server's collection and merges readroom's cards into it "
                              "again; Upload replaces the server's collection with readroom's, and what changed "
                              "elsewhere since the last sync is lost."), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Download (d)", id="full-download", variant="primary", compact=True)
                yield Button("Upload (u)", id="full-upload", variant="warning", compact=True)
                yield Button("Cancel (esc)", id="full-cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"full-download": "download", "full-upload": "upload"}.get(event.button.id or ""))

    def action_choose(self, way: str) -> None:
        self.dismiss(way)

    def action_cancel(self) -> None:
        self.dismiss(None)

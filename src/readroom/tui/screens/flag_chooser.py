"""The flag chooser (`f` in review): Anki's Ctrl+1..4 reach the app only in terminals with the kitty keyboard
protocol (most send Ctrl+1 as a plain 1, which grades), so `f` then a digit flags the card in any terminal."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from readroom.cards.actions import FLAG_NAMES

FLAG_COLOURS = {1: "#dc2626", 2: "#ea580c", 3: "#16a34a", 4: "#2563eb"}  # Anki's red, orange, green, blue

FLAG_CHOOSER_BINDINGS = [
    *(Binding(str(n), f"choose({n})", f"Flag {name}", id=f"flag_chooser.{name}") for n, name in FLAG_NAMES.items()),
    Binding("0", "choose(0)", "No flag", id="flag_chooser.clear"),
    Binding("escape,f,q", "cancel", "Cancel", key_display="esc", id="flag_chooser.cancel"),
]


class FlagChooser(ModalScreen[int | None]):
    """Dismisses with the flag chosen (1-4, 0 for none), or None on Escape. Being modal, its digits never reach the
    review screen's grade keys."""

    BINDINGS = [*FLAG_CHOOSER_BINDINGS]
    HELP_TITLE = "Flag"
    DEFAULT_CSS = """
    FlagChooser { align: center middle; }
    #flag-box { width: 30; height: auto; padding: 0 2; border: round $primary; background: $panel; }
    """

    def __init__(self, current: int = 0) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="flag-box"):
            yield Label("Flag this card", classes="dialog-title")
            yield Static(self._choices(), id="flag-choices")
            yield Label(Text("esc cancels", style="dim"))

    def _choices(self) -> Text:
        text = Text()
        for n, name in [*FLAG_NAMES.items(), (0, "no flag")]:
            style = f"bold {FLAG_COLOURS[n]}" if n in FLAG_COLOURS else "bold"
            text.append(f"{n} ", style="bold").append(f"⚑ {name}" if n else name, style=style)
            text.append("  ← now\n" if n == self.current else "\n", style="dim")
        text.rstrip()
        return text

    def action_choose(self, flag: int) -> None:
        self.dismiss(flag)

    def action_cancel(self) -> None:
        self.dismiss(None)

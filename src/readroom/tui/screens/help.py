"""`?`: every key binding, as remapped by the user, for the screen it was opened on and the others."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from readroom.tui.keys import binding_groups


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows: list[tuple[str, str, str, str]] = []  # group, key shown, what it does, id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label("Keys  (remap any of them by id in [keys] of config.toml)", classes="dialog-title",
                        markup=False)
            groups = [(g.title, g.bindings) for g in binding_groups()]
            own = [b for b in getattr(self.under, "BINDINGS", []) if isinstance(b, Binding)]
            if own:  # the keys of the screen help was opened on come first, then those that work everywhere
                here = next((g for g in groups if g[1] == own), None)
                if here is not None:
                    groups.remove(here)
                groups.insert(0, here or (getattr(self.under, "HELP_TITLE", "This screen"), own))
            for title, bindings in groups:
                yield Static(self._table(title, bindings), classes="help-group")
            yield Label("Escape closes this help.", classes="dialog-hint")

    def _table(self, title: str, bindings: list[Binding]) -> Table:
        table = Table(title=title, title_justify="left", title_style="bold", show_header=False, box=None,
                      expand=True, padding=(0, 1))
        table.add_column("key", style="bold", no_wrap=True, width=9)
        table.add_column("does", ratio=1)
        table.add_column("id", style="dim", no_wrap=True, width=22)
        # Textual keeps the user's keymap here, keys normalised (private attribute of Textual 8.x; pinned in
        # pyproject.toml, and getattr keeps help working without the user's keys should it move).
        keymap = getattr(self.app, "_keymap", {})
        for binding in bindings:
            if not binding.description:
                continue
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            shown = ", ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))
            if binding.key_display and keys == binding.key:
                shown = binding.key_display
            does = binding.tooltip or binding.description  # a tooltip says more than the footer's word
            table.add_row(shown, Text(does), binding.id or "")
            self.rows.append((title, shown, does, binding.id or ""))
        return table

    def action_close(self) -> None:
        self.dismiss(None)

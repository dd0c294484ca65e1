"""The footer line: the keys that matter now, as one widget.

Textual's Footer builds a widget per key and rebuilds them all whenever focus moves; on the reader (twenty
keys, focus set several times while opening) that was ~150 ms of the time to open a paper. This draws the
same line as one Static, redrawn at most once per frame. A click on a key presses it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static


class KeyFooter(Static):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("", id="footer")
        self._pending = False
        self._regions: list[tuple[int, int, str]] = []  # (first cell, end cell, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.app, "theme", lambda _: self._redraw(), init=False)
        self._redraw()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        if not self._pending:  # several changes in one frame (focus moving while a screen opens) draw once
            self._pending = True
            self.call_after_refresh(self._redraw)

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        self.update(self.keys_line(self.size.width or self.app.size.width))

    def keys_line(self, width: int) -> Text:
        colours = self.app.theme_variables
        key_style = Style.parse(f"bold {colours.get('footer-key-foreground', 'magenta')}")
        palette_key = self.app.COMMAND_PALETTE_BINDING
        palette, seen = None, set()
        items: list[tuple[Text, str, bool]] = []  # (key and description, key to press, kept however narrow)
        for key, active in self.screen.active_bindings.items():
            binding, enabled = active.binding, active.enabled
            if key == palette_key:
                palette = binding
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            dim = Style(dim=True) if not enabled else Style()
            item = Text.assemble((self.app.get_key_display(binding), key_style + dim), (f" {binding.description}", dim))
            items.append((item, binding.key.split(",")[0], binding.action == "help"))
        tail = None
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            tail = Text.assemble(" ", (self.app.get_key_display(palette), key_style), " palette")
        room = max(0, width - (tail.cell_len if tail is not None else 0))
        line, regions = Text(no_wrap=True, overflow="ellipsis"), []
        for item, key in _fitting(items, room):
            line.append("  " if line else " ")
            regions.append((line.cell_len, line.cell_len + item.cell_len, key))
            line.append_text(item)
        if tail is not None and palette is not None:
            line.truncate(room, overflow="ellipsis")  # only narrower than "? Help" alone
            line.pad_right(room - line.cell_len)
            regions.append((line.cell_len, line.cell_len + tail.cell_len, palette.key.split(",")[0]))
            line.append_text(tail)
        self._regions = regions
        return line

    async def on_click(self, event) -> None:
        for start, end, key in self._regions:
            if start <= event.x < end:
                await self.app.run_action(f"simulate_key({key!r})")
                return


def _fitting(items: list[tuple[Text, str, bool]], room: int) -> list[tuple[Text, str]]:
    """The keys that fit in `room` cells, whole: the first ones (a screen lists its keys by importance) and
    `? Help`, which lists the rest. A key is left out, never cut mid-word ("o Pa…")."""
    cells = [item.cell_len + 2 for item, _, _ in items]  # each with the two spaces before it (one for the first)
    if sum(cells) - 1 <= room:
        return [(item, key) for item, key, _ in items]
    kept = {i for i, (_, _, always) in enumerate(items) if always}
    used = sum(cells[i] for i in kept) - 1
    for i, (_, _, always) in enumerate(items):
        if always:
            continue
        if used + cells[i] > room:
            break  # the keys after the first that does not fit matter less: none jumps the queue for being short
        kept.add(i)
        used += cells[i]
    return [(item, key) for i, (item, key, _) in enumerate(items) if i in kept]

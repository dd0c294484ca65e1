"""`c` on a figure: a figure card (the image and a question on the front, the answer typed on the back), or an
image-occlusion note drawn in an editor (one card per hidden area, as Anki's image occlusion).

The editor draws the image itself in half blocks, whatever the terminal speaks: areas are drawn over the image,
cell by cell, which an image drawn by a graphics protocol would cover. Areas are kept as fractions of the image
(left, top, width, height), as cards/figures.py stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import MouseDown, MouseMove, MouseUp
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from readroom.structure import Caption
from readroom.tui.plain import plain
from readroom.tui.widgets.card_editor import drop_or_ask
from readroom.tui.widgets.figure_image import FigureImage, fit, load_image
from readroom.tui.widgets.key_footer import KeyFooter

Area = tuple[float, ...]  # left, top, width, height
AREA_TINT = (255, 140, 0)  # saved areas: orange, readable over light and dark figures alike
CURSOR_TINT = (0, 160, 255)


@dataclass(frozen=True)
class FigureCardInput:
    kind: str  # "figure" or "occlude"
    question: str  # the figure card's question, or the occlusion note's header
    answer: str  # the answer, or the occlusion note's extra text on the back
    tags: list[str]
    areas: list[Area] = field(default_factory=list)


class FigureCardDialog(ModalScreen[FigureCardInput | None]):
    """The question (the caption to start with) and the answer; ctrl+o goes on to hide areas instead."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save figure card", id="figure_card.save"),
        Binding("ctrl+o", "occlude", "Hide areas (occlusion)", id="figure_card.occlude"),
        Binding("escape", "cancel", "Cancel", id="figure_card.cancel"),
    ]
    DEFAULT_CSS = """
    FigureCardDialog #figure-card-image { height: 10; }
    """

    def __init__(self, figure: Caption, image: Path) -> None:
        super().__init__()
        self.figure, self.image = figure, image

    def compose(self) -> ComposeResult:
        with Vertical(id="figure-card-box", classes="dialog-box"):
            yield Label(plain(f"New card from {self.figure.label}"), classes="dialog-title")
            yield FigureImage(self.image, id="figure-card-image")
            yield Input(self.figure.caption, placeholder="the question (the front, under the image)",
                        id="figure-card-question")
            yield Input(placeholder="the answer (the back)", id="figure-card-answer")
            yield Input(placeholder="tags (optional), separated by spaces", id="figure-card-tags")
            yield Static("Enter in the answer or ctrl+s saves a figure card; ctrl+o hides areas of the image "
                         "instead, one card each (the question becomes the header).", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="figure-card-save", variant="primary")
                yield Button("Hide areas (ctrl+o)", id="figure-card-occlude")
                yield Button("Cancel (esc)", id="figure-card-cancel")

    def on_mount(self) -> None:
        self.query_one("#figure-card-answer", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#figure-card-{name}", Input).value.strip()

    @on(Input.Submitted, "#figure-card-answer")
    @on(Button.Pressed, "#figure-card-save")
    def action_save(self) -> None:
        if not self._value("answer"):
            self.notify("Write the answer first.", severity="warning")
            self.query_one("#figure-card-answer", Input).focus()
            return
        self.dismiss(FigureCardInput("figure", self._value("question"), self._value("answer"),
                                     self._value("tags").split()))

    @on(Button.Pressed, "#figure-card-occlude")
    def action_occlude(self) -> None:
        def drawn(areas: list[Area] | None) -> None:
            if areas:
                self.dismiss(FigureCardInput("occlude", self._value("question"), self._value("answer"),
                                             self._value("tags").split(), areas))

        self.app.push_screen(OcclusionEditor(self.image, self.figure.label), drawn)

    @on(Button.Pressed, "#figure-card-cancel")
    def action_cancel(self) -> None:
        drop_or_ask(self, bool(self._value("answer")) or self._value("question") != self.figure.caption.strip())


class OcclusionCanvas(Widget, can_focus=True):
    """The image in half blocks with the areas drawn so far (numbered) and the cursor box to draw the next."""

    BINDINGS = [
        Binding("left", "move(-1, 0)", "Move the box", show=False, id="occlusion.left"),
        Binding("right", "move(1, 0)", "Move the box", show=False, id="occlusion.right"),
        Binding("up", "move(0, -1)", "Move the box", show=False, id="occlusion.up"),
        Binding("down", "move(0, 1)", "Move the box", show=False, id="occlusion.down"),
        Binding("shift+left", "grow(-1, 0)", "Narrower", show=False, id="occlusion.narrower"),
        Binding("shift+right", "grow(1, 0)", "Wider", show=False, id="occlusion.wider"),
        Binding("shift+up", "grow(0, -1)", "Shorter", show=False, id="occlusion.shorter"),
        Binding("shift+down", "grow(0, 1)", "Taller", show=False, id="occlusion.taller"),
        Binding("space,enter", "add", "Hide this area", key_display="space", id="occlusion.add"),
        Binding("backspace", "remove", "Remove the last", key_display="⌫", id="occlusion.remove"),
    ]
    DEFAULT_CSS = "OcclusionCanvas { height: 1fr; width: 1fr; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.image = None  # the PIL image, loaded off the UI thread
        self.areas: list[Area] = []
        self.box = (0, 0, 6, 2)  # the cursor, in cells of the image as drawn: left, top, width, height
        self._drag: tuple[int, int] | None = None
        self._pixels: tuple[tuple[int, int], list] | None = None  # (size in cells, rows of pixels) drawn last

    # -- geometry

    def cells(self) -> tuple[int, int]:
        """The image's size as drawn, in cells."""
        if self.image is None:
            return 0, 0
        return fit(self.image.size, (self.size.width, self.size.height), (1, 2))

    def _clamp(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        columns, rows = self.cells()
        left, top, width, height = box
        width, height = max(1, min(width, columns)), max(1, min(height, rows))
        return max(0, min(left, columns - width)), max(0, min(top, rows - height)), width, height

    def _area_cells(self, area: Area) -> tuple[int, int, int, int]:
        columns, rows = self.cells()
        left, top, width, height = area
        x0, y0 = round(left * columns), round(top * rows)
        return x0, y0, max(1, round((left + width) * columns) - x0), max(1, round((top + height) * rows) - y0)

    # -- actions

    def action_move(self, dx: int, dy: int) -> None:
        left, top, width, height = self.box
        self.box = self._clamp((left + dx, top + dy, width, height))
        self.refresh()

    def action_grow(self, dx: int, dy: int) -> None:
        left, top, width, height = self.box
        self.box = self._clamp((left, top, width + dx, height + dy))
        self.refresh()

    def action_add(self) -> None:
        columns, rows = self.cells()
        if not columns:
            return
        left, top, width, height = self.box
        self.areas.append((left / columns, top / rows, width / columns, height / rows))
        self.post_message(OcclusionEditor.Changed())
        self.refresh()

    def action_remove(self) -> None:
        if self.areas:
            self.areas.pop()
            self.post_message(OcclusionEditor.Changed())
            self.refresh()

    def on_mouse_down(self, event: MouseDown) -> None:
        self._drag = (event.x, event.y)
        self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._drag is not None and event.button:
            self._drag_to(event.x, event.y)

    def on_mouse_up(self, event: MouseUp) -> None:
        self.release_mouse()
        if self._drag is not None and (event.x, event.y) != self._drag:
            self._drag_to(event.x, event.y)
            self.action_add()
        self._drag = None

    def _drag_to(self, x: int, y: int) -> None:
        x0, y0 = self._drag or (x, y)
        self.box = self._clamp((min(x0, x), min(y0, y), abs(x - x0) + 1, abs(y - y0) + 1))
        self.refresh()

    # -- drawing

    def _rows_of_pixels(self) -> list:
        size = self.cells()
        if self._pixels is None or self._pixels[0] != size:
            columns, rows = size
            assert self.image is not None  # drawn only once loaded (cells() is 0 before)
            small = self.image.resize((columns, rows * 2))
            raw = small.tobytes()  # RGB: load_image converted it
            data = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
            self._pixels = (size, [data[y * columns:(y + 1) * columns] for y in range(rows * 2)])
        return self._pixels[1]

    def render_line(self, y: int) -> Strip:
        columns, rows = self.cells()
        if y >= rows or not columns:
            return Strip.blank(self.size.width)
        pixels = self._rows_of_pixels()
        marks: dict[int, tuple[tuple[int, int, int], str]] = {}  # column -> tint, and a number at an area's corner
        for number, area in enumerate(self.areas, start=1):
            x0, y0, width, height = self._area_cells(area)
            if y0 <= y < y0 + height:
                for x in range(x0, min(x0 + width, columns)):
                    marks[x] = (AREA_TINT, str(number) if (x - x0 < len(str(number)) and y == y0) else "")
        left, top, width, height = self.box
        if top <= y < top + height:
            for x in range(left, min(left + width, columns)):
                marks[x] = (CURSOR_TINT, marks.get(x, (None, ""))[1])
        segments = []
        for x in range(columns):
            upper, lower = pixels[2 * y][x], pixels[2 * y + 1][x]
            tint, label = marks.get(x, (None, ""))
            if tint is not None:
                upper, lower = _blend(upper, tint), _blend(lower, tint)
            if label:  # the area's number, a digit a cell, over its top-left corner
                segments.append(Segment(label, Style(color="black", bgcolor=_rgb(upper), bold=True)))
            else:
                segments.append(Segment("▀", Style(color=_rgb(upper), bgcolor=_rgb(lower))))
        segments.append(Segment(" " * max(0, self.size.width - columns)))
        return Strip(segments)


def _blend(pixel, tint, weight: float = 0.55) -> tuple[int, int, int]:
    return tuple(round(p * (1 - weight) + t * weight) for p, t in zip(pixel[:3], tint, strict=True))


def _rgb(pixel) -> str:
    return f"rgb({pixel[0]},{pixel[1]},{pixel[2]})"


class OcclusionEditor(ModalScreen[list[Area] | None]):
    """Draw the areas to hide: arrows move the box, shift+arrows size it, space adds it (or drag with the mouse),
    backspace takes the last back; ctrl+s saves one card per area."""

    class Changed(Message):
        """An area was added or taken back."""

    HELP_TITLE = "Occlusion editor"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save the cards", id="occlusion.save"),
        Binding("escape", "cancel", "Cancel", id="occlusion.cancel"),
    ]
    DEFAULT_CSS = """
    OcclusionEditor { background: $background; }  /* the whole screen: the image as large as it goes */
    OcclusionEditor #occlusion-hint { height: auto; padding: 0 1; color: $text-muted; }
    OcclusionEditor #occlusion-count { height: 1; padding: 0 1; text-style: bold; }
    """

    def __init__(self, image: Path, label: str) -> None:
        super().__init__()
        self.image, self.label = image, label

    def compose(self) -> ComposeResult:
        yield Static(plain(f"Hide areas of {self.label}: arrows move the box, shift+arrows size it, space hides it "
                           "(or drag with the mouse), backspace takes the last back, ctrl+s saves, one card each."),
                     id="occlusion-hint")
        yield Static("Loading the image…", id="occlusion-count")
        yield OcclusionCanvas(id="occlusion-canvas")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OcclusionCanvas).focus()
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        try:
            image = load_image(self.image, (200, 100))
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(self.query_one("#occlusion-count", Static).update, plain(f"Cannot show it: {exc}"))
            return
        self.app.call_from_thread(self._loaded, image)

    def _loaded(self, image) -> None:
        canvas = self.query_one(OcclusionCanvas)
        canvas.image = image
        canvas.refresh()
        self.on_occlusion_editor_changed()

    def on_occlusion_editor_changed(self, event=None) -> None:
        n = len(self.query_one(OcclusionCanvas).areas)
        self.query_one("#occlusion-count", Static).update(
            f"{n} area{'s' if n != 1 else ''} hidden: {n} card{'s' if n != 1 else ''}" if n else "No area yet.")

    def action_save(self) -> None:
        areas = self.query_one(OcclusionCanvas).areas
        if not areas:
            self.notify("Hide at least one area: move the box over a label and press space.", severity="warning")
            return
        self.dismiss(list(areas))

    def action_cancel(self) -> None:
        drop_or_ask(self, bool(self.query_one(OcclusionCanvas).areas))

"""A figure's image fitted to the region it is given, drawn by textual-image: Kitty's or iTerm2's protocol or Sixel
when the terminal speaks one, else coloured Unicode half blocks (as under Pilot, or over ssh in a plain terminal).

Decoding a figure (a 150 dpi PNG, a few hundred kB) takes tens of milliseconds: it is done on a worker thread and
shrunk there to what the region can show, so the UI thread only ever draws a small image. textual-image and Pillow
are imported there too, never at start-up; `probe()` is the one exception (see there).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Center
from textual.widget import Widget
from textual.widgets import Static

from readroom.tui.plain import plain
from readroom.tui.widgets.occlusion_mask import Masked


def probe() -> None:
    """Ask the terminal which image protocol it speaks. textual-image does it as it is imported, reading the answer
    from stdin, which only works before Textual starts reading stdin itself: `run_app` calls this just before."""
    if sys.__stdout__ is not None and sys.__stdout__.isatty():
        _image_class()


@lru_cache(maxsize=1)
def _image_class():
    """The best widget the terminal allows; half blocks rather than textual-image's plain-Unicode fallback, which it
    takes when stdout is no terminal (Pilot, a pipe): half blocks keep two pixels of colour a cell."""
    from textual_image.renderable import HalfcellImage, UnicodeImage
    from textual_image.renderable import Image as Best
    from textual_image.widget import HalfcellImage as HalfcellWidget
    from textual_image.widget import Image as BestWidget

    return HalfcellWidget if Best in (UnicodeImage, HalfcellImage) else BestWidget


def fit(pixels: tuple[int, int], cells: tuple[int, int], cell: tuple[int, int] = (10, 20)) -> tuple[int, int]:
    """The largest (columns, rows) inside `cells` that shows an image of `pixels` undistorted, a cell being `cell`
    pixels (wide, high)."""
    width, height = pixels
    columns, rows = cells
    if width <= 0 or height <= 0 or columns <= 0 or rows <= 0:
        return 0, 0
    by_width = (columns, columns * cell[0] * height / (width * cell[1]))
    by_height = (rows * cell[1] * width / (height * cell[0]), rows)
    c, r = by_width if by_width[1] <= rows else by_height
    return max(1, min(columns, round(c))), max(1, min(rows, round(r)))


Source = Path | bytes | Masked  # a file, PNG bytes, or an occlusion card's image drawn with its mask


def load_image(source: Source, cells: tuple[int, int]):
    """On a worker thread: the image decoded and shrunk to at most what `cells` show (a PIL image, RGB)."""
    import io

    from PIL import Image
    from textual_image._terminal import get_cell_size

    cell = get_cell_size()
    if isinstance(source, Masked):
        source = source.png()
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as opened:
        image = opened.convert("RGB")
    image.thumbnail((max(1, cells[0] * cell.width), max(1, cells[1] * cell.height)))
    return image


class FigureImage(Widget):
    """Shows one image (see Source) or a line of text when there is none."""

    DEFAULT_CSS = """
    FigureImage { height: 1fr; }
    FigureImage > Center { height: auto; }
    FigureImage > .figure-note { color: $text-muted; width: 1fr; }
    """

    def __init__(self, source: Source | None = None, *, empty: str = "No image for this figure.",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source, self.empty = source, empty
        self.image = None  # the PIL image once loaded
        self.loaded: Source | None = None  # the source the image shown is of

    def compose(self) -> ComposeResult:
        yield Static(plain(self.empty), classes="figure-note")
        yield Center()

    def on_mount(self) -> None:
        self.show(self.source, self.empty)

    def show(self, source: Source | None, empty: str | None = None) -> None:
        """Show another image (None: the `empty` line); the one shown already is not decoded again."""
        if source is not None and source == self.loaded and self.image is not None:
            return
        self.source = source
        if empty is not None:
            self.empty = empty
        note = self.query_one(".figure-note", Static)
        if source is None:
            self.image = self.loaded = None
            self.query_one(Center).remove_children()
            note.update(plain(self.empty))
            note.display = True
            return
        note.update("Loading the image…")
        note.display = True
        self._load(source, (max(self.size.width, 20), max(self.size.height, 6)))

    @work(thread=True, exclusive=True, group="figure-image")
    def _load(self, source: Source, cells: tuple[int, int]) -> None:
        try:
            image = load_image(source, cells)
        except (OSError, ValueError) as exc:  # a file removed by hand, a damaged PNG: say so, never crash
            self.app.call_from_thread(self._failed, source, f"Cannot show the image: {exc}")
            return
        self.app.call_from_thread(self._loaded, source, image)

    def _failed(self, source: Source, message: str) -> None:
        if source is self.source:
            self.query_one(".figure-note", Static).update(plain(message))

    def _loaded(self, source: Source, image) -> None:
        if source is not self.source or not self.is_mounted:
            return  # another image was asked for meanwhile
        self.image, self.loaded = image, source
        self.query_one(".figure-note", Static).display = False
        center = self.query_one(Center)
        center.remove_children()
        center.mount(_image_class()(image))
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        if self.image is None or not self.query(Center).first().children:
            return
        from textual_image._terminal import get_cell_size

        cell = get_cell_size()
        columns, rows = fit(self.image.size, (self.size.width, self.size.height), (cell.width, cell.height))
        shown = self.query_one(Center).children[0]
        shown.styles.width, shown.styles.height = columns, rows

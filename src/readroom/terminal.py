"""Plain-text output helpers shared by the command modules: terminal width, clipping, wrapping, sizes."""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress


def error(message: str) -> None:
    print(f"readroom: {message}", file=sys.stderr)


def size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def width() -> int:
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def wrap(text: str, indent: int) -> str:
    import textwrap

    return ("\n" + " " * indent).join(textwrap.wrap(" ".join(text.split()), width() - indent))


def progress_bar() -> Progress:
    """A started rich progress display on stderr (description, bar, detail field, elapsed time) that is removed
    when stopped: the one look of every long command's progress."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[detail]}"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    progress.start()
    return progress


EXCERPT_CHARS = 120  # as much as a normal path needs; an argument of thousands of characters is cut


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """`text` (an argument, a path, a config value) as a message may echo it: on one short line, with control and
    other unprintable characters shown as escapes (\\x1b, \\x00, \\u202e), and, past `limit`, its start and end
    around an ellipsis, so an argument of thousands of characters cannot make the message thousands long."""
    text = str(text)
    whole = "".join(_visible(text[: limit + 1]))
    if len(whole) <= limit:
        return whole
    head_room = (limit - 1) * 2 // 3
    head = _fitting(_visible(text[:head_room]), head_room)
    tail = _fitting(_visible(text[-(limit - 1 - head_room):])[::-1], limit - 1 - head_room)[::-1]
    return "".join(head) + "…" + "".join(tail)


def _visible(text: str) -> list[str]:
    return [c if c.isprintable() else repr(c)[1:-1] for c in text]


def _fitting(pieces: list[str], room: int) -> list[str]:
    """The first pieces that fit in `room` characters, never half an escape."""
    kept: list[str] = []
    for piece in pieces:
        room -= len(piece)
        if room < 0:
            break
        kept.append(piece)
    return kept

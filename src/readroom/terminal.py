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

"""Plain-text output helpers shared by the command modules: outside text made safe to show, terminal width,
clipping, wrapping, sizes."""

from __future__ import annotations

import functools
import json
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress

# Titles, authors, headings, tags, file names and notes come from arXiv, PDFs and users, and may hold terminal
# controls: ESC starts sequences that rename the window (OSC 2), set the clipboard (OSC 52) or clear the screen;
# U+009B is an 8-bit CSI. Each control becomes one visible character (ESC as ␛, BEL as ␇, DEL as ␡, the C1 ones
# as �), so a hostile title reads as what it is and widths and text offsets stay as they were.
_VISIBLE = {**{c: 0x2400 + c for c in range(0x20)}, 0x7F: 0x2421, **dict.fromkeys(range(0x80, 0xA0), 0xFFFD)}
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}  # json.dumps escapes C0 itself, not DEL or C1


@functools.cache
def _visible_except(keep: str) -> dict[int, int]:
    return {c: v for c, v in _VISIBLE.items() if chr(c) not in keep}


def printable(text: str, keep: str = "") -> str:
    """`text` safe to show in a terminal: every C0 and C1 control and DEL replaced by a visible symbol, except the
    characters in `keep` (newline and tab, for the fields that may have them); all else unchanged."""
    return text.translate(_visible_except(keep))


class _Printable:
    """A text stream that writes through `printable` (newlines and tabs kept)."""

    def __init__(self, stream) -> None:
        self.unguarded = stream

    def write(self, text: str) -> int:
        return self.unguarded.write(printable(text, keep="\n\t"))

    def __getattr__(self, name: str):
        return getattr(self.unguarded, name)


@contextmanager
def guarded_output() -> Iterator[None]:
    """While the CLI runs, everything printed to stdout and stderr goes through `printable`, so no command, old
    or new, can pass outside text's controls to the terminal; and characters the terminal's encoding lacks
    (PYTHONIOENCODING=ascii, LANG=C) are written as backslash escapes, as Python does on stderr, instead of
    raising UnicodeEncodeError: `Schr\\xf6dinger` still says which letter it was, where "?" would not."""
    saved = sys.stdout, sys.stderr
    errors = [(s, s.errors) for s in saved if hasattr(s, "reconfigure")]
    for stream, _ in errors:
        stream.reconfigure(errors="backslashreplace")
    sys.stdout, sys.stderr = _Printable(sys.stdout), _Printable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        for stream, before in errors:
            stream.reconfigure(errors=before)


def print_json(data: Any, indent: int | None = 2) -> None:
    """`data` as JSON on stdout, exact: non-ASCII text as it is where stdout can encode it (as \\uXXXX where it
    cannot), DEL and C1 controls escaped like the C0 ones, so the guard above has nothing to change."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=indent)
    print(text.translate(_JSON_ESCAPES))


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
    from rich.file_proxy import FileProxy
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    # Rich draws with escape codes of its own, so it writes past the guard; descriptions are never markup.
    console = Console(file=getattr(sys.stderr, "unguarded", sys.stderr))
    progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                        TextColumn("{task.fields[detail]}", markup=False), TimeElapsedColumn(), console=console,
                        transient=True)
    progress.start()
    # On a terminal, prints go through rich's console (past the guard) until stop() puts the streams back.
    for name in ("stdout", "stderr"):
        if isinstance(stream := getattr(sys, name), FileProxy):
            setattr(sys, name, _Printable(stream))
    return progress


EXCERPT_CHARS = 120  # as much as a normal path needs; an argument of thousands of characters is cut


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """`text` (an argument, a path, a config value) as a message may echo it: on one short line, with controls
    shown as `printable` shows them (␛, ␀) and other unprintable characters as escapes (\\u202e), and, past
    `limit`, its start and end around an ellipsis, so an argument of thousands of characters cannot make the
    message thousands long."""
    text = str(text)
    whole = "".join(_visible(text[: limit + 1]))
    if len(whole) <= limit:
        return whole
    head_room = (limit - 1) * 2 // 3
    head = _fitting(_visible(text[:head_room]), head_room)
    tail = _fitting(_visible(text[-(limit - 1 - head_room):])[::-1], limit - 1 - head_room)[::-1]
    return "".join(head) + "…" + "".join(tail)


def _visible(text: str) -> list[str]:
    # Controls as the symbols `printable` shows everywhere (␛, ␀); what else cannot print as its escape (\u202e).
    return [c if c.isprintable() else repr(c)[1:-1] for c in printable(text)]


def _fitting(pieces: list[str], room: int) -> list[str]:
    """The first pieces that fit in `room` characters, never half an escape."""
    kept: list[str] = []
    for piece in pieces:
        room -= len(piece)
        if room < 0:
            break
        kept.append(piece)
    return kept

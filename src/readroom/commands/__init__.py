"""Command groups kept out of cli.py, one module each. Each has `register(commands)`, which adds its
subparsers to the `readroom` parser. Like cli.py they import only argparse at module level, so that
`readroom --help` stays fast: heavy imports go inside the command functions."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from readroom.terminal import excerpt

MODULES = ("papers", "cards", "review", "export", "sync", "discover", "config", "maintenance")


def whole_number(allowed: Callable[[], range]) -> Callable[[str], int]:
    """An argparse type: a whole number in the range `allowed()` returns. A function, so that the range lives with
    the code it protects (imported when the option is given, not for every `--help`)."""
    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also more digits than int() reads (4300)
            raise argparse.ArgumentTypeError(f"'{excerpt(text)}' is not a whole number") from None
        valid = allowed()
        if value not in valid:
            raise argparse.ArgumentTypeError(f"must be from {valid.start} to {valid.stop - 1}, not {excerpt(text)}")
        return value

    return read


def register_all(commands: argparse._SubParsersAction) -> None:
    for name in MODULES:
        importlib.import_module(f"readroom.commands.{name}").register(commands)

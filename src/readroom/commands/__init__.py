"""Command groups kept out of cli.py, one module each. Each has `register(commands)`, which adds its
subparsers to the `readroom` parser. Like cli.py they import only argparse at module level, so that
`readroom --help` stays fast: heavy imports go inside the command functions."""

from __future__ import annotations

import argparse
import importlib

MODULES = ("papers", "cards", "review", "export", "discover", "config", "maintenance")


def register_all(commands: argparse._SubParsersAction) -> None:
    for name in MODULES:
        importlib.import_module(f"readroom.commands.{name}").register(commands)

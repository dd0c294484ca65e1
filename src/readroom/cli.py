"""The command line's entry point: the top-level parser, `main()` and the mapping of errors to one line and an
exit code. The commands themselves live in readroom/commands/, one module per group.

Imports stay light at module level so that `readroom --help` and `readroom list` start fast.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from readroom import __version__, paths
from readroom.commands import papers, register_all
from readroom.errors import DISK_FULL_ERRNOS, BadInput, DiskFull, ReadroomError
from readroom.terminal import EXCERPT_CHARS, excerpt, guarded_output
from readroom.terminal import error as _error

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process Ctrl-C ended
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_BUG = 70


class _Parser(argparse.ArgumentParser):
    """argparse, but an argument it echoes in an error (an invalid choice, a value no type takes) comes back as a
    short excerpt: a word of thousands of characters would make the line thousands long. Subcommands inherit it."""

    def error(self, message: str) -> NoReturn:
        super().error(_LONG_WORD.sub(lambda long: excerpt(long[0]), message))


_LONG_WORD = re.compile(rf"\S{{{EXCERPT_CHARS + 1},}}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="readroom",
        description="Find the papers worth reading, read them in three passes, and remember them.",
        epilog="Run `readroom COMMAND --help` for the options of one command. Data lives in $READROOM_HOME.",
    )
    parser.add_argument("--version", action="version", version=f"readroom {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    parser.set_defaults(func=papers.cmd_welcome)
    register_all(parser.add_subparsers(title="commands", metavar="COMMAND"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Every line the CLI prints, argparse's and the commands', echoes outside text: see terminal.guarded_output.
    with guarded_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(name)s: %(message)s")
    terminated, previous = _on_sigterm_interrupt()
    try:
        _refuse_undecodable(sys.argv[1:] if argv is None else argv)
        code = args.func(args) or 0
        return EXIT_TERMINATED if terminated.is_set() else code  # the app shuts down on the interrupt by itself
    except ReadroomError as exc:
        if args.debug:
            raise
        _error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        _error("Interrupted. Nothing half-done was kept; what finished before stays in your library.")
        return EXIT_TERMINATED if terminated.is_set() else EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if args.debug:
            raise
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:  # a write no layer expected to fail
            full = DiskFull(Path(os.fsdecode(exc.filename or ".")).absolute())
            _error(full.message)
            return full.exit_code
        if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG and exc.filename:  # from any path named
            too_long = paths.name_too_long(Path(os.fsdecode(exc.filename or "")))
            _error(too_long.message)
            return too_long.exit_code
        _error(f"Unexpected error ({exc.__class__.__name__}: {excerpt(exc, 200)}); run again with --debug to see where.")
        return EXIT_BUG
    finally:
        _warn_unknown_settings()
        _close_database()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _refuse_undecodable(argv: Sequence[str]) -> None:
    """A byte that is not UTF-8 in an argument (a terminal set to Latin-1, a pasted binary) comes to Python as a lone
    surrogate, which no text column can hold. Refused in one line rather than stored with the bytes replaced: a
    title, tag or search the user did not type would be worse. A file's name may hold any bytes: a path that
    exists passes."""
    for arg in argv:
        try:
            arg.encode()
        except UnicodeEncodeError:
            if os.path.lexists(arg):
                continue
            shown = arg.encode(errors="surrogateescape").decode(errors="backslashreplace")
            raise BadInput(f"'{excerpt(shown)}' is not valid UTF-8 text; retype it, or check the terminal's "
                           "encoding (LANG, LC_ALL).") from None


def _on_sigterm_interrupt() -> tuple[threading.Event, Any]:
    """Make SIGTERM (`kill`, a closing session, a service manager) unwind like Ctrl-C: partial files are removed,
    transactions rolled back, one line printed. It raises SIGINT, so the app's event loop shuts down as on Ctrl-C
    too. Returns an event set when a SIGTERM came (for the exit code), and the handler it replaced."""
    terminated = threading.Event()

    def interrupt(signum, frame) -> None:
        terminated.set()
        if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
            raise KeyboardInterrupt  # SIGINT is ignored here (a background job): interrupt all the same
        signal.raise_signal(signal.SIGINT)

    try:
        return terminated, signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding program): leave its signals alone
        return terminated, None


def _warn_unknown_settings() -> None:
    """One line for each config.toml key no setting reads, when this command read the settings (a misspelt key)."""
    if "readroom.config" in sys.modules:
        for line in sys.modules["readroom.config"].unknown_key_warnings():
            _error(f"warning: {line}")


def _close_database() -> None:
    if "readroom.storage.db" in sys.modules:
        sys.modules["readroom.storage.db"].dispose_all()


if __name__ == "__main__":
    sys.exit(main())

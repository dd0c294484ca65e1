"""`readroom sync`: two-way sync with the user's own Anki sync server. The anki package loads inside the command."""

from __future__ import annotations

import argparse
import json
import sys

from readroom import clock


def register(commands: argparse._SubParsersAction) -> None:
    sync = commands.add_parser(
        "sync", help="send cards and reviews to your own Anki sync server, and fetch the reviews made on your phone",
        description="Two-way sync with your own Anki sync server (python -m anki.syncserver; AnkiDroid, AnkiMobile "
                    "and Anki desktop can point at it), set by [sync] url and user in config.toml or "
                    "READROOM_SYNC_URL and READROOM_SYNC_USER. The password comes from READROOM_SYNC_PASSWORD or is "
                    "asked once; only the session key is kept. Never AnkiWeb, whose terms allow only Anki's own "
                    "apps. Needs pip install 'readroom[sync]'.")
    which = sync.add_mutually_exclusive_group()
    which.add_argument("--download", action="store_true",
                       help="when a full sync is needed: keep the server's collection, and merge readroom's cards in")
    which.add_argument("--upload", action="store_true",
                       help="when a full sync is needed: replace the server's collection with readroom's "
                            "(changes made elsewhere since the last sync are lost)")
    which.add_argument("--status", action="store_true",
                       help="say when the last sync was and what the next one would send; talks to no server")
    sync.add_argument("--json", action="store_true", help="print what moved as one JSON object")
    sync.set_defaults(func=cmd_sync)


def _ask_password() -> str:
    import getpass

    from readroom.errors import BadInput
    from readroom.sync.session import PASSWORD_VARIABLE

    if not sys.stdin.isatty():
        raise BadInput(f"The sync server needs your password once: set {PASSWORD_VARIABLE}, or run `readroom sync` "
                       "in a terminal to be asked.")
    return getpass.getpass("Sync server password: ")


def cmd_sync(args: argparse.Namespace) -> int:
    from readroom.sync import service

    if args.status:
        from readroom.sync.status import status

        state = status()
        print(json.dumps(state.to_json()) if args.json else state.message(clock.now()))
        return 0
    report = service.sync(_ask_password, clock.now(), upload=args.upload, download=args.download)
    print(json.dumps(report.to_json()) if args.json else report.message())
    return 0

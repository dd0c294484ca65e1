"""`readroom sync`: two-way sync with the user's own Anki sync server; `readroom import-anki`: the reviews in a package
Anki desktop exported. The anki package loads inside the commands."""

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

    imported = commands.add_parser(
        "import-anki", help="bring back the reviews of readroom's cards from a package Anki desktop exported",
        description="Read a collection package (.colpkg) or a deck package exported with scheduling (.apkg) from "
                    "Anki desktop, and bring the reviews of readroom's notes in it (matched by GUID) into readroom's "
                    "schedule and history; a second import of the same package adds nothing. For AnkiWeb users: "
                    "readroom never logs in to AnkiWeb. Needs pip install 'readroom[sync]'.")
    imported.add_argument("file", help="the .colpkg or .apkg file")
    imported.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    imported.set_defaults(func=cmd_import_anki)


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


def cmd_import_anki(args: argparse.Namespace) -> int:
    from pathlib import Path

    from readroom.sync.import_package import import_anki

    report = import_anki(Path(args.file), clock.now())
    print(json.dumps(report.to_json()) if args.json else report.message())
    return 0

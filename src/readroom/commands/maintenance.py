"""`readroom doctor`, `backup` and `restore`: keeping the library safe. Everything they do goes through
readroom/maintenance.py."""

from __future__ import annotations

import argparse
import json
import sys

from readroom.errors import BadInput


def register(commands: argparse._SubParsersAction) -> None:
    doctor = commands.add_parser(
        "doctor", help="check the library: database, schema, files, cards against their review logs",
        description="Checks that the database file is sound (SQLite's integrity_check), that its schema is the "
                    "newest, that every paper's PDF is where it says and no file is left without a paper, and that "
                    "every card's state is the one its review log leads to. Exits 0 when all is well, 1 otherwise.")
    doctor.add_argument("--fix", action="store_true",
                        help="after a backup, repair what is safe: remove unfinished temporary files, point papers "
                             "at their moved PDFs, upgrade the schema, rebuild cards from their review logs")
    doctor.add_argument("--json", action="store_true", help="print the report as one JSON object")
    doctor.set_defaults(func=cmd_doctor)

    backup = commands.add_parser("backup", help="back up the library database now and print where",
                                 description="A consistent copy of the database in $READROOM_HOME/backups (safe "
                                             "while the app runs); the newest [backup] keep copies are kept.")
    backup.add_argument("--json", action="store_true", help='print {"backup": PATH}')
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="put a backup in place of the library database",
                                  description="Checks that FILE is a sound readroom database, keeps the current one "
                                              "in $READROOM_HOME/backups, then restores FILE. Close the app first.")
    restore.add_argument("file", metavar="FILE", help="a backup, e.g. from `ls $READROOM_HOME/backups`")
    restore.add_argument("--yes", "-y", action="store_true", help="do not ask")
    restore.set_defaults(func=cmd_restore)


def cmd_doctor(args: argparse.Namespace) -> int:
    from readroom import maintenance

    report = maintenance.doctor(fix=args.fix)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return 0 if report.healthy else 1
    for line in report.fixed:
        print(f"fixed: {line}")
    width = max(len(c.name) for c in report.checks)
    for check in report.checks:
        print(f"{check.name:{width}}  {check.summary}")
        for detail in check.details[:20]:
            print(f"{'':{width}}    {_printable(detail)}")
        if len(check.details) > 20:
            print(f"{'':{width}}    ... and {len(check.details) - 20} more (see --json)")
    print(report.conclusion(args.fix))
    return 0 if report.healthy else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from readroom import maintenance

    path = maintenance.backup_now()
    print(json.dumps({"backup": str(path)}) if args.json else f"Backed up the library to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from readroom import maintenance, paths

    revision, counts = maintenance.check_backup(args.file)
    what = f"{counts.get('paper', 0)} papers, {counts.get('card', 0)} cards, schema {revision}"
    if not args.yes:
        if not sys.stdin.isatty():
            raise BadInput("Not restoring without confirmation; pass --yes to restore from a script.")
        answer = input(f"Replace {paths.database_path()} with {args.file} ({what})? "
                       "The current one is kept in the backups. [y/N] ").strip().lower()
        if answer not in {"y", "yes"}:
            print("Kept the current library.")
            return 1
    kept = maintenance.restore(args.file)
    aside = f"; the one it replaced is kept at {kept}" if kept else ""
    print(f"Restored {args.file} ({what}){aside}.")
    return 0


def _printable(text: str) -> str:
    """Titles and paths are outside text: control characters shown, never sent to the terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)

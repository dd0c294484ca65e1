"""`readroom config`: the effective settings, each with where it came from (default, config.toml, a variable)."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta


def register(commands: argparse._SubParsersAction) -> None:
    show = commands.add_parser(
        "config", help="show the effective settings and where each comes from",
        description="Every setting, from its default, $READROOM_HOME/config.toml or a READROOM_* environment "
                    "variable (which wins). The README lists what each key means.")
    show.add_argument("--json", action="store_true",
                      help='print {"file": ..., "settings": {table: {key: {"value": ..., "from": ...}}}, '
                           '"unknown": [what config.toml holds that no setting reads]}')
    show.set_defaults(func=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    from readroom import config, paths

    settings = config.load()
    tables = {name: _entries(settings, name) for name in config.TABLES}
    if args.json:
        print(json.dumps({"file": str(paths.config_path()), "settings": tables, "unknown": list(settings.unknown)},
                         indent=2))
        return 0
    print(f"Settings: defaults, then {paths.config_path()}, then READROOM_* environment variables.")
    for name, entries in tables.items():
        print(f"\n[{name}]")
        if not entries:
            print("  (none)")
        rows = [(_key(key), "(unset)" if entry["value"] is None else json.dumps(entry["value"], ensure_ascii=False),
                 entry["from"]) for key, entry in entries.items()]
        key_width = max((len(key) for key, _, _ in rows), default=0)
        value_width = max((len(value) for _, value, _ in rows), default=0)
        for key, value, origin in rows:
            print(f"  {key:{key_width}} = {value:{value_width}}  ({origin})")
    return 0


def _entries(settings, name: str) -> dict[str, dict]:
    from dataclasses import fields

    section = getattr(settings, name)
    if name == "keys":
        return {key: {"value": value, "from": settings.origin(name, key)} for key, value in section.bindings}
    return {f.name: {"value": _plain(getattr(section, f.name)), "from": settings.origin(name, f.name)}
            for f in fields(section)}


def _key(key: str) -> str:
    """As TOML writes it: bare when it can be, else quoted ("library.add")."""
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def _plain(value: object) -> object:
    """A value as config.toml would hold it: steps as "1m 10m", tuples as lists."""
    if isinstance(value, tuple) and value and isinstance(value[0], timedelta):
        return " ".join(_step(step) for step in value)
    return list(value) if isinstance(value, tuple) else value


def _step(step: timedelta) -> str:
    seconds = step.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"

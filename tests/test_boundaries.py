"""The import contracts (pyproject.toml, checked by lint-imports in CI) name every top-level module: a new module
must say which side of the boundaries it is on, or the contracts would pass it by silently."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import readroom

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_only_x_contracts_cover_every_top_level_module():
    modules = {f"readroom.{m.name}" for m in pkgutil.iter_modules(readroom.__path__)} - {"readroom.__main__"}
    contracts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    owners = {"Only tui/ imports Textual": "readroom.tui",
              "Only storage/ touches the database (sqlmodel, sqlalchemy, alembic, sqlite3)": "readroom.storage"}
    for contract in contracts:
        if contract["name"] in owners:
            assert set(contract["source_modules"]) == modules - {owners[contract["name"]]}, contract["name"]
    assert {c["name"] for c in contracts} >= set(owners)

"""Temporary `.part` files: named for the process that writes them, and swept once that process is gone.

A download or an export is written to `.NAME.PID-RANDOM.part` beside its target and renamed over it when whole.
Ctrl-C and SIGTERM remove it on the way out (the writers clean up on BaseException); SIGKILL, a crash or a power
cut cannot, so `add` and `export` sweep what such a process left behind before they start.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import time
from pathlib import Path

# `.NAME.PID-HEX.part` (ours, with the owner), `.NAME.HEX.part` and `NAME.part` (written before names carried one).
_PART = re.compile(r"^\.?(?P<name>.+?)\.(?:(?P<pid>\d+)-)?[0-9a-f]{8}\.part$|^(?P<plain>.+)\.part$")
_STARTED = time.time()  # about when this process started: a file without an owner older than this is stale


def part_path(target: Path) -> Path:
    """Where `target` is written before it is whole: a hidden name beside it, carrying this process's id."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


def sweep(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the stale `.part` files in `folder` (only those for target `name` if given) and return them: those
    whose owner process has ended, and, for names without an owner, those older than this process."""
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f".{glob.escape(name)}.*.part" if name else "*.part"))
    except OSError:
        return removed
    for path in candidates:
        match = _PART.match(path.name)
        if match is None or (name and match["name"] != name) or not _stale(path, match["pid"]):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass  # another sweeper was first, or the folder is read-only: nothing to do about either
    return removed


def _stale(path: Path, pid: str | None) -> bool:
    if pid is not None and os.name == "posix":  # (os.kill(pid, 0) would end the process on Windows)
        return int(pid) != os.getpid() and not _running(int(pid))
    try:
        return path.stat().st_mtime < _STARTED
    except OSError:
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # ended, or no process id at all
        return False
    except PermissionError:  # another user's process
        return True
    return True

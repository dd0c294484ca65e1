"""A full disk, for real: the library copied onto a small tmpfs (in a private mount namespace, so nothing outside
sees the mount) that is then filled to the last few KiB, and the command run there as a user runs it. Each ends
with one line saying the disk is full, a non-zero exit, no partial file, and the library as it was."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readroom import cli, paths
from readroom.storage import db

READROOM = f"{shlex.quote(sys.executable)} -m readroom"
PAPER_ID = "tmpfs-test"


def on_full_disk(command: str, free_kib: int, out: Path) -> subprocess.CompletedProcess:
    """`command` run with READROOM_HOME on a tmpfs holding a copy of the library and `free_kib` KiB free; the tmpfs's
    files are copied to `out` afterwards, to be looked at."""
    home = shlex.quote(str(paths.database_path().parent))
    script = (
        f'mnt=$(mktemp -d) && mount -t tmpfs -o size=64m tmpfs "$mnt" && cp -a {home}/. "$mnt"/ && '
        f'avail=$(df --output=avail -k "$mnt" | tail -1) && fallocate -l $(( (avail - {free_kib}) * 1024 )) "$mnt/.filler" '
        f'&& READROOM_HOME="$mnt" {command}; rc=$?; rm -f "$mnt/.filler"; cp -a "$mnt"/. {shlex.quote(str(out))}/; exit $rc'
    )
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120,
                          env=os.environ)


@pytest.fixture(autouse=True)
def _tmpfs_allowed(tmp_path):
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {tmp_path}"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (unshare -m and mount need CAP_SYS_ADMIN): {probe.stderr.strip()}")
    yield
    db.dispose_all()


@pytest.fixture
def library(real_papers, capsys) -> Path:
    """A library with one paper and one card, closed as after a command."""
    assert cli.main(["add", str(real_papers[1]), "--tag", "nlp"]) == 0
    paper = json.loads(_run_here("list", "--json"))[0]["id"]
    assert cli.main(["card", "add", paper, "--front", "What is LongEval?", "--back", "A benchmark"]) == 0
    db.dispose_all()
    capsys.readouterr()
    return paths.database_path().parent


def _run_here(*argv: str, home: Path | None = None) -> str:
    env = {**os.environ, **({"READROOM_HOME": str(home)} if home else {})}
    done = subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=60,
                          env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _files(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and "-wal" not in p.name
            and "-shm" not in p.name}


def _assert_refused_cleanly(done: subprocess.CompletedProcess, library: Path, out: Path) -> None:
    assert done.returncode != 0, done.stdout
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("readroom: The disk is full:"), done.stderr
    left = _files(out)
    assert not [f for f in left if f.endswith(".part") or "adding-" in f], left
    assert left == _files(library)  # nothing new (no half backup, PDF or deck), nothing lost
    assert json.loads(_run_here("list", "--json", home=out)) == json.loads(_run_here("list", "--json"))
    assert json.loads(_run_here("cards", "--json", home=out)) == json.loads(_run_here("cards", "--json"))
    _run_here("doctor", home=out)  # healthy


@pytest.mark.parametrize("free_kib", [256, 0])
def test_add_of_a_local_pdf(library, real_papers, tmp_path, free_kib):
    assert real_papers[0].stat().st_size > 1024 * 1024  # fills the disk mid-copy
    done = on_full_disk(f"{READROOM} add {shlex.quote(str(real_papers[0]))}", free_kib, tmp_path)
    _assert_refused_cleanly(done, library, tmp_path)


def test_add_of_an_arxiv_paper_fills_the_disk_mid_download(library, arxiv, tmp_path):
    done = on_full_disk(f"{READROOM} add 1605.08386", 256, tmp_path)
    _assert_refused_cleanly(done, library, tmp_path)


@pytest.mark.parametrize("free_kib", [48, 0])  # room to read the library (its 32 KiB WAL index), none for the deck
def test_export_of_a_deck(library, tmp_path, free_kib):
    done = on_full_disk(f"{READROOM} export", free_kib, tmp_path)
    _assert_refused_cleanly(done, library, tmp_path)


@pytest.mark.parametrize("argv", [["tag", "{paper}", "more", "tags"],
                                  ["card", "add", "{paper}", "--front", "Q" * 20000, "--back", "A" * 20000]])
def test_writes_to_the_database(library, tmp_path, argv):
    paper = json.loads(_run_here("list", "--json"))[0]["id"]
    command = " ".join([READROOM, *(shlex.quote(a.format(paper=paper)) for a in argv)])
    done = on_full_disk(command, 0, tmp_path)
    _assert_refused_cleanly(done, library, tmp_path)


def test_answering_a_card(library, tmp_path):
    # As the review screen answers (it shows the error's message as a notification), one card answered Good.
    answer = ("import sys; from datetime import datetime, timezone; from readroom.cards import service;"
              "from readroom.errors import ReadroomError\n"
              "try: service.answer(service.list_cards()[0].id, 3, datetime.now(timezone.utc))\n"
              "except ReadroomError as exc: sys.exit(f'readroom: {exc.message}')")
    done = on_full_disk(f"{shlex.quote(sys.executable)} -c {shlex.quote(answer)}", 0, tmp_path)
    _assert_refused_cleanly(done, library, tmp_path)


@pytest.mark.parametrize("free_kib", [16, 0])
def test_backup(library, tmp_path, free_kib):
    shutil.rmtree(paths.backups_dir(), ignore_errors=True)
    done = on_full_disk(f"{READROOM} backup", free_kib, tmp_path)
    _assert_refused_cleanly(done, library, tmp_path)

"""Keeping the work safe, as a user meets it: a damaged database is one line naming the newest backup and
`readroom doctor`; doctor finds (and with --fix repairs) what is wrong; backups rotate; restore round-trips and
refuses what it must. Real subprocesses on real damaged files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from readroom import cli, clock, config, library, paths
from readroom.storage import backups

DEMO = str(paths.shipped_data_dir() / library.DEMO_PDF)


def readroom(*argv: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, input=stdin)


@pytest.fixture
def a_library() -> Path:
    """A library with the demo paper, the starter deck's cards and one backup."""
    assert cli.main(["add", DEMO]) == 0
    assert cli.main(["decks", "load", "ml-classics"]) == 0
    assert cli.main(["backup"]) == 0
    return paths.database_path()


def demo_id() -> str:
    with sqlite3.connect(paths.database_path()) as conn:
        return conn.execute("SELECT id FROM paper").fetchone()[0]


def answer_some(times: int = 3) -> list[int]:
    from readroom.cards import service

    ids = [c.id for c in service.list_cards(limit=3)]
    start = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    for day in range(times):
        for card_id in ids:
            service.answer(card_id, 3, start + timedelta(days=3 * day))
    return ids


def root_page(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]


def damage(db: Path, how: str) -> None:
    data = bytearray(db.read_bytes())
    if how == "garbage":
        data = bytearray(os.urandom(len(data)))
    elif how == "truncated":
        data = data[: len(data) // 3]
    else:  # bit rot: the root pages of the papers', notes' and cards' tables overwritten
        size = int.from_bytes(data[16:18], "big")
        for table in ("paper", "note", "card"):
            page = root_page(db, table)
            data[(page - 1) * size: page * size] = os.urandom(size)
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.write_bytes(bytes(data))


# --------------------------------------------------------------------------------------------- a damaged database


@pytest.mark.parametrize("how", ["garbage", "truncated", "page"])
@pytest.mark.parametrize("argv", [["list"], ["due"], ["cards"], ["show", "ID"], ["stats"],
                                  ["add", DEMO], ["export", "-o", "deck.apkg"], ["tag", "ID", "x"]])
def test_a_damaged_database_is_one_line_naming_the_newest_backup_and_doctor(a_library, how, argv, tmp_path):
    newest, paper = backups.newest(), demo_id()
    damage(a_library, how)
    result = readroom(*[paper if a == "ID" else a for a in argv])
    assert result.returncode == 6, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Unexpected" not in lines[0], result.stderr
    assert f"The library database {a_library} is damaged" in lines[0]
    assert str(newest) in lines[0] and "`readroom doctor`" in lines[0]


def test_a_damaged_database_is_never_backed_up_over_good_backups(a_library, monkeypatch):
    monkeypatch.setenv("READROOM_BACKUP_KEEP", "1")
    good, paper = backups.listed(), demo_id()
    damage(a_library, "page")
    assert readroom("backup").returncode == 6
    assert readroom("tag", paper, "x").returncode == 6  # a write: the day's first, but no backup of damage
    assert backups.listed() == good and not backups.leftovers()


def test_doctor_on_a_damaged_database_says_so_and_names_the_backup(a_library):
    newest = backups.newest()
    damage(a_library, "truncated")
    result = readroom("doctor")
    assert result.returncode == 1 and result.stderr == ""
    integrity = next(line for line in result.stdout.splitlines() if line.startswith("integrity"))
    assert "1 problem: the database file is damaged" in integrity and f"`readroom restore {newest}`" in integrity


# --------------------------------------------------------------------------------------------- doctor


def test_doctor_on_a_healthy_library_exits_0(a_library):
    answer_some()
    result = readroom("doctor")
    assert result.returncode == 0, result.stdout
    assert [line.split()[0] for line in result.stdout.splitlines()[:5]] == [
        "integrity", "schema", "files", "cards", "temp"]
    assert "cards       OK (3 answered cards" in result.stdout
    assert result.stdout.splitlines()[-1] == "Your library is healthy."
    report = json.loads(readroom("doctor", "--json").stdout)
    assert report["healthy"] and all(c["ok"] for c in report["checks"])


def test_doctor_finds_an_orphan_file_and_leaves_it(a_library):
    stray = paths.papers_dir() / "stray.pdf"
    shutil.copy(DEMO, stray)
    result = readroom("doctor")
    assert result.returncode == 1
    assert "files       1 problem: 1 orphan file" in result.stdout and str(stray) in result.stdout
    assert readroom("doctor", "--fix").returncode == 1 and stray.is_file()  # not ours to delete


def test_doctor_fix_points_a_paper_at_its_moved_pdf_and_reports_one_it_cannot_find(a_library):
    pdf = next(paths.papers_dir().glob("*.pdf"))
    moved = pdf.rename(pdf.with_name("renamed.pdf"))
    result = readroom("doctor")
    assert result.returncode == 1 and "1 missing PDF" in result.stdout and "(found as renamed.pdf)" in result.stdout
    fixed = readroom("doctor", "--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert f"at {moved}, its PDF" in fixed.stdout
    assert library.show(demo_id()).pdf_path == str(moved)

    moved.unlink()  # gone for good: reported, not invented
    result = readroom("doctor", "--fix")
    assert result.returncode == 1 and "1 missing PDF" in result.stdout
    assert "cannot repair by itself" in result.stdout.splitlines()[-1]


def test_doctor_fix_rebuilds_a_card_whose_state_disagrees_with_its_log(a_library):
    from readroom.cards import service

    card_id = answer_some()[0]
    right = service.get_card(card_id)
    with sqlite3.connect(a_library) as conn:  # a lost answer: the card as it was before its last one
        before = conn.execute("SELECT state_before, stability_before, difficulty_before, due_before,"
                              " last_review_before FROM review_log WHERE card_id = ? ORDER BY id DESC LIMIT 1",
                              (card_id,)).fetchone()
        conn.execute("UPDATE card SET state = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, reps = 2"
                     " WHERE id = ?", (*before, card_id))
    result = readroom("doctor")
    assert result.returncode == 1
    assert "cards       1 problem: 1 card whose state is not where the review log leads" in result.stdout
    assert f"card {card_id} (" in result.stdout

    fixed = readroom("doctor", "--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert f"fixed: rebuilt card {card_id}" in fixed.stdout
    assert "fixed: backed up the database to" in fixed.stdout
    rebuilt = service.get_card(card_id)
    assert (rebuilt.memory, rebuilt.reps, rebuilt.lapses) == (right.memory, right.reps, right.lapses)
    assert any("before-doctor-fix" in p.name for p in backups.listed())
    assert service.undo(card_id).memory.due < rebuilt.memory.due  # the log it left still undoes exactly


def test_doctor_fix_removes_unfinished_temporary_files(a_library):
    leftovers = [paths.papers_dir() / ".x.pdf.1a2b.part", paths.backups_dir() / ".readroom-x.db.part"]
    for leftover in leftovers:
        leftover.write_bytes(b"half")
    result = readroom("doctor")
    assert result.returncode == 1 and "2 unfinished temporary files" in result.stdout
    fixed = readroom("doctor", "--fix")
    assert fixed.returncode == 0 and not any(p.exists() for p in leftovers)
    assert "fixed: removed the unfinished temporary file" in fixed.stdout


def test_doctor_on_an_empty_home_is_healthy():
    result = readroom("doctor")
    assert result.returncode == 0 and "none yet" in result.stdout
    assert not paths.database_path().exists()


# --------------------------------------------------------------------------------------------- backups


def test_rotation_keeps_the_newest_n(a_library, monkeypatch):
    monkeypatch.setenv("READROOM_BACKUP_KEEP", "3")
    config.reload()
    made = []
    fixed = clock.FixedClock(datetime(2100, 3, 1, tzinfo=timezone.utc))  # after the fixture's backups
    clock.install(fixed)
    for _ in range(5):
        fixed.advance(hours=1)
        made.append(backups.make(a_library, "manual"))
    assert backups.listed() == made[-3:]


def test_the_first_write_of_the_day_makes_one_backup(a_library):
    fixed = clock.FixedClock(datetime(2100, 1, 1, 9, tzinfo=timezone.utc))
    clock.install(fixed)
    backups.forget_daily()
    before = set(backups.listed())
    assert cli.main(["tag", demo_id(), "a"]) == 0
    assert cli.main(["tag", demo_id(), "b"]) == 0
    daily = set(backups.listed()) - before
    assert len(daily) == 1 and next(iter(daily)).name.endswith("-daily.db")
    fixed.advance(days=1)
    from readroom.cards import service

    service.answer(service.list_cards(limit=1)[0].id, 3, fixed.now())  # the fast write path counts too
    assert len(set(backups.listed()) - before) == 2


def test_backup_prints_its_path_and_is_a_sound_self_contained_copy(a_library):
    result = readroom("backup")
    assert result.returncode == 0
    path = Path(result.stdout.strip().removeprefix("Backed up the library to "))
    assert path.parent == paths.backups_dir() and path.name.endswith("-manual.db")
    assert not Path(f"{path}-wal").exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM card").fetchone() == (91,)


WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("CREATE TABLE IF NOT EXISTS stress (batch INTEGER, n INTEGER)")
batch = 0
print("ready", flush=True)
while True:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO stress VALUES (?, ?)", [(batch, n) for n in range(50)])
    conn.execute("COMMIT")
    batch += 1
"""


def test_a_backup_while_another_process_writes_is_consistent(a_library):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(a_library)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        copies = [backups.make(a_library, "manual", keep=100) for _ in range(15)]
    finally:
        writer.kill()
        writer.wait()
    batches = []
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            rows = conn.execute("SELECT count(*), count(DISTINCT batch) FROM stress").fetchone()
            assert rows[0] == 50 * rows[1]  # whole transactions only
            batches.append(rows[1])
    assert batches[-1] > 0 and not backups.leftovers()


# --------------------------------------------------------------------------------------------- restore


def test_restore_round_trip_keeps_the_replaced_library_aside(a_library):
    saved = backups.newest()
    assert cli.main(["remove", demo_id(), "--yes"]) == 0
    result = readroom("restore", str(saved), "--yes")
    assert result.returncode == 0, result.stderr
    assert [p.title for p in library.list_papers()] == ["How to Read a Paper, in Three Passes: a readroom demo"]
    kept = Path(result.stdout.split("kept at ")[1].rstrip(".\n"))
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT count(*) FROM paper").fetchone() == (0,)  # the library as it was
    assert readroom("doctor").returncode == 1  # the PDF went with `remove`: restore says nothing of files
    assert "1 missing PDF" in readroom("doctor").stdout


def test_restore_over_a_damaged_library_moves_it_aside(a_library):
    saved = backups.newest()
    damage(a_library, "garbage")
    result = readroom("restore", str(saved), "--yes")
    assert result.returncode == 0, result.stderr
    assert "damaged-" in result.stdout and backups.newest() == saved  # the damaged file is not a "backup"
    assert readroom("list").returncode == 0


@pytest.mark.parametrize("what", ["garbage", "foreign", "damaged", "missing"])
def test_restore_refuses_what_is_not_a_sound_readroom_database(a_library, what, tmp_path):
    candidate = tmp_path / "candidate.db"
    if what == "garbage":
        candidate.write_bytes(os.urandom(8192))
    elif what == "foreign":
        with sqlite3.connect(candidate) as conn:
            conn.execute("CREATE TABLE moz_places (url TEXT)")
    elif what == "damaged":
        shutil.copy(backups.newest(), candidate)
        damage(candidate, "page")
    before = a_library.read_bytes()
    result = readroom("restore", str(candidate), "--yes")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "not restoring" in result.stderr or what == "missing"
    assert a_library.read_bytes() == before


def test_restore_asks_and_needs_a_yes_from_a_script(a_library):
    result = readroom("restore", str(backups.newest()))
    assert result.returncode == 2 and "pass --yes" in result.stderr


def test_restore_into_a_new_home(a_library, tmp_path):
    fresh = tmp_path / "new-home"
    result = readroom("restore", str(backups.newest()), "--yes", env={"READROOM_HOME": str(fresh)})
    assert result.returncode == 0, result.stderr
    listed = readroom("list", "--json", env={"READROOM_HOME": str(fresh)})
    assert [p["title"] for p in json.loads(listed.stdout)] == ["How to Read a Paper, in Three Passes: a readroom demo"]

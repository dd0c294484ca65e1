"""Hostile outside text (a title that renames the window, sets the clipboard, clears the screen; Rich markup) as
every CLI command shows it: no control byte reaches the terminal, the text stays recognisable, the database and
--json keep it exactly; and no output crashes on a terminal that cannot encode it."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discover.corpus import make_papers, seed_index
from readroom import cli, library, paths
from readroom.terminal import printable

# OSC 2 (window title), OSC 52 (clipboard), CSI 2J (clear screen), BEL, C1 CSI, DEL, NUL, CR; Rich markup.
TITLE = ("Evil \x1b]2;pwned\x07 \x1b]52;c;aGk=\x07 \x1b[2J\x9b31m\x7f\x00\r [bold red]x[/] [/] Schrödinger")
AUTHOR = "Mal\x1b[5mory [link=file:///etc/passwd]x[/link]"
SHOWN = "Evil ␛]2;pwned␇ ␛]52;c;aGk=␇ ␛[2J"  # how the title reads on screen
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but newline and tab


def readroom(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})})


def shown(result: subprocess.CompletedProcess) -> str:
    """stdout and stderr as the terminal gets them, checked free of controls."""
    out, err = result.stdout.decode(), result.stderr.decode()
    assert not CONTROLS.search(out), f"control in stdout: {out!r}"
    assert not CONTROLS.search(err), f"control in stderr: {err!r}"
    return out + err


@pytest.fixture
def hostile_paper() -> str:
    demo = str(paths.shipped_data_dir() / library.DEMO_PDF)
    assert cli.main(["add", demo, "--title", TITLE, "--authors", AUTHOR]) == 0
    paper_id = library.list_papers()[0].id
    assert cli.main(["card", "add", paper_id[:8], "--front", f"Why {TITLE}?", "--back", AUTHOR, "--tag", "x"]) == 0
    return paper_id


def test_the_database_keeps_the_title_byte_for_byte(hostile_paper):
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("select title from paper").fetchone() == (TITLE,)


@pytest.mark.parametrize("argv", [["list"], ["show", "{id}"], ["show", "{id}", "--text"], ["cards"],
                                  ["export", "--bibtex"], ["tag", "{id}", "later"], ["welcome"]])
def test_every_command_shows_controls_as_symbols_and_markup_as_text(hostile_paper, argv):
    argv = [a.format(id=hostile_paper[:8]) for a in argv if a != "welcome"]
    result = readroom(*argv)
    assert result.returncode == 0, result.stderr
    text = shown(result)
    if argv[:1] == ["export"]:  # BibTeX drops the controls and keeps the rest
        assert "Evil ]2;pwned ]52;c;aGk= [2J31m [bold red]x[/] [/] Schrödinger" in text
    else:
        assert SHOWN in text and "[bold r" in text  # list clips the title there


def test_add_and_errors_that_echo_outside_text(hostile_paper):
    again = readroom("add", str(paths.shipped_data_dir() / library.DEMO_PDF))
    assert "already in your library as " + SHOWN in shown(again)
    missing = readroom("show", "\x1b]2;pwned\x07nothing")
    assert missing.returncode != 0 and "'␛]2;pwned␇nothing'" in shown(missing)
    unknown = readroom("list", "--sort", "\x1b]52;c;aGk=\x07")  # argparse echoes the bad choice (as its repr)
    assert unknown.returncode == 2 and "]52;c;aGk=" in shown(unknown)


def test_json_keeps_the_text_exactly_and_escapes_every_control(hostile_paper):
    def data(*argv: str):
        result = readroom(*argv)
        shown(result)  # DEL and C1 too are \u escapes, not raw
        return json.loads(result.stdout)

    assert data("list", "--json")[0]["title"] == TITLE
    assert data("show", hostile_paper[:8], "--json")["authors"] == [AUTHOR]
    assert data("cards", "--json")[0]["question"] == f"Why {TITLE}?"


def test_the_bib_file_carries_no_controls(hostile_paper, tmp_path):
    assert readroom("export", "--bibtex", "-o", str(tmp_path / "refs.bib")).returncode == 0
    bib = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    assert not CONTROLS.search(bib) and "title={Evil ]2;pwned ]52;c;aGk= [2J31m [bold red]x[/] [/] Schrödinger}" in bib


def test_discover_list_shows_hostile_rows_as_text():
    papers = make_papers(3)
    papers[0].title, papers[0].authors = TITLE, [AUTHOR]
    seed_index(papers)
    result = readroom("discover", "list", "--time")
    assert result.returncode == 0, result.stderr
    text = shown(result)
    assert SHOWN in text and "[link=file:///e" in text  # the author, clipped


@pytest.mark.parametrize("argv", [["list"], ["show", "{id}"], ["cards"], ["list", "--json"]])
def test_a_terminal_that_cannot_encode_the_title_gets_escapes_not_a_crash(hostile_paper, argv):
    argv = [a.format(id=hostile_paper[:8]) for a in argv]
    result = readroom(*argv, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    text = shown(result)
    result.stdout.decode("ascii")
    if "--json" in argv:
        assert json.loads(result.stdout)[0]["title"] == TITLE
    else:
        assert "\\u241b]2;pwned\\u2407" in text and ("Schr\\xf6dinger" in text or argv[0] != "show")  # lists clip


def test_add_on_an_ascii_terminal():
    result = readroom("add", str(paths.shipped_data_dir() / library.DEMO_PDF), "--title", "Schrödinger’s café",
                      env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Schr\\xf6dinger\\u2019s caf\\xe9" in shown(result)


@given(st.text())
def test_printable_leaves_no_control_but_those_kept_and_changes_nothing_else(text):
    safe = printable(text, keep="\n")
    assert len(safe) == len(text)  # one symbol per control: widths and offsets hold
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", safe)
    for before, after in zip(text, safe, strict=True):
        assert after == before or (before != "\n" and re.fullmatch("[\x00-\x1f\x7f-\x9f]", before))


@given(st.text(st.characters(blacklist_categories=("Cc",))))
def test_printable_text_is_unchanged(text):
    assert printable(text) == text

"""Bad inputs as a hostile or clumsy user types them (issue 13): each ends, in a real `readroom` process, with one
short line on stderr, a non-zero exit and in bounded time; none reaches "Unexpected error", none hangs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readroom import cli, library, paths

LONG = "a" * 5000  # the case: a 5,063-character line came back
HUGE = "9" * 23  # beyond SQLite's 64-bit integers
SECONDS = 20  # every case ends well inside this; a hang fails the test instead of the suite


def readroom(*argv: str, home: Path | str | None = None) -> tuple[int, str, float]:
    """Run `python -m readroom ARGV` as a user would; (exit code, stderr, seconds taken)."""
    env = {**os.environ, **({"READROOM_HOME": str(home)} if home is not None else {})}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=SECONDS)
    return done.returncode, done.stderr, time.monotonic() - start


def one_line(err: str) -> str:
    """The single `readroom: ...` line a bad input must end with, short however long the input was."""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("readroom: "), err[:500]
    assert len(lines[0]) < 300 and "Unexpected error" not in lines[0], lines[0][:500]
    return lines[0]


def argparse_error(err: str) -> str:
    """argparse's usage, then its one `error:` line."""
    last = err.splitlines()[-1]
    assert ": error: argument " in last and len(last) < 200 and "Traceback" not in err, err[:500]
    return last


@pytest.fixture
def a_paper(real_papers) -> str:
    assert cli.main(["add", str(real_papers[0])]) == 0
    return library.list_papers()[0].short_id


# --------------------------------------------------------------------------- files that are not regular files


def _special_files(tmp_path: Path) -> dict[str, Path]:
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "folder.pdf").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "socket.pdf"))
    sock.close()
    return {"a named pipe": tmp_path / "pipe.pdf", "a folder": tmp_path / "folder.pdf",
            "a socket": tmp_path / "socket.pdf", "a device": Path("/dev/zero")}


def test_a_pipe_device_folder_or_socket_is_refused_before_it_is_opened(tmp_path):
    for kind, path in _special_files(tmp_path).items():
        code, err, seconds = readroom("add", str(path))
        assert code == 2 and one_line(err) == f"readroom: {path} is {kind}, not a PDF file.", kind
        assert seconds < SECONDS / 2


def test_import_annotations_refuses_a_pipe_too(tmp_path, a_paper):
    pipe = _special_files(tmp_path)["a named pipe"]
    code, err, _ = readroom("import-annotations", a_paper, "--pdf", str(pipe))
    assert code == 2 and "is a named pipe" in one_line(err)


def test_a_config_file_that_is_a_pipe_or_a_folder_is_named(readroom_home):
    os.mkfifo(paths.config_path())
    code, err, _ = readroom("config")
    assert code == 2 and one_line(err) == f"readroom: {paths.config_path()} is a named pipe, not a config file."
    paths.config_path().unlink()
    paths.config_path().mkdir()
    code, err, _ = readroom("config")
    assert code == 2 and one_line(err) == f"readroom: {paths.config_path()} is a folder, not a config file."


# --------------------------------------------------------------------------- NUL bytes and very long arguments


def test_a_nul_byte_in_a_path_is_one_line():
    # A shell cannot pass a NUL in an argument; a pasted path (the app's add box) or a --pdf value can.
    assert library.add(["a\x00b.pdf"])[0].message == "a␀b.pdf cannot be a file name: it holds a NUL character."


@pytest.mark.parametrize("argv, code, start", [
    (["add", LONG], 2, "readroom: 'aaaa"),
    (["add", LONG + ".pdf"], 2, "readroom: aaaa"),
    (["add", f"/tmp/{LONG}/paper.pdf"], 2, "readroom: /tmp/aaaa"),
    (["show", LONG], 3, "readroom: No paper matches 'aaaa"),
    (["remove", "-y", LONG], 3, "readroom: No paper matches 'aaaa"),
    (["list", "--tag", LONG], 2, "readroom: 'aaaa"),
    (["decks", "load", LONG], 3, "readroom: No starter deck named 'aaaa"),
    (["discover", "dismiss", LONG], 2, "readroom: 'aaaa"),
    (["add", "https://arxiv.org/abs/" + LONG], 2, "readroom: 'https://arxiv.org/abs/aaaa"),
    (["reparse", LONG], 3, "readroom: No paper matches 'aaaa"),
    (["cards", "--paper", LONG], 3, "readroom: No paper matches 'aaaa"),
    (["discover", "list", "--band", LONG], 2, "readroom: 'aaaa"),
])
def test_an_argument_of_thousands_of_characters_is_echoed_as_a_short_excerpt(argv, code, start):
    got, err, _ = readroom(*argv)
    line = one_line(err)
    assert got == code and line.startswith(start) and "…" in line


@pytest.mark.parametrize("argv", [[LONG], ["list", "--sort", LONG], ["card", LONG], ["stats", "--days", LONG],
                                  ["list", LONG]])
def test_argparse_echoes_a_long_argument_as_a_short_excerpt_too(argv):
    code, err, _ = readroom(*argv)
    assert code == 2 and "…" in err.splitlines()[-1] and max(map(len, err.splitlines())) < 500  # not thousands


def test_output_names_of_thousands_of_characters_are_one_line(tmp_path, a_paper):
    assert cli.main(["card", "add", a_paper, "--front", "q", "--back", "a"]) == 0
    for argv in (["export", "-o", str(tmp_path / f"{LONG}.apkg")], ["export", "--bibtex", "-o", str(tmp_path / LONG)],
                 ["export", "-o", str(tmp_path / LONG / "deck.apkg")]):
        code, err, _ = readroom(*argv)
        assert code == 2 and one_line(err).endswith("bytes).") and "the name is too long for a file" in err, argv
    # 250 bytes is a legal name, but not with the 15 bytes of the temporary file written first
    code, err, _ = readroom("export", "-o", str(tmp_path / ("b" * 245 + ".apkg")))
    assert code == 2 and "the name is too long for a file" in one_line(err)
    assert not list(tmp_path.iterdir())


def test_a_control_character_in_an_echoed_argument_is_shown_as_an_escape():
    code, err, _ = readroom("show", "x\x1b]2;pwned\x07")
    assert code == 3 and "\x1b" not in err and "'x␛]2;pwned␇'" in one_line(err)


# --------------------------------------------------------------------------- whole numbers past their range


@pytest.mark.parametrize("argv, message", [
    (["add", "x.pdf", "--year", HUGE], f"argument --year: must be from 1000 to 9999, not {HUGE}"),
    (["add", "x.pdf", "--year", "-5"], "argument --year: must be from 1000 to 9999, not -5"),
    (["add", "x.pdf", "--year", LONG], "argument --year: 'aaaa"),
    (["card", "add", "p", "--front", "q", "--page", HUGE], "argument --page: must be from 1 to 99999"),
    (["card", "add", "p", "--front", "q", "--page", "0"], "argument --page: must be from 1 to 99999, not 0"),
    (["discover", "sync", "--days", HUGE], "argument --days: must be from 1 to 36500"),
    (["discover", "sync", "--max", HUGE], "argument --max: must be from 1 to 1000000"),
    (["discover", "list", "--limit", "9223372036854775808"], "argument --limit: must be from 1 to 1000000"),
])
def test_a_number_past_its_range_is_refused_by_the_parser(argv, message):
    code, err, _ = readroom(*argv)
    assert code == 2 and message in argparse_error(err)


def test_a_cloze_number_past_ankis_is_one_line(a_paper):
    code, err, _ = readroom("card", "add", a_paper, "--cloze", f"{{{{c{HUGE}::x}}}}")
    assert code == 2 and one_line(err).startswith("readroom: Cloze numbers run from c1 to c500, as in Anki;")
    code, err, _ = readroom("card", "add", a_paper, "--cloze", "{{c500::x}}")
    assert code == 0, err


# --------------------------------------------------------------------------- a home or database that is not one


def test_a_home_that_is_a_file_is_said_so_not_an_empty_library(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder")
    for argv in (["list"], ["due"], ["cards"], ["add", "resnet"], []):
        code, err, _ = readroom(*argv, home=home)
        assert code == 2 and one_line(err) == (
            f"readroom: READROOM_HOME {home} is a file, not a folder; point it at a folder (or move that aside).")
    code, err, _ = readroom("list", home=home / "below")
    assert code == 2 and "a file stands in its path" in one_line(err)


def test_a_database_that_is_a_folder_is_said_so_not_an_empty_library(readroom_home):
    paths.database_path().mkdir()
    for argv in (["list"], ["due"], ["cards"], ["stats"]):
        code, err, _ = readroom(*argv)
        assert code == 2 and one_line(err) == f"readroom: {paths.database_path()} is a folder, not a database file."


@pytest.mark.parametrize("name", ["lib?x", "lib#x", "lib%41"])
def test_a_home_whose_name_has_uri_characters_keeps_its_papers(tmp_path, real_papers, name):
    home = tmp_path / name
    assert readroom("add", str(real_papers[0]), home=home)[0] == 0
    code, err, _ = readroom("list", "--json", home=home)
    assert code == 0 and (home / "readroom.db").is_file() and sorted(p.name for p in tmp_path.iterdir()) == [name]


# --------------------------------------------------------------------------- config values, end to end


@pytest.mark.parametrize("text, message", [
    (b"[ui]\ntheme = '\xff'\n", "is not UTF-8 text (byte 0xff on line 2)"),
    (b'network = "fast"\n', "[network] must be a table of key = value, not 'fast'."),
    (b'[review]\nparameters = "abc"\n', "[review] parameters must be a list of 21 numbers"),
    (b"[network]\nhttp_timeout = nan\n", "[network] http_timeout must be a number of seconds above 0"),
    (b"[network]\nmax_pdf_mb = -1\n", "[network] max_pdf_mb must be a number of megabytes above 0"),
    (b"[discover]\ndays = 99999999999\n", "[discover] days must be a whole number of days from 1 to 36500"),
])
def test_a_bad_config_value_ends_any_command_with_one_line(readroom_home, text, message):
    paths.config_path().write_bytes(text)
    code, err, _ = readroom("config")
    assert code == 2 and message in one_line(err)


@pytest.mark.parametrize("raw", [b"\x9b", b"\xff", b"caf\xe9", b"ok\xc3"])
def test_an_argument_that_is_not_utf8_is_one_line_and_stores_nothing(real_papers, raw):
    """Bytes argv as a shell passes `$'\\x9b'`: Python makes them lone surrogates, which no text column holds."""
    def run(*argv: bytes) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable.encode(), b"-m", b"readroom", *argv], capture_output=True,
                               timeout=60, env=os.environ)

    assert run(b"add", os.fsencode(real_papers[0]), b"--tag", b"nlp").returncode == 0
    before = run(b"list", b"--json").stdout
    paper = json.loads(before)[0]["id"].encode()
    for argv in ([b"tag", paper, b"x" + raw], [b"cards", b"--search", raw],
                 [b"add", os.fsencode(real_papers[1]), b"--title", b"T" + raw]):
        done = run(*argv)
        err = done.stderr.decode()
        assert done.returncode == 2 and err.count("\n") == 1, err
        assert "is not valid UTF-8 text" in err and "Unexpected error" not in err
    assert run(b"list", b"--json").stdout == before

"""The command line as a user meets it: start-up cost, the commands around `add`, and failures a user causes
(Ctrl-C mid-download, a full disk, a locked database), each ending in one clear line with data intact."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from werkzeug import Response

from readroom import cli, config, library, paths

HEAVY = ("textual", "sqlmodel", "sqlalchemy", "alembic", "pymupdf", "fsrs", "arxiv", "httpx", "sklearn", "genanki",
         "anki", "numpy", "scipy", "PIL", "textual_image")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def readroom(*argv: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    """The CLI in a process of its own, as a user starts it."""
    return subprocess.Popen([sys.executable, "-m", "readroom", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}, **kwargs)


def paper_rows() -> list[tuple]:
    db = paths.database_path()
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, title from paper").fetchall()


def papers_on_disk() -> list[str]:
    folder = paths.papers_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# ------------------------------------------------------------------------------------------- start-up


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["list", "--json"], ["list", "--status", "pass1"],
                                  ["show", "x"], ["add", "--help"],
                                  ["due", "--json"], ["decks"], ["discover", "--help"], ["sanity", "--help"],
                                  ["export", "--help"], ["config", "--json"]])
def test_light_commands_do_not_import_heavy_libraries(argv, tmp_path):
    # A library with one paper in it, so `list` and `show` really read the database.
    assert cli.main(["add", str(paths.shipped_data_dir() / library.DEMO_PDF)]) == 0
    probe = (
        "import sys, json\nfrom readroom.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60,
                            env=os.environ.copy())
    loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert loaded == [], f"`readroom {' '.join(argv)}` imported {loaded}"


def test_version_and_help_for_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert re.fullmatch(r"readroom \d+\.\d+\.\d+\n", capsys.readouterr().out)
    for command in ("add", "list", "show", "remove", "tag", "reparse", "classics"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        assert f"usage: readroom {command}" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------- commands


def test_list_show_tag_remove_round_trip(capsys, real_papers):
    s2orc, longeval = real_papers
    assert cli.main(["add", str(s2orc), "--tag", "corpora"]) == 0
    assert cli.main(["add", str(longeval), "--tag", "Evaluation"]) == 0
    capsys.readouterr()

    code, out, _ = run(capsys, "list", "--json")
    listed = json.loads(out)
    assert code == 0 and {p["title"] for p in listed} == {
        "S2ORC: The Semantic Scholar Open Research Corpus",
        "LONGEVAL: Guidelines for Human Evaluation of Faithfulness in Long-form Summarization"}
    s2orc_id = next(p["id"] for p in listed if p["title"].startswith("S2ORC"))

    assert [p["title"][:5] for p in json.loads(run(capsys, "list", "--json", "--tag", "evaluation")[1])] == ["LONGE"]
    assert [p["title"][:5] for p in json.loads(run(capsys, "list", "--json", "-s", "semantic scholar")[1])] == ["S2ORC"]
    assert [p["title"][:5] for p in json.loads(run(capsys, "list", "--json", "--sort", "title")[1])] == ["LONGE", "S2ORC"]

    code, out, _ = run(capsys, "show", s2orc_id[:8], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["id"] == s2orc_id and shown["arxiv_id"] is None
    assert shown["abstract"].startswith("We introduce S2ORC")
    assert {"title": "1 Introduction", "level": 1, "page": 1} in shown["sections"]
    assert shown["figures"][0]["label"] == "Figure 1" and len(shown["references"]) > 50

    code, out, _ = run(capsys, "show", s2orc_id[:8])
    assert "Outline\n  1 Introduction  (p. 1)\n  2 Constructing the corpus  (p. 2)\n    2.1 Processing PDFs" in out
    assert "Figures and tables" in out and "References (" in out

    code, out, _ = run(capsys, "tag", s2orc_id[:8], "to-read", "Corpora")
    assert code == 0 and "tags corpora, to-read" in out

    code, _, err = run(capsys, "remove", s2orc_id[:8])  # stdin is not a terminal: refuses without --yes
    assert code == 2 and "--yes" in err and len(paper_rows()) == 2
    code, out, _ = run(capsys, "remove", s2orc_id[:8], "--yes")
    assert code == 0 and [t for _, t in paper_rows()] == [listed[0]["title"] if listed[0]["id"] != s2orc_id
                                                          else listed[1]["title"]]
    assert len(papers_on_disk()) == 1

    code, _, err = run(capsys, "show", s2orc_id[:8])
    assert code == 3 and err.count("\n") == 1 and "No paper matches" in err


def test_reparse_redoes_the_structure(capsys, real_papers):
    assert cli.main(["add", str(real_papers[0])]) == 0
    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute("delete from paper_section")
    code, out, _ = run(capsys, "reparse", "--all")
    assert code == 0
    assert len(json.loads(run(capsys, "show", paper_rows()[0][0], "--json")[1])["sections"]) > 10


def test_debug_shows_the_traceback_and_plain_errors_do_not(capsys, tmp_path):
    code, _, err = run(capsys, "add", str(tmp_path / "missing.pdf"))
    assert code == 2 and err == f"readroom: No such file: {tmp_path / 'missing.pdf'}\n"
    code, _, err = run(capsys, "show", "nothing-here")
    assert code == 3 and err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(Exception, match="No paper matches"):
        cli.main(["--debug", "show", "nothing-here"])


# ------------------------------------------------------------------------------------------- failures


def test_ctrl_c_mid_download_keeps_nothing_half_done(arxiv, httpserver, readroom_home):
    """SIGINT while the PDF streams in: exit 130, one line, no partial file, no database row."""
    release = threading.Event()

    def slow_pdf(request):
        def body():
            yield b"%PDF-1.5\n" + b"0" * 65_536
            release.wait(30)  # hold the download open until the test is done
        return Response(body(), content_type="application/pdf", headers={"Content-Length": str(5_000_000)})

    arxiv.pdf_response = None
    httpserver.clear()
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_handler(arxiv.api)
    httpserver.expect_request(re.compile(r"^/pdf/")).respond_with_handler(slow_pdf)
    try:
        proc = readroom("add", "1605.08386")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(n.endswith(".part") or n.startswith(".")
                                                      for n in papers_on_disk()):
            time.sleep(0.05)
        assert papers_on_disk(), "the download never started"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        release.set()
    assert proc.returncode == 130
    assert err.count("\n") == 1 and err.startswith("readroom: Interrupted.")
    assert papers_on_disk() == []
    assert paper_rows() == []


def test_full_disk_while_storing_a_pdf_is_one_line_and_changes_nothing(real_papers):
    """The file size limit stands in for a full disk: writes fail with EFBIG as they would with ENOSPC."""
    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))

    assert real_papers[0].stat().st_size > 1024 * 1024
    proc = readroom("add", str(real_papers[0]), preexec_fn=limit_file_size)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 6, err
    assert err.count("\n") == 1 and err.startswith("readroom: The disk is full:") and "Nothing was changed" in err
    assert papers_on_disk() == [] and paper_rows() == []


def test_locked_database_is_one_line_and_the_pdf_is_not_left_behind(capsys, real_papers, monkeypatch):
    assert cli.main(["add", str(real_papers[0])]) == 0
    capsys.readouterr()
    before = papers_on_disk()
    monkeypatch.setenv("READROOM_DB_BUSY_TIMEOUT", "0.2")
    config.reload()
    holder = sqlite3.connect(paths.database_path(), isolation_level=None)
    holder.execute("begin exclusive")
    try:
        code, out, err = run(capsys, "add", str(real_papers[1]))
    finally:
        holder.rollback()
        holder.close()
    assert code == 6 and err.count("\n") == 1 and "library is busy: another readroom is writing" in err
    assert papers_on_disk() == before and len(paper_rows()) == 1


def test_show_says_where_the_structure_came_from_and_when_it_is_thin(capsys, tmp_path):
    from dataclasses import replace

    from pdf.paper_factory import Style, build_pdf, demo_spec

    # Headings the layout cannot see; a run-in abstract it can.
    plain = Style(heading_sizes=(10, 10, 10), heading_bold=False, abstract_style="inline")
    outlined = build_pdf(demo_spec(), replace(plain, outline=True), tmp_path / "outlined.pdf")
    bare = build_pdf(demo_spec(), plain, tmp_path / "bare.pdf")
    assert cli.main(["add", str(outlined), "--title", "Outlined"]) == 0
    assert cli.main(["add", str(bare), "--title", "Bare"]) == 0
    capsys.readouterr()
    ids = {title: paper_id for paper_id, title in paper_rows()}

    shown = json.loads(run(capsys, "show", ids["Outlined"][:8], "--json")[1])
    assert shown["structure_source"] == "outline" and shown["structure_warning"] is None
    out = run(capsys, "show", ids["Outlined"][:8])[1]
    assert "structure from the PDF outline" in out and "Few sections" not in out

    thin = json.loads(run(capsys, "show", ids["Bare"][:8], "--json")[1])
    assert thin["structure_source"] == "layout" and len(thin["sections"]) < 2
    assert thin["structure_warning"].startswith("Few sections were found in this PDF")
    out = run(capsys, "show", ids["Bare"][:8])[1]
    assert "structure from layout analysis" in out
    assert f"read it in the PDF: `o` in the reader, or open {thin['pdf_path']}." in out

    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute("update paper set structure_source = 'layout'")
    assert run(capsys, "reparse", "--all")[0] == 0
    assert json.loads(run(capsys, "show", ids["Outlined"][:8], "--json")[1])["structure_source"] == "outline"


def test_the_demo_paper_goes_by_its_group_author_not_its_last_word(readroom_home):
    """"The readroom team" is a group's name: lists show it less its "The" (not "team"), BibTeX keeps it whole."""
    demo = str(paths.shipped_data_dir() / library.DEMO_PDF)
    env = dict(os.environ)
    assert subprocess.run([sys.executable, "-m", "readroom", "add", demo], capture_output=True, env=env).returncode == 0
    listed = subprocess.run([sys.executable, "-m", "readroom", "list"], capture_output=True, text=True, env=env)
    assert "  readroom team  " in listed.stdout and "  team  " not in listed.stdout
    bib = subprocess.run([sys.executable, "-m", "readroom", "export", "--bibtex"], capture_output=True, text=True,
                         env=env).stdout
    assert "@misc{readroom2026how," in bib and "author={{The readroom team}}" in bib


@pytest.mark.parametrize(("name", "called"), [("Kaiming He", "He"), ("He, Kaiming", "He"), ("OpenAI", "OpenAI"),
                                              ("The readroom team", "readroom team"),
                                              ("the Pile team", "Pile team"),
                                              ("ATLAS Collaboration", "ATLAS Collaboration"),
                                              ("Ludwig van Beethoven", "Beethoven")])
def test_authors_go_by_their_surname_and_groups_by_their_name(name, called):
    from readroom.records.papers import surname

    assert surname(name) == called

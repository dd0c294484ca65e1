"""`readroom list --status` and the reading state in `list --json`, run as a user runs them: a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pymupdf
import pytest

from readroom import cli, library, paths, reading


def readroom(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


@pytest.fixture
def two_papers(tmp_path) -> dict[str, str]:
    """The demo, read to the end, and a paper of one's own in pass 2: title -> id."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Attention Spans of Graduate Students", fontsize=20)
    doc.save(tmp_path / "spans.pdf")
    assert cli.main(["add", str(paths.shipped_data_dir() / library.DEMO_PDF)]) == 0
    assert cli.main(["add", str(tmp_path / "spans.pdf"), "--title", "Attention Spans"]) == 0
    ids = {p.title: p.id for p in library.list_papers()}
    demo = next(i for t, i in ids.items() if t != "Attention Spans")
    reading.decide(demo, "done")
    reading.decide(ids["Attention Spans"], "next")
    return ids


def listed(*argv: str) -> list[str]:
    done = readroom("list", "--json", *argv)
    assert done.returncode == 0, done.stderr
    return [p["title"] for p in json.loads(done.stdout)]


def test_list_filters_by_pass_or_decision(two_papers):
    demo = next(t for t in two_papers if t != "Attention Spans")
    assert listed("--status", "pass2") == ["Attention Spans"]
    assert listed("--status", "reading") == ["Attention Spans"]  # any pass
    assert listed("--status", "done") == [demo]
    assert listed("--status", "pass1") == []
    text = readroom("list", "--status", "pass2")
    assert "Attention Spans" in text.stdout and demo[:20] not in text.stdout
    nothing = readroom("list", "--status", "parked")
    assert nothing.returncode == 0 and "No paper matches" in nothing.stdout


def test_list_json_carries_each_papers_pass_and_decision(two_papers):
    papers = {p["title"]: p for p in json.loads(readroom("list", "--json").stdout)}
    ours = papers["Attention Spans"]
    assert (ours["pass"], ours["decision"], ours["status"]) == (2, "reading", "pass 2")
    demo = next(p for t, p in papers.items() if t != "Attention Spans")
    assert (demo["pass"], demo["decision"], demo["status"]) == (1, "done", "done")


def test_an_unknown_status_is_one_line_naming_the_choices():
    done = readroom("list", "--status", "skimmed")
    assert done.returncode == 2
    assert "skimmed is not a status; choose from reading, pass1, pass2, pass3, parked, dropped, done" in done.stderr

"""`readroom export --notes`: one Markdown file per paper, with front matter a YAML reader takes whatever the
title holds, written again in place on the next export; run as a user runs it, in a process of its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export.kit import store_paper
from readroom import clock, paths, reading
from readroom.cards import service
from readroom.export.markdown import file_names, yaml_value
from readroom.export.selection import PaperInfo

NASTY = 'BERT: "Pre-training" of #deep\nBidirectional: Transformers'


def export(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", "export", "--notes", *argv], capture_output=True,
                          text=True, env=dict(os.environ), timeout=120)


def front_matter(text: str) -> dict:
    """The YAML front matter, read by PyYAML where it is installed, else by a strict reader of the subset the
    export promises (one `key: value` per line, each value JSON, which YAML reads the same)."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, text[:200]
    try:
        import yaml
    except ImportError:
        data = {}
        for line in match.group(1).split("\n"):
            key, sep, value = line.partition(": ")
            assert sep and re.fullmatch(r"[a-z_]+", key), line
            data[key] = json.loads(value)
        return data
    return yaml.safe_load(match.group(1))


def two_papers() -> tuple[str, str]:
    bert = store_paper(NASTY, ["Jacob Devlin", "Ming-Wei <Chang>"], 2018, arxiv_id="1810.04805",
                       primary_category="cs.CL", tags=("nlp", "ml::transformers"))
    twin = store_paper(NASTY, ["Someone Else"], 2019, doi="10.1000/xyz")  # the same title, another paper
    reading.save_note(bert, 1, "cs:category", "A pre-training *method*")
    reading.save_note(bert, 2, "thrust", "Masked LM + next sentence.\nSecond line.")
    reading.add_time(bert, 1, 600)
    reading.decide(bert, "next")
    service.create_highlight(bert, "# we mask 15% of [tokens] <at random>", now=clock.now(), page=3)
    service.add_note("qa", "What fraction is masked?", "15%", now=clock.now(), paper_id=bert)
    return bert, twin


def test_one_file_per_paper_with_front_matter_that_parses():
    bert, twin = two_papers()
    done = export()
    assert done.returncode == 0, done.stderr
    folder = paths.home() / "exports" / "notes"
    assert done.stdout.strip() == f"Wrote the reading notes of 2 papers (all papers) to {folder}: 2 new."
    files = sorted(folder.iterdir())
    assert len(files) == 2 and all(f.suffix == ".md" and re.fullmatch(r"[\w.-]+", f.name) for f in files)
    by_id = {front_matter(f.read_text(encoding="utf-8"))["readroom_id"]: f for f in files}
    assert set(by_id) == {bert, twin}  # one title, two papers, two files

    text = by_id[bert].read_text(encoding="utf-8")
    meta = front_matter(text)
    assert meta["title"] == NASTY and meta["authors"] == ["Jacob Devlin", "Ming-Wei <Chang>"]
    assert (meta["year"], meta["arxiv"], meta["doi"], meta["url"]) == (
        2018, "1810.04805", None, "https://arxiv.org/abs/1810.04805")
    assert meta["tags"] == ["ml/transformers", "nlp"] or meta["tags"] == ["nlp", "ml/transformers"]
    assert (meta["status"], meta["pass"]) == ("pass 2", 2) and re.fullmatch(r"\d{4}-\d\d-\d\d", meta["decided"])
    body = text.split("\n---\n", 1)[1]
    assert "## The five Cs\n\n- **Category:** A pre-training *method*\n- **Context:**\n" in body
    assert "## Pass 1: Skim\n\nTime: 10 min of 10 min · checklist 0/6" in body
    assert "### Main thrust\n\nMasked LM + next sentence.\nSecond line." in body
    assert " · pass 1: went on to pass 2" in body
    # the paper's own text is quoted as text, never as Markdown or HTML
    assert "> \\# we mask 15% of \\[tokens\\] \\<at random\\>\n> — p. 3" in body
    assert "# BERT: \"Pre-training\" of \\#deep Bidirectional: Transformers\n" in body
    assert "- **Q:** What fraction is masked?\n  **A:** 15%" in body
    assert "\x1b" not in body

    twin_meta = front_matter(by_id[twin].read_text(encoding="utf-8"))
    assert (twin_meta["doi"], twin_meta["status"], twin_meta["decided"]) == ("10.1000/xyz", "pass 1", None)


def test_a_second_export_replaces_the_same_files_and_says_what_changed(tmp_path):
    bert, _ = two_papers()
    assert export("-o", str(tmp_path / "vault")).returncode == 0
    names = sorted(p.name for p in (tmp_path / "vault").iterdir())
    reading.save_note(bert, 1, "cs:clarity", "Clear.")
    again = export("-o", str(tmp_path / "vault"))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().endswith(": 1 updated, 1 unchanged.")
    assert sorted(p.name for p in (tmp_path / "vault").iterdir()) == names
    assert any("- **Clarity:** Clear." in p.read_text(encoding="utf-8") for p in (tmp_path / "vault").iterdir())
    assert json.loads(export("-o", str(tmp_path / "vault"), "--json").stdout) == {
        "folder": str(tmp_path / "vault"), "papers": 2, "new": 0, "updated": 0, "unchanged": 2}


def test_the_same_selection_as_card_export(tmp_path):
    bert, _ = two_papers()
    done = export("--paper", "1810.04805", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    [only] = list(tmp_path.iterdir())
    assert only.name == "bert-1810.04805.md" and front_matter(only.read_text(encoding="utf-8"))["readroom_id"] == bert
    assert "(paper 1810.04805)" in done.stdout

    tagged = export("--tag", "nlp", "-o", str(tmp_path / "nlp"))
    assert tagged.returncode == 0 and len(list((tmp_path / "nlp").iterdir())) == 1

    nothing = export("--tag", "astronomy", "-o", str(tmp_path / "none"))
    assert nothing.returncode != 0 and nothing.stdout == ""
    assert nothing.stderr == "readroom: No papers with tag astronomy; `readroom list` shows your papers' tags.\n"
    assert not (tmp_path / "none").exists()


def test_an_empty_library_or_a_file_for_a_folder_is_one_line(tmp_path):
    empty = export()
    assert empty.returncode != 0 and empty.stderr.count("\n") == 1 and "No papers to export" in empty.stderr
    store_paper("A paper", ["A. Author"], 2020, arxiv_id="2001.00001")
    target = tmp_path / "notes.md"
    target.write_text("mine", encoding="utf-8")
    done = export("-o", str(target))
    assert done.returncode != 0 and "is not a folder" in done.stderr and done.stderr.count("\n") == 1
    assert Path(target).read_text(encoding="utf-8") == "mine"


@given(st.text() | st.lists(st.text(), max_size=3) | st.none() | st.integers())
def test_any_front_matter_value_reads_back_the_same_in_yaml(value):
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(f"title: {yaml_value(value)}\n") == {"title": value}


def test_two_papers_whose_names_would_clash_get_two_files():
    same = dict(title="A Paper", authors=[], year=None, arxiv_id=None, arxiv_version=None, classic_key=None,
                primary_category=None, doi=None, url=None)
    first, second = PaperInfo(id="0123abcd-1", **same), PaperInfo(id="0123ABCD-2", **same)
    names = [name for _, name in file_names([first, second])]
    assert names == ["a-paper-0123abcd.md", "a-paper-0123abcd-0123ABCD-2.md"]

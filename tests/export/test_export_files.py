"""Where exports go and what they are called, through the real CLI: one dated file per selection in exports/, the
same selection again replaces its file and says so, a deck named .txt is refused, --json is JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone

from readroom.cards import service
from readroom.export import naming

NOW = datetime.now(timezone.utc)
DAY = NOW.astimezone().date().isoformat()


def readroom(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ))


def test_each_selection_has_its_own_file_and_the_same_one_again_replaces_it_saying_so(readroom_home, resnet):
    service.add_note("qa", "What is a residual?", "F(x) + x", now=NOW, paper_id=resnet)
    service.add_note("qa", "Loose card", "no paper", now=NOW)
    outputs = [readroom("export").stdout, readroom("export", "--paper", "resnet").stdout,
               readroom("export", "--tag", "vision").stdout]
    names = sorted(p.name for p in (readroom_home / "exports").iterdir())
    assert names == sorted([f"readroom-all-{DAY}.apkg",
                            f"readroom-paper-deep-residual-learning-for-image-resnet-{DAY}.apkg",
                            f"readroom-tag-vision-{DAY}.apkg"])
    assert not any("replacing" in out for out in outputs)
    again = readroom("export", "--paper", "resnet")
    assert again.returncode == 0
    assert "replacing today's earlier export of paper resnet" in again.stdout
    assert len(list((readroom_home / "exports").iterdir())) == 3


def test_a_file_the_user_names_is_replaced_with_a_word(readroom_home, tmp_path):
    service.add_note("qa", "q", "a", now=NOW)
    out = tmp_path / "mine.apkg"
    out.write_text("something else")
    done = readroom("export", "-o", str(out))
    assert done.returncode == 0 and "replacing the file that was there" in done.stdout
    assert out.read_bytes()[:4] == b"PK\x03\x04"


def test_a_deck_named_txt_is_refused_and_one_without_extension_gets_apkg(readroom_home, tmp_path):
    service.add_note("qa", "q", "a", now=NOW)
    refused = readroom("export", "-o", str(tmp_path / "x.txt"))
    assert refused.returncode == 2 and not (tmp_path / "x.txt").exists()
    assert refused.stderr.count("\n") == 1 and "x.txt.apkg" in refused.stderr and ".apkg file" in refused.stderr
    done = readroom("export", "--json", "-o", str(tmp_path / "deck"))
    assert json.loads(done.stdout)["path"] == str(tmp_path / "deck.apkg")
    assert (tmp_path / "deck.apkg").read_bytes()[:4] == b"PK\x03\x04"


def test_bibtex_with_json_is_json(readroom_home, resnet, tmp_path):
    shown = json.loads(readroom("export", "--bibtex", "--json").stdout)
    assert shown["entries"] == 1 and shown["path"] is None and "@misc{he2015deep," in shown["bibtex"]
    written = json.loads(readroom("export", "--bibtex", "--json", "-o", str(tmp_path / "refs.bib")).stdout)
    assert written == {"path": str(tmp_path / "refs.bib"), "entries": 1, "replaced": False, "moved": 0}


def test_exports_left_in_the_old_decks_folder_move_to_exports_once(readroom_home):
    service.add_note("qa", "q", "a", now=NOW)
    old = readroom_home / "decks"
    old.mkdir()
    (old / "readroom-2026-01-02.apkg").write_bytes(b"PK old export")
    first = readroom("export")
    assert "Moved 1 earlier export from" in first.stdout and str(readroom_home / "exports") in first.stdout
    assert (readroom_home / "exports" / "readroom-2026-01-02.apkg").read_bytes() == b"PK old export"
    assert not old.exists()
    assert "Moved" not in readroom("export").stdout


def test_tags_that_sanitise_alike_keep_apart():
    from readroom.export.selection import CardFilter

    assert naming.label(CardFilter(tag="ml::nlp")) != naming.label(CardFilter(tag="ml-nlp")) == "tag-ml-nlp"
    assert naming.slug("A/B: C?*<>|\\\"") == "a-b-c"

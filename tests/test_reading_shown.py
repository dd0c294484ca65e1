"""`readroom show` tells the user their own reading: the five Cs, pass notes, time, decisions with dates and
highlights, in text and in --json; run as a user runs it, in a process of its own, on a real library."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

from export.kit import store_paper
from readroom import clock, paths, reading
from readroom.cards import service

HOSTILE = "Works: \x1b]2;pwned\x07 on [b]markup[/b]\nsecond line"


def show(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", "show", *argv], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


def read_a_paper() -> str:
    paper_id = store_paper("Attention Is All You Need", ["Ashish Vaswani"], 2017, arxiv_id="1706.03762")
    reading.save_note(paper_id, 1, "cs:category", "A new architecture")
    reading.save_note(paper_id, 1, "cs:contributions", HOSTILE)
    reading.save_note(paper_id, 1, "notes", "Skimmed on the train.")
    reading.tick(paper_id, 1, "title-abstract")
    reading.add_time(paper_id, 1, 14 * 60)
    reading.decide(paper_id, "next")
    reading.save_note(paper_id, 2, "thrust", "Self-attention replaces recurrence.")
    reading.add_time(paper_id, 2, 95)
    reading.decide(paper_id, "park", "need the math first")
    service.create_highlight(paper_id, "multi-head attention allows the model to jointly attend", now=clock.now(),
                             page=4, pass_no=2)
    return paper_id


def test_show_prints_the_users_reading_and_keeps_hostile_notes_harmless():
    paper_id = read_a_paper()
    done = show(paper_id[:8])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Your reading: parked at pass 2: need the math first" in out
    assert "Pass 1 Skim       14 min of 10 min (over budget), checklist 1/6" in out
    assert "Pass 2 Grasp      2 min of 1 h, checklist 0/7" in out
    assert "Category:      A new architecture" in out and "Context:       -" in out
    assert "Skimmed on the train." in out and "Main thrust:\n    Self-attention replaces recurrence." in out
    day = clock.now().astimezone().date().isoformat()  # decisions are dated in local time
    assert f"  {day} " in out and "pass 1: went on to pass 2" in out and "pass 2: parked: need the math first" in out
    assert "p. 4   “multi-head attention allows the model to jointly attend”" in out
    # the terminal sees the controls as symbols, and the note's two lines as two indented lines
    assert "\x1b" not in out and "\x07" not in out
    assert "Works: ␛]2;pwned␇ on [b]markup[/b]\n                 second line" in out
    assert out.index("Your reading") < out.index("Highlights (1)")


def test_show_json_carries_the_reading_as_stored():
    paper_id = read_a_paper()
    done = show(paper_id, "--json")
    assert done.returncode == 0, done.stderr
    mine = json.loads(done.stdout)["reading"]
    assert (mine["status"], mine["pass"], mine["decision"], mine["reason"]) == (
        "parked", 2, "parked", "need the math first")
    assert mine["five_cs"] == {"category": "A new architecture", "context": "", "correctness": "",
                               "contributions": HOSTILE, "clarity": ""}
    passes = {p["pass"]: p for p in mine["passes"]}
    assert passes[1]["seconds"] == 840.0 and passes[1]["budget_seconds"] == 600
    assert passes[1]["checklist"] == {"ticked": 1, "total": 6}
    assert passes[1]["notes"] == [{"slot": "notes", "label": "Notes", "text": "Skimmed on the train."}]
    assert passes[2]["notes"] == [{"slot": "thrust", "label": "Main thrust",
                                   "text": "Self-attention replaces recurrence."}]
    assert [(d["pass"], d["decision"], d["reason"]) for d in mine["decisions"]] == [
        (1, "next", None), (2, "park", "need the math first")]
    assert datetime.fromisoformat(mine["decisions"][0]["at"]).tzinfo is not None
    [highlight] = mine["highlights"]
    assert (highlight["page"], highlight["pass"]) == (4, 2) and highlight["text"].startswith("multi-head")


def test_a_paper_never_opened_says_so():
    paper_id = store_paper("Unread", ["A. Author"], 2020, arxiv_id="2001.00001")
    done = show(paper_id)
    assert "Your reading: pass 1 (not opened yet: `readroom` opens it)" in done.stdout
    assert "The five Cs" not in done.stdout and "Decisions" not in done.stdout
    assert json.loads(show(paper_id, "--json").stdout)["reading"]["decisions"] == []


def test_decisions_made_before_the_history_existed_keep_their_date():
    """A library from before 0008: a parked paper gets its decision, dated by its last change, on upgrade."""
    from alembic import command

    from readroom.storage import db

    paper_id = store_paper("Parked long ago", ["A. Author"], 2020, arxiv_id="2001.00002")
    reading.decide(paper_id, "park", "later")
    cfg = db._alembic_config()
    with db.engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_structure_source")
    db.dispose_all()
    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute("UPDATE reading SET updated_at = '2025-01-31T10:00:00+00:00'")
    db.dispose_all()
    db.engine()  # opening brings it up to date
    [decided] = reading.state(paper_id).decisions
    assert (decided.pass_no, decided.decision, decided.reason) == (1, "park", "later")
    assert decided.at == datetime(2025, 1, 31, 10, tzinfo=timezone.utc)

"""The card commands: due, cards, card add/suspend/delete, optimize."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from readroom import cli


@pytest.fixture
def paper(real_papers) -> str:
    assert cli.main(["add", str(real_papers[0])]) == 0
    from readroom import library

    return library.list_papers()[0].id[:8]


def test_card_add_then_cards_and_due(paper, capsys):
    capsys.readouterr()
    assert cli.main(["card", "add", paper, "--front", "What is S2ORC?", "--back", "a corpus", "--tag", "nlp"]) == 0
    assert cli.main(["card", "add", paper, "--cloze", "S2ORC has {{c1::81.1M}} papers, {{c2::8.1M}} with text",
                     "--json"]) == 0
    capsys.readouterr()
    assert cli.main(["cards", "--json", "--paper", paper]) == 0
    cards = json.loads(capsys.readouterr().out)
    assert [c["kind"] for c in cards] == ["qa", "cloze", "cloze"]
    assert cards[1]["question"] == "S2ORC has [...] papers, 8.1M with text"
    assert cli.main(["cards", "--tag", "nlp"]) == 0
    out = capsys.readouterr().out
    assert "What is S2ORC?" in out and "1 card" in out
    assert cli.main(["due", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"new": 2, "learning": 0, "review": 0}  # one per cloze note a day
    assert cli.main(["card", "suspend", cards[0]["uuid"][:8]]) == 0
    assert capsys.readouterr().out == "Suspended 1 card.\n"
    assert cli.main(["cards", "--state", "suspended", "--json"]) == 0
    assert [c["id"] for c in json.loads(capsys.readouterr().out)] == [cards[0]["id"]]
    assert cli.main(["card", "delete", cards[0]["uuid"][:8], "--yes"]) == 0
    assert cli.main(["due"]) == 0
    assert capsys.readouterr().out.strip().endswith("new 1  learning 0  review 0")


def test_card_add_needs_front_or_cloze(paper, capsys):
    assert cli.main(["card", "add", paper]) == 2
    assert cli.main(["card", "add", paper, "--cloze", "no deletion"]) == 2
    assert "deletion" in capsys.readouterr().err


def test_due_on_an_empty_home_and_without_heavy_imports(capsys):
    assert cli.main(["due", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"new": 0, "learning": 0, "review": 0}
    code = ("import sys; from readroom import cli; cli.main(['due', '--json']);"
            "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'fsrs', 'textual') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_optimize_says_how_many_reviews_are_missing(capsys):
    from datetime import datetime, timezone

    from readroom.cards import service

    card = service.add_note("qa", "q", "a", now=datetime(2026, 3, 2, tzinfo=timezone.utc))[0]
    service.answer(card.id, 3, datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    assert cli.main(["optimize"]) == 0  # not enough history yet is a normal state, not a failure
    assert "511 more" in capsys.readouterr().out


def test_optimize_without_the_extra_fails_clearly(capsys, monkeypatch):
    from datetime import datetime, timezone

    from readroom.cards import scheduler, service

    monkeypatch.setattr(service, "MIN_REVIEWS_TO_OPTIMIZE", 1)
    monkeypatch.setattr(scheduler, "optimizer_available", lambda: False)
    card = service.add_note("qa", "q", "a", now=datetime(2026, 3, 2, tzinfo=timezone.utc))[0]
    service.answer(card.id, 3, datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    assert cli.main(["optimize"]) == 1  # asked for a fit that could run but for a missing install: an error
    assert "pip install 'readroom[optimizer]'" in capsys.readouterr().err

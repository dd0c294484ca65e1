"""Highlights and cards through the service: making, editing, deleting, filtering."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from readroom import cli, library
from readroom.cards import service
from readroom.errors import BadInput, NotFound

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def paper_id(real_papers) -> str:
    assert cli.main(["add", str(real_papers[0])]) == 0
    return library.list_papers()[0].id


def test_highlight_to_question_and_cloze_cards(paper_id):
    hl = service.create_highlight(paper_id, "Residual learning eases training of very deep nets", now=NOW, page=3,
                                  section="3 Method", start=120, end=170, before="We show that", after=".",
                                  kind="claim", color="yellow", note="key idea")
    assert hl.uuid and service.list_highlights(paper_id)[0].note == "key idea"
    (qa,) = service.cards_from_highlight(hl.id, "qa", front="What eases training of deep nets?", now=NOW,
                                         tags=["ResNet"])
    assert (qa.question, qa.answer, qa.page, qa.section, qa.tags) == (
        "What eases training of deep nets?", hl.text, 3, "3 Method", ["resnet"])
    clozes = service.cards_from_highlight(
        hl.id, "cloze", cloze_text="{{c1::Residual learning}} eases training of very {{c2::deep}} nets", now=NOW)
    assert [c.ord for c in clozes] == [1, 2] and clozes[0].note_id == clozes[1].note_id
    assert clozes[0].question == "[...] eases training of very deep nets"
    assert {c.paper_id for c in service.list_cards(paper=paper_id)} == {paper_id}
    assert len({c.uuid for c in service.list_cards()}) == 3


def test_bad_notes_are_refused():
    with pytest.raises(BadInput):
        service.add_note("cloze", "no deletion here", now=NOW)
    with pytest.raises(BadInput):
        service.add_note("qa", "  ", "answer", now=NOW)
    with pytest.raises(NotFound):
        service.add_note("qa", "q", "a", now=NOW, paper_id="nope")


def test_editing_a_cloze_adds_and_removes_cards():
    cards = service.add_note("cloze", "{{c1::a}} and {{c2::b}}", now=NOW)
    edited = service.edit_note(cards[0].note_id, front="{{c1::a}} and {{c3::c}}", tags=["x"], now=NOW)
    assert [c.ord for c in edited] == [1, 3] and edited[0].id == cards[0].id and edited[0].tags == ["x"]
    assert [c.ord for c in service.list_cards()] == [1, 3]


def test_filters_and_search():
    a = service.add_note("qa", "What is $\\nabla f$?", "the gradient", now=NOW, tags=["calculus"])[0]
    b = service.add_note("qa", "What is Adam?", "an optimizer", now=NOW, tags=["optim"])[0]
    assert [c.id for c in service.list_cards(tag="optim")] == [b.id]
    assert [c.id for c in service.list_cards(search="gradient")] == [a.id]
    assert service.list_cards(search="$\\nabla")[0].question == "What is $\\nabla f$?"  # math kept as typed
    assert [c.id for c in service.list_cards(state="new")] == [a.id, b.id]
    assert service.list_cards(state="review") == []
    with pytest.raises(BadInput):
        service.list_cards(state="sleeping")


def test_deleting_the_last_card_deletes_its_note():
    cards = service.add_note("cloze", "{{c1::a}} {{c2::b}}", now=NOW)
    service.answer(cards[0].id, 3, NOW)
    service.delete_card(cards[0].id)
    assert [c.id for c in service.list_cards()] == [cards[1].id]
    assert service.undo() is None  # the deleted card's history went with it
    service.delete_card(cards[1].id)
    assert service.list_cards() == []
    with pytest.raises(NotFound):
        service.edit_note(cards[0].note_id, front="{{c1::x}}", now=NOW)


def test_resolve_card_by_uuid_prefix():
    card = service.add_note("qa", "q", "a", now=NOW)[0]
    assert service.resolve_card(card.uuid[:8]) == card.id
    with pytest.raises(NotFound):
        service.resolve_card("ffffffff-none")


def test_a_highlight_deleted_by_another_process_while_cards_are_made_from_it_is_not_found(paper_id):
    import sqlite3
    import threading
    import time

    from readroom import paths

    hl = service.create_highlight(paper_id, "Residual learning eases training", now=NOW)
    other = sqlite3.connect(paths.database_path(), isolation_level=None)  # another process deleting it, not yet done
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM highlight WHERE id = ?", (hl.id,))
    outcome: list[BaseException | object] = []

    def make() -> None:
        try:
            outcome.append(service.cards_from_highlight(hl.id, "qa", front="What eases training?", now=NOW))
        except BaseException as exc:  # noqa: B036 - reported to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=make)
    worker.start()
    time.sleep(0.5)  # it has read the highlight (the old, separate read did) and waits for the write lock
    other.execute("COMMIT")
    other.close()
    worker.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], NotFound), outcome  # not a foreign-key failure
    assert "No highlight with id" in outcome[0].message
    assert service.list_cards() == []

"""The reading service: passes, checklists, notes, time and decisions, stored in the real database."""

from __future__ import annotations

import pytest

from readroom import cli, library, paths, reading
from readroom.errors import BadInput, NotFound


@pytest.fixture
def paper_id(real_papers) -> str:
    assert cli.main(["add", str(real_papers[0])]) == 0
    return library.list_papers()[0].id


def test_a_new_paper_starts_in_pass_one_with_nothing_ticked(paper_id):
    state = reading.state(paper_id)
    assert (state.pass_no, state.decision, state.status) == (1, "reading", "pass 1")
    done, total = state.progress()
    assert done == 0 and total == len(reading.plans()[1].items) >= 5


def test_ticks_notes_and_time_persist_and_untick(paper_id):
    reading.tick(paper_id, 1, "title-abstract")
    reading.tick(paper_id, 1, "headings")
    reading.tick(paper_id, 1, "headings")  # ticking twice is harmless
    reading.save_note(paper_id, 1, "cs:category", "A dataset paper.")
    reading.save_note(paper_id, 1, "cs:category", "A corpus / resource paper.")  # autosave overwrites
    assert reading.add_time(paper_id, 1, 90.5) == 90.5
    assert reading.add_time(paper_id, 1, 30) == 120.5
    state = reading.state(paper_id)
    assert state.ticks[1] == {"title-abstract", "headings"} and state.progress() == (2, state.progress()[1])
    assert state.note(1, "cs:category") == "A corpus / resource paper."
    assert state.seconds[1] == 120.5
    reading.tick(paper_id, 1, "headings", checked=False)
    assert reading.state(paper_id).ticks[1] == {"title-abstract"}


def test_decisions_walk_the_passes(paper_id):
    assert reading.decide(paper_id, "park", "needs background on GROBID").status == "parked"
    assert reading.state(paper_id).reason == "needs background on GROBID"
    assert reading.decide(paper_id, "resume").status == "pass 1"
    assert reading.decide(paper_id, "next").status == "pass 2"
    assert reading.decide(paper_id, "next").status == "pass 3"
    assert reading.decide(paper_id, "next").status == "done"
    assert reading.set_pass(paper_id, 2).status == "pass 2"
    dropped = reading.decide(paper_id, "drop", "not my field")
    assert (dropped.decision, dropped.reason) == ("dropped", "not my field")
    with pytest.raises(BadInput):
        reading.decide(paper_id, "maybe")


def test_state_of_many_papers_at_once(paper_id, real_papers):
    assert cli.main(["add", str(real_papers[1])]) == 0
    other = next(p.id for p in library.list_papers() if p.id != paper_id)
    reading.decide(other, "next")
    states = reading.states()
    assert set(states) == {other}
    assert states[other].pass_no == 2


def test_removing_a_paper_removes_its_reading_state(paper_id):
    reading.tick(paper_id, 1, "introduction")
    reading.save_note(paper_id, 1, "notes", "x")
    library.remove(paper_id)
    assert reading.states() == {}
    with pytest.raises(NotFound):
        reading.tick(paper_id, 1, "introduction")


def test_user_checklist_items_and_budgets_from_config(paper_id):
    paths.config_path().write_text('[checklists]\npass1 = ["Check the citations on Semantic Scholar"]\n'
                                   '[reading]\npass1_minutes = 15\n')
    plan = reading.plans()[1]
    assert plan.items[-1].text == "Check the citations on Semantic Scholar" and plan.items[-1].own
    assert plan.budget_seconds == 15 * 60
    reading.tick(paper_id, 1, plan.items[-1].id)
    assert reading.state(paper_id).progress() == (1, len(plan.items))
    paths.config_path().write_text("[reading]\npass2_minutes = -3\n")
    with pytest.raises(BadInput, match="pass2_minutes"):
        reading.plans()


def test_queue_a_reference_without_an_id_keeps_it_in_the_to_read_list(paper_id):
    detail = library.show(paper_id)
    position = next(i for i, r in enumerate(detail.references) if not r.arxiv_id)
    queued = reading.queue_reference(paper_id, position)
    assert queued.paper_id is None and "to-read list" in queued.message
    assert queued.raw == detail.references[position].raw
    with pytest.raises(NotFound):
        reading.queue_reference(paper_id, 10_000)

"""What notes share is made once per export: each note still carries its own paper's title, link and tag, and the
review log's ids and previous intervals come out of one ordered pass."""

from __future__ import annotations

from datetime import timedelta

from export.ankiview import visible
from export.kit import NOW, store_paper
from readroom.cards import service
from readroom.cards.scheduler import AGAIN, GOOD
from readroom.export import apkg
from readroom.export.selection import CardFilter
from readroom.storage.export import review_log


def test_notes_of_two_papers_in_turn_each_carry_their_own_papers_fields(tmp_path, anki, resnet):
    gan = store_paper("Generative Adversarial Networks", ["Ian J. Goodfellow"], 2014, doi="10.5555/gan")
    for i in range(3):
        service.add_note("qa", f"resnet {i}", "a", now=NOW, paper_id=resnet, section="3.1 Residual")
        service.add_note("qa", f"gan {i}", "a", now=NOW, paper_id=gan, section="3.1 Residual")
    service.add_note("qa", "no paper", "a", now=NOW, section="3.1 Residual")
    col = anki()
    col.import_apkg(apkg.export_apkg(CardFilter(), tmp_path / "out.apkg", NOW)[0])
    seen = {}
    for card in col.cards():
        front = visible(card.question, "front")
        paper_tags = [t for t in card.tags if t.startswith("paper::")]
        seen[front.split()[0]] = seen.get(front.split()[0], set()) | {
            (visible(card.answer, "paper"), card.fields["Link"], *paper_tags, card.fields["Section"])}
    assert seen == {
        "resnet": {("Deep Residual Learning for Image Recognition", "https://arxiv.org/abs/1512.03385",
                    "paper::resnet", "3.1 Residual")},
        "gan": {("Generative Adversarial Networks", "https://doi.org/10.5555/gan", "paper::generative-adversarial-networks",
                 "3.1 Residual")},
        "no": {("", "", "3.1 Residual")},
    }


def test_review_log_ids_are_unique_in_time_order_with_each_cards_previous_interval():
    first = service.add_note("qa", "first", "a", now=NOW - timedelta(days=40))[0]
    second = service.add_note("qa", "second", "a", now=NOW - timedelta(days=40))[0]
    moment = NOW - timedelta(days=30)
    service.answer(first.id, GOOD, moment)
    service.answer(second.id, GOOD, moment)  # the same millisecond: the second answer's id is one past the first's
    later = service.answer(first.id, GOOD, moment + timedelta(days=5))
    service.answer(first.id, AGAIN, later.due)
    rows = review_log({first.id: first.id, second.id: second.id})
    stamp = int(moment.timestamp() * 1000)
    assert [(r[0], r[1]) for r in rows[:2]] == [(stamp, first.id), (stamp + 1, second.id)]
    assert [r[1] for r in rows[2:]] == [first.id, first.id]
    ivls = [r[3] for r in rows if r[1] == first.id]
    assert [r[4] for r in rows if r[1] == first.id] == [0, *ivls[:-1]]  # lastIvl: the card's interval before
    assert [r[4] for r in rows if r[1] == second.id] == [0]
    assert [r[0] for r in rows] == sorted({r[0] for r in rows})

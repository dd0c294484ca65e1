"""Every .apkg we write is imported by the real Anki backend, and the cards are read back as Anki renders them."""

from __future__ import annotations

import itertools
import unicodedata
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export.ankiview import AnkiCollection, visible
from export.kit import NOW, store_paper
from readroom import cli, cloze
from readroom.cards import service
from readroom.errors import BadInput
from readroom.export import anki_text, apkg
from readroom.export.selection import CardFilter, ExportCard, ExportNote
from readroom.records.cards import CardState

HOSTILE_FRONT = "Why <script>alert('x')</script> & <b>bold</b>? {{Back}} {{c1::not a cloze}} [sound:evil.mp3]"
HOSTILE_BACK = "a < b && c > d; \"quoted\" {{ stray\nsecond line"


def export(tmp_path, selection=CardFilter(), name="out.apkg", now=NOW):
    path, notes, cards = apkg.export_apkg(selection, tmp_path / name, now)
    return path


def test_hostile_html_shows_literally_in_anki(tmp_path, anki, resnet):
    note = service.add_note("qa", HOSTILE_FRONT, HOSTILE_BACK, now=NOW, paper_id=resnet, section="3.1 <Residual>",
                            page=4)[0]
    col = anki()
    log = col.import_apkg(export(tmp_path))
    assert len(log.new) == 1 and not log.conflicting and not log.first_field_match
    [card] = col.cards()
    assert card.note_guid == note.note_uuid
    assert visible(card.question, "front") == HOSTILE_FRONT
    assert visible(card.answer, "back") == HOSTILE_BACK
    assert visible(card.answer, "section") == "3.1 <Residual>"
    assert visible(card.answer, "paper") == "Deep Residual Learning for Image Recognition"
    assert visible(card.answer, "page") == "4"
    assert "<script>" not in card.question and "[sound:" not in card.question  # nothing Anki would act on
    assert card.fields["Link"] == "https://arxiv.org/abs/1512.03385"
    assert card.notetype == "readroom Q&A"


def test_math_goes_to_mathjax_and_dollars_that_are_not_math_stay(tmp_path, anki):
    service.add_note("qa", "Residual: $F(x) + x$, display $$\\sum_i x_i$$", "costs $5 to $10", now=NOW)
    col = anki()
    col.import_apkg(export(tmp_path))
    [card] = col.cards()
    assert visible(card.question, "front") == "Residual: \\(F(x) + x\\), display \\[\\sum_i x_i\\]"
    assert visible(card.answer, "back") == "costs $5 to $10"


def test_decks_per_paper_fields_and_tags(tmp_path, anki, resnet):
    from readroom.storage import db
    from readroom.storage.models import Highlight

    hl = service.create_highlight(resnet, "We reformulate the layers as learning residual functions.", now=NOW,
                                  page=2, pass_no=2, section="3.1 Residual Learning")
    service.cards_from_highlight(hl.id, "qa", now=NOW, front="What do ResNet layers learn?", tags=["my tag"])
    service.add_note("qa", "A card of no paper", "answer", now=NOW)
    with db.session() as s:
        assert s.get(Highlight, hl.id).pass_no == 2
    col = anki()
    col.import_apkg(export(tmp_path))
    assert {"readroom", "readroom::Deep Residual Learning for Image Recognition"} <= col.deck_names()
    cards = {visible(c.question, "front"): c for c in col.cards()}
    paper_card = cards["What do ResNet layers learn?"]
    assert paper_card.deck == "readroom::Deep Residual Learning for Image Recognition"
    assert sorted(paper_card.tags) == ["my-tag", "paper::resnet", "pass::2", "readroom"]
    assert paper_card.fields["Section"] == "3.1 Residual Learning"
    assert paper_card.fields["Page"] == "2"
    assert cards["A card of no paper"].deck == "readroom"
    assert cards["A card of no paper"].fields["Source"] == ""


def test_note_tags_follow_the_tag_rule_and_old_ones_with_spaces_export_in_its_form(tmp_path, anki):
    from readroom.storage import cards as store
    from readroom.storage.fast import write_db

    new = service.add_note("qa", "new card", "a", now=NOW, tags=["Deep Learning", "topic::Sub Topic"])[0]
    assert new.tags == ["deep-learning", "topic::sub-topic"]
    old = service.add_note("qa", "old card", "a", now=NOW)[0]
    with write_db() as conn:  # as notes were stored before they followed the rule
        store.update_note(conn, old.note_id, tags=["deep learning"])
    assert {c.question for c in service.list_cards(tag="Deep Learning")} == {"new card", "old card"}
    col = anki()
    col.import_apkg(export(tmp_path, CardFilter(tag="deep learning")))
    tags = {visible(c.question, "front"): sorted(c.tags) for c in col.cards()}
    assert tags == {"new card": ["deep-learning", "readroom", "topic::sub-topic"],
                    "old card": ["deep-learning", "readroom"]}


def test_filters_pick_one_paper_or_one_tag(tmp_path, anki, resnet):
    gan = store_paper("Generative Adversarial Networks", ["Ian J. Goodfellow"], 2014, arxiv_id="1406.2661",
                      classic_key="gan", tags=("generative",))
    service.add_note("qa", "resnet card", "a", now=NOW, paper_id=resnet)
    service.add_note("qa", "gan card", "a", now=NOW, paper_id=gan)
    service.add_note("qa", "tagged card", "a", now=NOW, tags=["generative"])
    col = anki()
    col.import_apkg(export(tmp_path, CardFilter(paper="resnet"), "one.apkg"))
    assert [visible(c.question, "front") for c in col.cards()] == ["resnet card"]
    col2 = anki("second")
    col2.import_apkg(export(tmp_path, CardFilter(tag="generative"), "tag.apkg"))
    assert sorted(visible(c.question, "front") for c in col2.cards()) == ["gan card", "tagged card"]


def test_editing_in_readroom_and_exporting_again_updates_the_note_in_anki(tmp_path, anki):
    qa = service.add_note("qa", "Old question", "old answer", now=NOW)[0]
    cz = service.add_note("cloze", "{{c1::ResNet}} adds {{c2::identity}} shortcuts", "", now=NOW)[0]
    col = anki()
    col.import_apkg(export(tmp_path, name="first.apkg"))
    assert col.note_count() == 2
    later = NOW + timedelta(hours=1)
    service.edit_note(qa.note_id, now=later, front="New question", back="new answer")
    service.edit_note(cz.note_id, now=later, front="{{c1::ResNet}} adds {{c2::identity}} {{c3::shortcuts}}")
    log = col.import_apkg(export(tmp_path, name="second.apkg", now=later))  # Anki's default: update if newer
    assert len(log.updated) == 2 and not log.new
    assert col.note_count() == 2
    [shown] = col.by_guid(qa.note_uuid)
    assert visible(shown.question, "front") == "New question"
    assert visible(shown.answer, "back") == "new answer"
    assert [c.ord for c in col.by_guid(cz.note_uuid)] == [0, 1, 2]  # the new c3 arrives as a card of the same note


def test_cloze_numbering_survives(tmp_path, anki):
    text = "Faster R-CNN uses {{c3::9}} anchors: {{c1::3 scales::how many?}} times {{c1::3 ratios}}, $k = 9$"
    [card1, card3] = service.add_note("cloze", text, "extra & more", now=NOW)
    col = anki()
    col.import_apkg(export(tmp_path))
    shown = col.by_guid(card1.note_uuid)
    assert [c.ord for c in shown] == [0, 2]  # c1 and c3; no c2 invented
    assert shown[0].notetype == "readroom cloze"
    assert visible(shown[0].question, "text") == "Faster R-CNN uses 9 anchors: [how many?] times [...], \\(k = 9\\)"
    assert visible(shown[1].question, "text") == "Faster R-CNN uses [...] anchors: 3 scales times 3 ratios, \\(k = 9\\)"
    assert visible(shown[1].answer, "text") == "Faster R-CNN uses 9 anchors: 3 scales times 3 ratios, \\(k = 9\\)"
    assert visible(shown[1].answer, "extra") == "extra & more"


def test_hostile_text_inside_a_cloze(tmp_path, anki):
    text = "x {{c1::a}}b}} and {{c2::std::variant::hint: <b>}} stray {{ and }} [latex]y[/latex] $\\frac{a}{b}$"
    notes = service.add_note("cloze", text, "", now=NOW)
    col = anki()
    col.import_apkg(export(tmp_path))
    shown = col.by_guid(notes[0].note_uuid)
    assert [c.ord for c in shown] == [0, 1]
    assert visible(shown[0].question, "text") == ("x [...]b}} and std stray {{ and }} [latex]y[/latex] "
                                                   "\\(\\frac{a}{b}\\)")
    assert visible(shown[1].question, "text") == ("x ab}} and [variant::hint: <b>] stray {{ and }} [latex]y[/latex] "
                                                   "\\(\\frac{a}{b}\\)")
    assert cloze.render_front(text, 2).startswith("x ab}} and [variant::hint: <b>] stray")  # readroom agrees


def test_ids_are_constants_and_names_derived(tmp_path, anki, resnet):
    service.add_note("qa", "q", "a", now=NOW, paper_id=resnet)
    service.add_note("cloze", "{{c1::x}}", "", now=NOW)
    col = anki()
    col.import_apkg(export(tmp_path))
    ids = {m["name"]: m["id"] for m in col.col.models.all()}
    assert ids["readroom Q&A"] == apkg.QA_MODEL_ID and ids["readroom cloze"] == apkg.CLOZE_MODEL_ID
    assert apkg.deck_id("readroom") == apkg.deck_id("readroom")
    assert apkg.deck_id("readroom::A") != apkg.deck_id("readroom::B")
    assert 1 << 30 <= apkg.deck_id("readroom::A") < 1 << 31


def test_short_titles_and_colliding_deck_names():
    assert apkg.short_title("BERT: Pre-training of Deep Bidirectional Transformers") == "BERT"
    assert apkg.short_title("Fast R-CNN") == "Fast R-CNN"
    assert apkg.short_title("a::b") == "a:b"
    long = apkg.short_title("Rich feature hierarchies for accurate object detection and semantic segmentation")
    assert len(long) <= 61 and long.endswith("…")
    from readroom.export.selection import PaperInfo

    def paper(pid, year):
        return PaperInfo(pid, "Same Title", [], year, None, None, None, None, None, None)

    names = apkg.deck_names([paper("a" * 36, 2014), paper("b" * 36, 2015)])
    assert names == {"a" * 36: "readroom::Same Title (2014)", "b" * 36: "readroom::Same Title (2015)"}


def test_default_path_is_dated_in_the_exports_folder_and_writes_are_atomic(readroom_home):
    from readroom.export import service as export_service

    service.add_note("qa", "q", "a", now=NOW)
    written = export_service.export_cards(CardFilter(), None, NOW)
    path = written.path
    assert path == readroom_home / "exports" / f"readroom-all-{NOW.astimezone().date().isoformat()}.apkg"
    assert (written.notes, written.cards) == (1, 1)
    first = path.read_bytes()
    export_service.export_cards(CardFilter(), None, NOW)
    assert path.read_bytes()[:4] == first[:4] == b"PK\x03\x04"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_nothing_to_export_is_one_clear_error(tmp_path, capsys):
    with pytest.raises(BadInput, match="No cards to export"):
        apkg.export_apkg(CardFilter(), tmp_path / "x.apkg", NOW)
    assert cli.main(["export", "-o", str(tmp_path / "x.apkg")]) == 2
    assert "No cards to export" in capsys.readouterr().err
    assert not (tmp_path / "x.apkg").exists()


def test_cli_export_writes_an_apkg_anki_imports(tmp_path, anki, capsys):
    service.add_note("qa", "q", "a", now=NOW)
    out = tmp_path / "cards.apkg"
    assert cli.main(["export", "--all", "-o", str(out)]) == 0
    assert f"Wrote 1 card (1 note) to {out}" in capsys.readouterr().out
    col = anki()
    col.import_apkg(out)
    assert col.note_count() == 1


# --------------------------------------------------------------------------------------------- property tests


def _shown(text: str) -> str:
    """What a field should show: the text, cleaned and with math delimiters for MathJax, NFC as Anki stores it."""
    return unicodedata.normalize("NFC", anki_text.mathjax(anki_text.clean(text)))


_card_ids = itertools.count(1)


def _note(kind: str, front: str, back: str = "") -> ExportNote:
    numbers = cloze.card_numbers(front) if kind == "cloze" else [0]
    cards = [ExportCard(next(_card_ids), str(uuid.uuid4()), n, CardState(0, None, None, None, NOW, None), 0, 0,
                        False, None)
             for n in numbers]  # card ids unique, as the database's are
    return ExportNote(0, str(uuid.uuid4()), kind, front, back, None, None, [], None, NOW, None, cards)


_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(st.lists(st.text(min_size=1), min_size=1, max_size=6))
def test_any_text_survives_export_to_anki(tmp_path_factory, texts):
    texts = [t for t in texts if anki_text.clean(t).strip()]
    notes = [_note("qa", t, t[::-1]) for t in texts]
    folder = tmp_path_factory.mktemp("prop")
    apkg.write_apkg(notes, folder / "p.apkg", NOW)
    col = AnkiCollection(folder / "anki")
    try:
        col.import_apkg(folder / "p.apkg")
        shown = {c.note_guid: c for c in col.cards()}
        assert len(shown) == len(notes)
        for note in notes:
            card = shown[note.uuid]
            assert visible(card.question, "front") == _shown(note.front)
            assert visible(card.answer, "back") == _shown(note.back)
    finally:
        col.close()


_answers = st.text(min_size=1).filter(lambda t: anki_text.clean(t).strip())


@_settings
@given(st.text(), _answers, st.one_of(st.none(), st.text()), st.text(), _answers)
def test_any_text_survives_in_a_cloze(tmp_path_factory, before, answer, hint, between, answer2):
    text = before + cloze.Deletion(1, answer, hint).source() + between + cloze.Deletion(2, answer2).source()
    numbers = cloze.card_numbers(text)
    segments = cloze.parse(text)
    if any(isinstance(s, cloze.Deletion) and not anki_text.clean(s.answer).strip() for s in segments):
        return  # Anki makes no card for a blank deletion; readroom's parse decides what is one
    folder = tmp_path_factory.mktemp("prop")
    note = _note("cloze", text)
    apkg.write_apkg([note], folder / "p.apkg", NOW)
    col = AnkiCollection(folder / "anki")
    try:
        col.import_apkg(folder / "p.apkg")
        shown = col.by_guid(note.uuid)
        assert [c.ord + 1 for c in shown] == numbers
        for number, card in zip(numbers, shown, strict=False):
            front = "".join(
                _shown(s) if isinstance(s, str)
                else (f"[{_shown(s.hint)}]" if s.hint else "[...]") if s.number == number
                else _shown(s.answer) for s in segments)
            back = "".join(_shown(s) if isinstance(s, str) else _shown(s.answer) for s in segments)
            assert visible(card.question, "text") == front
            assert visible(card.answer, "text") == back
    finally:
        col.close()

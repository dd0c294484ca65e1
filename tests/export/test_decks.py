"""Starter decks: the shipped ml-classics deck is sound, loads once, links to library papers, and exports to Anki."""

from __future__ import annotations

from datetime import timedelta

import pytest

from export.ankiview import visible
from export.kit import NOW, store_paper
from readroom import cli, cloze, decks, paths
from readroom.cards import service
from readroom.errors import BadInput, NotFound
from readroom.export import apkg
from readroom.export.selection import CardFilter
from readroom.sources.classics import find_classic


def test_ml_classics_is_a_real_deck_of_cited_cards():
    deck = decks.find_deck("ml-classics")
    assert len(deck.cards) >= 60
    kinds = {c.kind for c in deck.cards}
    assert kinds == {"qa", "cloze"}
    for card in deck.cards:
        assert find_classic(card.paper) is not None, card.id
        assert card.section and card.section.strip(), card.id
    seeds = {c.paper for c in deck.cards if find_classic(c.paper).seed}
    assert len(seeds) == 12  # every paper of the seed list has cards
    assert (paths.shipped_decks_dir() / "README.md").read_text().strip()


def test_loading_twice_adds_nothing_the_second_time():
    first = decks.load("ml-classics", NOW)
    deck = decks.find_deck("ml-classics")
    assert first.added == len(deck.cards)
    assert first.cards_added == sum(len(c.numbers()) for c in deck.cards)
    second = decks.load("ml-classics", NOW + timedelta(days=1))
    assert (second.added, second.cards_added, second.already) == (0, 0, len(deck.cards))
    assert len(service.list_cards()) == first.cards_added
    [status] = [s for s in decks.list_decks() if s.name == "ml-classics"]
    assert (status.cards, status.loaded) == (len(deck.cards), len(deck.cards))


def test_uuids_are_deterministic_and_edits_are_kept(tmp_path):
    deck = decks.find_deck("ml-classics")
    card = deck.cards[0]
    decks.load(deck, NOW)
    [loaded] = [c for c in service.list_cards() if c.note_uuid == deck.note_uuid(card)]
    assert loaded.uuid == deck.card_uuid(card, loaded.ord)
    service.edit_note(loaded.note_id, now=NOW + timedelta(hours=1), back="my own words")
    decks.load(deck, NOW + timedelta(hours=2))
    assert service.get_card(loaded.id).back == "my own words"


def test_cards_link_to_a_classic_once_it_is_in_the_library(resnet):
    result = decks.load("ml-classics", NOW)
    assert result.linked == 0
    resnet_cards = [c for c in service.list_cards() if "resnet" in c.tags]
    assert resnet_cards and {c.paper_id for c in resnet_cards} == {resnet}
    assert all(c.paper_id is None for c in service.list_cards() if "gan" in c.tags)
    gan = store_paper("Generative Adversarial Networks", ["Ian J. Goodfellow"], 2014, arxiv_id="1406.2661")
    again = decks.load("ml-classics", NOW)
    assert again.added == 0 and again.linked == len([c for c in decks.find_deck("ml-classics").cards
                                                      if c.paper == "gan"])
    assert {c.paper_id for c in service.list_cards() if "gan" in c.tags} == {gan}


def test_the_loaded_deck_exports_to_anki(tmp_path, anki, resnet):
    decks.load("ml-classics", NOW)
    path, notes, cards = apkg.export_apkg(CardFilter(), tmp_path / "deck.apkg", NOW)
    col = anki()
    log = col.import_apkg(path)
    deck = decks.find_deck("ml-classics")
    assert col.note_count() == notes == len(deck.cards) and len(log.new) == notes
    assert len(col.col.find_cards("")) == cards
    assert "readroom::Deep Residual Learning for Image Recognition" in col.deck_names()
    shown = {c.note_guid: c for c in col.cards() if c.ord == 0}
    for card in deck.cards:
        anki_card = shown[deck.note_uuid(card)]
        if card.kind == "qa":
            assert visible(anki_card.question, "front") == apkg.anki_text.mathjax(card.front)
        else:
            expected = cloze.render_front(card.front, 1)
            assert visible(anki_card.question, "text").replace("\\(", "$").replace("\\)", "$") == expected


def test_bad_decks_fail_with_one_line(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[[card]]\nid = "x"\ntext = "no deletion here"\n')
    with pytest.raises(BadInput, match="needs a deletion"):
        decks.read_deck(broken)
    broken.write_text('[[card]]\nid = "x"\nfront = "q"\nback = "a"\n[[card]]\nid = "x"\nfront = "q"\nback = "a"\n')
    with pytest.raises(BadInput, match="used twice"):
        decks.read_deck(broken)
    with pytest.raises(NotFound, match="ml-classics"):
        decks.find_deck("no-such-deck")


def test_cli_lists_and_loads(capsys):
    assert cli.main(["decks"]) == 0
    out = capsys.readouterr().out
    assert "ml-classics" in out and "LOADED" in out
    assert cli.main(["decks", "load", "ml-classics"]) == 0
    assert "Loaded" in capsys.readouterr().out
    assert cli.main(["decks", "load", "ml-classics"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert cli.main(["decks", "load", "nope"]) == 3


def test_starter_cards_of_a_classic_not_held_name_it_in_anki(tmp_path, anki):
    """Without GAN in the library, its starter cards still show the paper in Anki, in its own deck, with the tag
    `paper::gan`; a card of no paper tagged like a classic stays a card of no paper."""
    decks.load("ml-classics", NOW)
    service.add_note("qa", "My own card on transformers", "answer", now=NOW, tags=["transformer"])
    other = store_paper("BERT: Pre-training of Deep Bidirectional Transformers", ["Jacob Devlin"], 2018,
                        arxiv_id="1810.04805")
    service.add_note("qa", "What does BERT mask?", "tokens", now=NOW, paper_id=other)
    path, _, _ = apkg.export_apkg(CardFilter(), tmp_path / "deck.apkg", NOW)
    col = anki()
    col.import_apkg(path)
    deck = decks.find_deck("ml-classics")
    gan = next(c for c in deck.cards if c.paper == "gan" and c.kind == "qa")
    [card] = col.by_guid(deck.note_uuid(gan))
    assert visible(card.answer, "paper") == "Generative Adversarial Networks"
    assert visible(card.answer, "source").startswith("Generative Adversarial Networks · ")
    assert card.fields["Link"] == "https://arxiv.org/abs/1406.2661"
    assert card.deck == "readroom::Generative Adversarial Networks"
    assert "paper::gan" in card.tags
    shown = {visible(c.question, "front"): c for c in col.cards()}
    mine = shown["My own card on transformers"]
    assert (mine.fields["Source"], mine.deck) == ("", "readroom")
    assert not any(t.startswith("paper::") for t in mine.tags)
    assert "paper::bert" in shown["What does BERT mask?"].tags

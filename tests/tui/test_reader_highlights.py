"""Highlights and cards from the reader, looking back at an earlier pass, and find painting every match.

Driven with Pilot on the bundled demo paper (a real PDF parsed by PyMuPDF), so these run without ../shared.
"""

from __future__ import annotations

from textual.widgets import OptionList, Static, TextArea
from textual.widgets.text_area import Selection as TextAreaSelection

from readroom import clock, library, reading
from readroom.cards import service
from readroom.tui.reader.dialogs import CardDialog, HighlightDialog
from readroom.tui.reader.find_bar import FindBar
from readroom.tui.reader.text import HIGHLIGHT, MATCH, ReaderText
from tui.test_reader import Host, Recorder, notifications, opened, settle


def demo_paper() -> str:
    outcome = library.ensure_demo()
    return outcome.paper.id


def abstract_phrase(text: str) -> str:
    """The first six words of the abstract (the line after the heading "Abstract")."""
    lines = text.split("\n")
    return " ".join(lines[lines.index("Abstract") + 1].split()[:6])


def select(screen, phrase: str) -> tuple[int, int]:
    view = screen.query_one("#reader-text", TextArea)
    start = view.text.index(phrase)
    doc = view.document
    view.selection = TextAreaSelection(doc.get_location_from_index(start),
                                       doc.get_location_from_index(start + len(phrase)))
    return start, start + len(phrase)


async def test_highlight_with_kind_and_note_is_stored_listed_and_painted():
    pid = demo_paper()
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        text = screen.query_one("#reader-text", TextArea).text
        phrase = abstract_phrase(text)
        start, end = select(screen, phrase)
        await pilot.press("h")
        assert isinstance(pilot.app.screen, HighlightDialog)
        await pilot.press("tab", "down", "down", "space")  # the kind list: plain -> definition -> claim
        await pilot.click("#highlight-note")
        await pilot.press(*"why it matters", "enter")
        await settle(pilot)
        assert pilot.app.screen is screen

        [stored] = service.list_highlights(pid)
        assert stored.text == phrase and stored.kind == "claim" and stored.note == "why it matters"
        assert stored.pass_no == 1 and stored.section == "Abstract" and stored.page == 1
        assert stored.before and text[start - len(stored.before): start] == stored.before
        # Listed in the side panel, and painted in the text where it stands.
        listed = screen.query_one("#reader-highlights", OptionList)
        assert listed.option_count == 1 and phrase in str(listed.get_option_at_index(0).prompt)
        row, col = screen.query_one("#reader-text", TextArea).document.get_location_from_index(start)
        assert (col, col + len(phrase)) in screen.query_one("#reader-text", ReaderText).spans(HIGHLIGHT)[row]
        assert any("Highlighted" in m for m, _ in notifications(pilot.app))

    # Reopening finds it again, at the same place.
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert len(screen.highlights) == 1
        assert screen.query_one("#reader-text", ReaderText).spans(HIGHLIGHT)


async def test_cloze_card_from_a_selection_and_qa_card_from_an_existing_highlight():
    pid = demo_paper()
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        text = screen.query_one("#reader-text", TextArea).text
        phrase = abstract_phrase(text)
        select(screen, phrase)
        await pilot.press("c")
        dialog = pilot.app.screen
        assert isinstance(dialog, CardDialog)
        # Without a deletion the card is refused, and the dialog stays.
        await pilot.press("ctrl+s")
        assert pilot.app.screen is dialog
        # Hide the second word, then the fourth: two cloze numbers, two cards.
        area = dialog.query_one("#card-cloze", TextArea)
        words = area.text.split(" ")
        for word in (words[1], words[3]):
            at = area.text.index(word, area.text.index(words[0]) + len(words[0]))
            area.selection = TextAreaSelection(area.document.get_location_from_index(at),
                                               area.document.get_location_from_index(at + len(word)))
            await pilot.press("ctrl+l")
        assert "{{c1::" + words[1] + "}}" in area.text and "{{c2::" + words[3] + "}}" in area.text
        await pilot.press("ctrl+s")
        await settle(pilot)

        made = service.list_cards(paper=pid)
        assert len(made) == 2 and {c.question.count("[...]") for c in made} == {1}
        [highlight] = service.list_highlights(pid)
        assert highlight.text == phrase

        # Cursor inside that highlight, nothing selected: c makes a Q&A card from it, answer prefilled.
        view = screen.query_one("#reader-text", TextArea)
        view.selection = TextAreaSelection.cursor(view.document.get_location_from_index(text.index(phrase) + 2))
        await pilot.press("c")
        dialog = pilot.app.screen
        assert isinstance(dialog, CardDialog)
        await pilot.click("#card-kind-qa")
        await pilot.pause()
        assert dialog.query_one("#card-back", TextArea).text == phrase
        dialog.query_one("#card-front").focus()
        await pilot.press(*"What is claimed?", "ctrl+s")
        await settle(pilot)
        cards = service.list_cards(paper=pid)
        qa = [c for c in cards if c.question == "What is claimed?"]
        assert len(cards) == 3 and qa and qa[0].answer == phrase
        assert len(service.list_highlights(pid)) == 1  # no second highlight for the same passage


async def test_nothing_selected_says_what_to_do():
    pid = demo_paper()
    async with Host(pid).run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("h", "c")
        assert pilot.app.screen is screen
        messages = [m for m, _ in notifications(pilot.app)]
        assert any("Select a passage" in m and "then press h" in m for m in messages)
        assert any("press c for a card" in m for m in messages)
        assert service.list_highlights(pid) == []


async def test_look_back_at_pass_one_and_return_without_changing_the_paper_pass():
    pid = demo_paper()
    reading.decide(pid, "next")
    reading.save_note(pid, 1, "cs:category", "a method paper")
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert screen.pass_no == 2
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.pass_no == 1 and screen.looking_back
        assert "looking back" in str(screen.query_one("#reader-pass", Static).render())
        assert screen.query_one("#note-cs-category").value == "a method paper"
        assert not screen.query("#decide-next")  # no decision while looking back
        await pilot.press("left_square_bracket")
        assert any("first pass" in m for m, _ in notifications(pilot.app))
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.pass_no == 2 and not screen.looking_back and screen.query("#decide-next")
    assert reading.state(pid).pass_no == 2


async def test_looking_back_at_pass_one_shows_what_pass_one_reads():
    pid = demo_paper()
    detail = library.show(pid)
    reading.decide(pid, "next")
    body = next(s for s in detail.sections if s.title.startswith("2.1")).text.strip()[:60]
    conclusion = next(s for s in detail.sections if "Conclusion" in s.title).text.strip()[:60]
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert body in screen.query_one("#reader-text", TextArea).text  # pass 2 reads every section
        await pilot.press("left_square_bracket")
        await settle(pilot)
        text = screen.query_one("#reader-text", TextArea).text
        assert "2.1 What to read" in text and body not in text  # the heading, not its body
        assert conclusion in text and "Keshav" in text  # the conclusion and references, as pass 1 shows them


async def test_find_paints_every_match():
    pid = demo_paper()
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        text = screen.query_one("#reader-text", TextArea).text
        word = "the"
        expected = text.lower().count(word)
        assert expected > 3
        await pilot.press("slash", *word)
        view = screen.query_one("#reader-text", ReaderText)
        painted = sum(len(spans) for spans in view.spans(MATCH).values())
        assert painted == expected == len(screen.query_one(FindBar).matches)
        # The painted style shows in the rendered line.
        row = next(iter(view.spans(MATCH)))
        line = view.get_line(row)
        assert any(span.style for span in line.spans)
        await pilot.press("ctrl+u")
        assert view.spans(MATCH) == {}


async def test_o_in_the_review_opens_the_reader_at_the_cards_highlight():
    from readroom.tui.app import ReadroomApp
    from readroom.tui.reader.screen import ReaderScreen

    pid = demo_paper()
    words = library.show(pid).abstract.split()
    phrase = " ".join(words[10:16])
    highlight = service.create_highlight(pid, phrase, now=clock.now_seconds(), page=1, section="Abstract")
    service.add_note("qa", "What does the abstract say?", phrase, now=clock.now_seconds(), paper_id=pid,
                     highlight_id=highlight.id, section="Abstract", page=1)
    async with ReadroomApp(start="review").run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        screen = await opened(pilot)
        assert isinstance(screen, ReaderScreen)
        await pilot.pause()
        selected = screen.query_one(ReaderText).selection_in_paper()
        assert selected is not None and selected.text == phrase


async def test_h_posts_highlight_made_and_c_on_it_posts_card_made_and_both_are_stored():
    pid = demo_paper()
    app = Recorder(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        phrase = abstract_phrase(screen.query_one("#reader-text", TextArea).text)
        start, _ = select(screen, phrase)
        await pilot.press("h")
        await pilot.click("#highlight-note")
        await pilot.press(*"key idea", "enter")
        await settle(pilot)
        [made] = [m for m in app.messages if isinstance(m, ReaderText.HighlightMade)]
        assert (made.selection.text, made.selection.section_title, made.answer.note) == (phrase, "Abstract", "key idea")
        assert made.card is None
        [stored] = service.list_highlights(pid)
        assert (stored.text, stored.note) == (phrase, "key idea")
        assert screen.highlights == [stored]

        view = screen.query_one(ReaderText)
        view.selection = TextAreaSelection.cursor(view.document.get_location_from_index(start + 1))
        await pilot.press("c")
        await pilot.click("#card-kind-qa")
        await pilot.pause()
        pilot.app.screen.query_one("#card-front").focus()
        await pilot.press(*"Which idea?", "ctrl+s")
        await settle(pilot)
        [card_made] = [m for m in app.messages if isinstance(m, ReaderText.CardMade)]
        assert card_made.highlight.id == stored.id and card_made.card.front == "Which idea?"
        [card] = service.list_cards(paper=pid)
        assert (card.question, card.answer) == ("Which idea?", phrase)
        assert any(m == "1 new card." for m, _ in notifications(pilot.app))


async def test_references_show_their_number_once_in_the_text_and_the_panel():
    pid = demo_paper()
    async with Host(pid).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        text = screen.query_one("#reader-text", TextArea).text
        assert "[2] A. Karpathy" in text and "[2] [2]" not in text
        references = screen.query_one("#reader-references", OptionList)
        assert str(references.get_option_at_index(1).prompt).startswith("· [2] A. Karpathy")

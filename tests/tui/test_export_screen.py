"""The export box driven with Pilot: E on the library, choose what and where, the file is written in a worker."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.widgets import Input, Select

from export.ankiview import AnkiCollection, visible
from readroom.cards import service
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.export import ExportScreen
from tui.test_library_screen import loaded, messages, wait_until

SIZE = (100, 30)


async def open_export(pilot) -> ExportScreen:
    await loaded(pilot)
    await pilot.press("E")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
    await pilot.pause()
    return pilot.app.screen


async def wait_for_notice(pilot, start: str) -> str:
    """The box closes before its result's notification arrives (a message to the app): wait for that, not the close."""
    said = lambda: [m for m in messages(pilot.app) if m.startswith(start)]
    await wait_until(pilot, said)
    assert not isinstance(pilot.app.screen, ExportScreen)
    return said()[-1]


async def test_e_opens_the_box_with_the_dated_default_path_and_exports_all_cards(readroom_home, tmp_path):
    service.add_note("qa", "What does <b> & {{ show?", "itself", now=datetime.now(timezone.utc))
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        path_input = screen.query_one("#export-path", Input)
        assert path_input.value.startswith(str(readroom_home / "exports" / "readroom-all-"))
        assert path_input.value.endswith(".apkg")
        out = tmp_path / "mine.apkg"
        path_input.value = str(out)
        await pilot.click("#export-go")
        assert (await wait_for_notice(pilot, "Wrote ")).startswith(f"Wrote 1 card (1 note) to {out}")
    col = AnkiCollection(tmp_path / "anki")
    try:
        col.import_apkg(out)
        [card] = col.cards()
        assert visible(card.question, "front") == "What does <b> & {{ show?"
    finally:
        col.close()


async def test_bibtex_choice_changes_the_default_path_and_writes_entries(readroom_home, tmp_path):
    from export.kit import store_paper

    store_paper("Deep Residual Learning for Image Recognition", ["Kaiming He"], 2015, arxiv_id="1512.03385",
                primary_category="cs.CV")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-what", Select).value = "bibtex"
        await pilot.pause()
        path = screen.query_one("#export-path", Input).value
        assert path.endswith(".bib")
        await pilot.click("#export-go")
        assert (await wait_for_notice(pilot, "Wrote ")).startswith(f"Wrote 1 BibTeX entry to {path}")
    text = open(path).read()
    assert "@misc{he2015deep," in text and "archivePrefix={arXiv}" in text


async def test_a_failed_export_is_notified_and_the_box_stays_open(tmp_path):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-what", Select).value = "tag"
        await pilot.pause()
        assert screen.query_one("#export-tag").display and not screen.query_one("#export-paper").display
        screen.query_one("#export-tag", Input).value = "nothing-has-this"
        await pilot.click("#export-go")
        await wait_until(pilot, lambda: messages(app, "error"))
        assert "No cards to export" in messages(app, "error")[-1]
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen))


async def export_paper_in_the_box(paper: str) -> tuple[str, str]:
    """The box's default path once the paper is chosen, and what the export then said."""
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-what", Select).value = "paper"
        await pilot.pause()
        await wait_until(pilot, lambda: len(screen.query_one("#export-paper", Select)._options) > 1)
        screen.query_one("#export-paper", Select).value = paper
        await pilot.pause()
        path = screen.query_one("#export-path", Input).value
        await pilot.click("#export-go")
        return path, await wait_for_notice(pilot, "Wrote ")


async def test_the_path_follows_the_paper_chosen_and_the_same_export_again_says_it_replaced(readroom_home):
    from export.kit import store_paper

    paper = store_paper("BERT: Pre-training of Deep Bidirectional Transformers", ["Jacob Devlin"], 2018,
                        arxiv_id="1810.04805")
    service.add_note("qa", "What does BERT mask?", "tokens", now=datetime.now(timezone.utc), paper_id=paper)
    name = f"readroom-paper-bert-1810.04805-{datetime.now(timezone.utc).astimezone().date().isoformat()}.apkg"
    path, said = await export_paper_in_the_box(paper)
    assert path == str(readroom_home / "exports" / name) and "replacing" not in said
    path, said = await export_paper_in_the_box(paper)
    assert "replacing today's earlier export of paper" in said
    assert [p.name for p in (readroom_home / "exports").iterdir()] == [name]

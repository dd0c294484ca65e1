"""The add box (`a`) given what issue 13's hostile user types: a pasted path with a NUL byte, thousands of
characters, a pipe, a year past SQLite's integers. Each is one short error notification; the app keeps running."""

from __future__ import annotations

import os

import pytest
from textual.widgets import Input

from readroom import library
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.add_dialog import AddDialog
from readroom.tui.screens.library import LibraryScreen
from tui.test_library_screen import SIZE, loaded, messages, wait_until

LONG = "a" * 5000


async def submit(pilot, text: str) -> None:
    app = pilot.app
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "add-input")
    app.focused.value = text
    await pilot.press("enter")


@pytest.fixture
def pipe(tmp_path):
    os.mkfifo(tmp_path / "paper.pdf")
    return tmp_path / "paper.pdf"


async def test_bad_inputs_in_the_add_box_are_one_short_error_each(real_papers, pipe):
    library.add([str(real_papers[0])])
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        cases = [
            ("/tmp/a\x00b.pdf", "/tmp/a␀b.pdf cannot be a file name: it holds a NUL character."),
            (LONG, "'" + "a" * 79 + "…"),
            (f"/tmp/{LONG}.pdf", "/tmp/"),
            (str(pipe), f"{pipe} is a named pipe, not a PDF file."),
            (f"{real_papers[1]} --year 99999999999999999999999", "A year is from 1000 to 9999, not 9999"),
        ]
        for typed, expected in cases:
            before = len(messages(pilot.app, "error"))
            await submit(pilot, typed)
            await wait_until(pilot, lambda before=before: len(messages(pilot.app, "error")) > before)
            error = messages(pilot.app, "error")[-1]
            assert error.startswith(expected) and "\n" not in error and len(error) < 300, (typed[:40], error[:300])
            if isinstance(pilot.app.screen, AddDialog):  # a typo keeps the box open; leave it
                await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, LibraryScreen) and not pilot.app.add_activity)
        assert pilot.app.is_running and len(library.list_papers()) == 1
        assert screen.loaded


async def test_bad_paths_in_the_export_box_are_one_short_error_each(tmp_path, pipe):
    from datetime import datetime, timezone

    from readroom.cards import service
    from readroom.tui.screens.export import ExportScreen

    service.add_note("qa", "q", "a", now=datetime.now(timezone.utc))
    app = ReadroomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        cases = [(str(tmp_path / "a\x00b.apkg"), "cannot be a file name: it holds a NUL character."),
                 (str(tmp_path / f"{LONG}.apkg"), "bytes)."),
                 (str(tmp_path), "is a folder; give a file name.")]
        for typed, expected in cases:
            before = len(messages(app, "error"))
            box = app.screen.query_one("#export-path", Input)
            box.value = typed
            box.focus()
            await pilot.press("enter")  # not a click: the error toasts of the cases before may cover the button
            await wait_until(pilot, lambda before=before: len(messages(app, "error")) > before)
            error = messages(app, "error")[-1]
            assert error.endswith(expected) and len(error) < 300, error[:300]
            assert isinstance(app.screen, ExportScreen)  # the box stays open for another try
        assert all(len(m) < 300 for m in messages(app))  # the "Exporting to …" notices too
        assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.pdf"]

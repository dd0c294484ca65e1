"""The app on a damaged database: each screen says so in a line that stays, and nothing spins for good."""

from __future__ import annotations

import os

import pytest
from textual.widgets import DataTable, Label, Static

from readroom import paths
from readroom.tui.app import ReadroomApp
from tui.test_library_screen import wait_until

DAMAGED = "is damaged (file is not a database); there is no backup in"


@pytest.fixture
def damaged_db():
    paths.database_path().write_bytes(os.urandom(64 * 1024))


async def test_the_library_shows_the_damage_and_stops_its_spinner(damaged_db):
    app = ReadroomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("#papers", DataTable)
        await wait_until(pilot, lambda: any(DAMAGED in n.message for n in app._notifications))
        await pilot.pause(0.6)  # past the moment a slow load would show the spinner
        assert not table.loading
        hint = str(app.screen.query_one("#hint", Label).render())
        assert DAMAGED in hint and "readroom doctor" in hint


@pytest.mark.parametrize(("start", "where"), [("cards", "#cards-hint"), ("stats", "#stats-report")])
async def test_a_screen_that_cannot_load_keeps_the_line_in_view(damaged_db, start, where):
    app = ReadroomApp(start)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: DAMAGED in str(app.screen.query_one(where, Static).render()))
        assert "readroom doctor" in str(app.screen.query_one(where, Static).render())

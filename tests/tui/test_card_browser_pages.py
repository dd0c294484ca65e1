"""The card browser at a size where reading every card would be felt: it shows one page at once, reads the next
when the cursor or the scroll nears the last row, and keeps the cursor on its card when an edit reloads."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from textual.widgets import DataTable

from readroom import paths
from readroom.cards import service
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.card_browser import PAGE, CardBrowserScreen

NOW = datetime.now(timezone.utc) - timedelta(hours=1)
CARDS = 2 * PAGE + 50


class Host(ReadroomApp):
    def get_default_screen(self):
        return CardBrowserScreen()


def seed() -> None:
    """CARDS cards: one made by the service, the rest copied from it in SQL (a service call each would take
    seconds)."""
    service.add_note("qa", "question 0", "answer", now=NOW)
    with sqlite3.connect(paths.database_path()) as conn:
        for i in range(1, CARDS):
            conn.execute("INSERT INTO note (uuid, kind, front, back, tags, created_at, updated_at, areas)"
                         " SELECT lower(hex(randomblob(16))), kind, ?, back, tags, created_at, updated_at, areas"
                         " FROM note WHERE id = 1", (f"question {i}",))
            conn.execute("INSERT INTO card (uuid, note_id, ord, state, due, reps, lapses, suspended, leech, created_at)"
                         " SELECT lower(hex(randomblob(16))), ?, 0, 0, due, 0, 0, 0, 0, created_at FROM card WHERE id = 1",
                         (conn.execute("SELECT max(id) FROM note").fetchone()[0],))


def questions(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def hint(screen) -> str:
    return str(screen.query_one("#cards-hint").render())


async def test_one_page_first_then_the_next_as_the_cursor_nears_the_end():
    seed()
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#cards-table", DataTable)
        assert questions(table) == [f"question {i}" for i in range(PAGE)]
        assert f"the first {PAGE} of {CARDS} cards: scroll for more" in hint(screen)
        await pilot.press("ctrl+end")  # the cursor to the last row read: the next page comes in
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert questions(table) == [f"question {i}" for i in range(CARDS)]  # each once, in order
        assert hint(screen).startswith(f"{CARDS} cards")
        # An edit far down reloads every row read, and the cursor stays on its card.
        table.move_cursor(row=CARDS - 10, animate=False)
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()  # the rows are read again in a thread
        await pilot.pause()
        assert table.row_count == CARDS
        assert str(table.get_row_at(table.cursor_row)[0]) == f"question {CARDS - 10}"
        assert str(table.get_row_at(table.cursor_row)[1]) == "suspended"


async def test_scrolling_to_the_bottom_reads_the_next_page():
    seed()
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#cards-table", DataTable)
        assert table.row_count == PAGE
        table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert table.row_count == 2 * PAGE and table.cursor_row == 0  # read without moving the cursor

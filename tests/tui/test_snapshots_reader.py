"""What the reader looks like in each pass, at the smallest supported terminal and a roomy one, both themes.

The timer's clock is frozen (it shows 0:00) and nothing else on screen depends on time or ids. Update with
`pytest tests/tui/test_snapshots_reader.py --snapshot-update`, then look at the SVGs before committing.
"""

from __future__ import annotations

import pytest
from textual.app import App

from readroom import cli, library, reading
from readroom.tui.keys import APP_BINDINGS
from readroom.tui.reader.screen import ReaderScreen


class Host(App):
    BINDINGS = APP_BINDINGS  # the footer as in the app: `? Help` must fit after the reader's keys at 80x24

    def __init__(self, paper_id: str) -> None:
        super().__init__()
        self.paper_id = paper_id

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.paper_id, clock=lambda: 0.0))


@pytest.fixture
def s2orc(real_papers) -> str:
    assert cli.main(["add", str(real_papers[0])]) == 0
    return library.list_papers()[0].id


def steady(theme: str = "textual-dark"):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        while not pilot.app.screen.populated:  # the panel's lower part is built after the first frame
            await pilot.pause(0.01)
        await pilot.app.workers.wait_for_complete()  # the highlighted figure's image, decoded on a thread
        await pilot.pause()
        pilot.app.screen.query_one("#reader-text").cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("pass_no", [1, 2, 3])
def test_reader_pass(snap_compare, s2orc, pass_no, size):
    if pass_no > 1:
        reading.save_note(s2orc, 1, "cs:category", "A dataset paper")
        reading.set_pass(s2orc, pass_no)
    assert snap_compare(Host(s2orc), terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_reader_light_theme(snap_compare, s2orc, size):
    reading.set_pass(s2orc, 2)
    assert snap_compare(Host(s2orc), terminal_size=size, run_before=steady("textual-light"))

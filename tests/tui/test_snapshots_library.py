"""What the library screen looks like, at the smallest supported terminal and a roomy one, in both themes.

The library is the two real PDFs; nothing time-dependent (dates added, ids) is on screen. Update with
`pytest tests/tui/test_snapshots_library.py --snapshot-update`, then look at the SVGs before committing.
"""

from __future__ import annotations

import time

import pytest

from readroom import cli, library
from readroom.tui.app import LIGHT, ReadroomApp


async def wait_until_loaded(pilot, screen: str = "LibraryScreen") -> None:
    """Until the screen's thread worker has filled its table, and the hint line has its final words."""
    deadline = time.monotonic() + 20
    while not (type(pilot.app.screen).__name__ == screen and _filled(pilot.app.screen)):
        assert time.monotonic() < deadline, f"{screen} never finished loading"
        await pilot.pause(0.02)
    await pilot.pause()


def _filled(screen) -> bool:
    if type(screen).__name__ == "ClassicsScreen":
        return bool(screen.statuses)
    return screen.loaded and "in your library" in str(screen.query_one("#hint").render())


@pytest.fixture
def library_of_two(real_papers) -> None:
    for path in real_papers[:2]:
        assert cli.main(["add", str(path), "--tag", "acl"]) == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_library_screen(snap_compare, library_of_two, size):
    assert snap_compare(ReadroomApp(), terminal_size=size, run_before=wait_until_loaded)


def test_library_screen_light(snap_compare, library_of_two):
    async def light(pilot) -> None:
        await wait_until_loaded(pilot)
        pilot.app.theme = LIGHT
        await pilot.pause()

    assert snap_compare(ReadroomApp(), terminal_size=(80, 24), run_before=light)


def test_classics_screen(snap_compare, library_of_two):
    async def classics(pilot) -> None:
        await wait_until_loaded(pilot)
        await pilot.press("c")
        await wait_until_loaded(pilot, screen="ClassicsScreen")

    assert snap_compare(ReadroomApp(), terminal_size=(80, 24), run_before=classics)


def test_empty_library(snap_compare, monkeypatch):
    monkeypatch.setattr(library, "DEMO_PDF", "no/such/demo.pdf")
    assert snap_compare(ReadroomApp(), terminal_size=(80, 24), run_before=wait_until_loaded)


@pytest.mark.parametrize("theme", ["textual-dark", LIGHT])
def test_first_start_welcome(snap_compare, theme):
    async def welcome(pilot) -> None:
        await wait_until_loaded(pilot)
        pilot.app.theme = theme
        await pilot.pause()

    library.ensure_demo()
    assert snap_compare(ReadroomApp(), terminal_size=(80, 24), run_before=welcome)

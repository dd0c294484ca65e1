"""The pass timer: over budget it changes colour and nudges once; time in the PDF viewer opened with `o` counts.

PassTimer is driven with a fake clock and a fake viewer process; the reader with Pilot on the bundled demo paper
and, for `o`, real viewer processes (small Python scripts).
"""

from __future__ import annotations

import json
import shlex
import sys
import time

import pytest
from textual.widgets import Static

from readroom import library, paths, reading
from readroom.tui.reader.timer import DETACH_SECONDS, IDLE_SECONDS, VIEWER_SECONDS, PassTimer
from tui.test_reader import FakeClock, Host, notifications, opened, settle

SIZE = (120, 40)
NUDGE = "Over the pass-1 budget: press d to decide."


class FakeViewer:
    def __init__(self, code: int | None = None) -> None:
        self.code = code

    def poll(self) -> int | None:
        return self.code


def test_a_running_viewer_keeps_the_timer_going_until_it_is_closed():
    clock, viewer = FakeClock(), FakeViewer()
    timer = PassTimer(clock, 0.0, 600.0)
    timer.start()
    timer.viewer_opened(viewer)
    clock.now += 1000  # reading in the viewer, no key in the reader
    assert not timer.idle() and timer.pending() == pytest.approx(1000)
    viewer.code = 0  # closed after use
    clock.now += 1
    assert not timer.held()
    clock.now += IDLE_SECONDS
    assert timer.idle() and timer.last_activity == pytest.approx(1000 + 1001)  # idle from when it closed


def test_a_detached_viewer_counts_until_the_user_is_back():
    clock = FakeClock()
    timer = PassTimer(clock, 0.0, 600.0)
    timer.start()
    timer.viewer_opened(FakeViewer(code=0))  # handed the file to a viewer already running, exited at once
    clock.now += 1
    assert timer.held()  # the clock's next tick sees it gone
    clock.now += DETACH_SECONDS + 600
    assert not timer.idle()
    timer.activity()  # back in the reader: from now on the usual idle rule
    clock.now += IDLE_SECONDS
    assert timer.idle()


def test_the_viewer_counts_at_most_an_hour_without_a_sign_of_the_user():
    clock = FakeClock()
    start = clock.now
    timer = PassTimer(clock, 0.0, 600.0)
    timer.start()
    timer.viewer_opened(FakeViewer())  # left open overnight
    clock.now += 8 * 3600
    assert timer.idle()
    timer.pause(at=timer.last_activity)
    assert timer.last_activity == pytest.approx(start + VIEWER_SECONDS)
    assert timer.pending() == pytest.approx(VIEWER_SECONDS)


def _contrast(one, two) -> float:
    """WCAG contrast ratio of two rich colours."""
    def luminance(colour) -> float:
        channels = [c / 255 for c in colour.get_truecolor()]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_over_budget_the_timer_changes_colour_and_nudges_once(theme):
    pid = library.ensure_demo().paper.id
    reading.add_time(pid, 1, 590)
    clock = FakeClock()
    async with Host(pid, clock=clock).run_test(size=SIZE) as pilot:
        pilot.app.theme = theme
        screen = await opened(pilot)
        timer = screen.query_one("#reader-timer", Static)
        within = timer.rich_style.color
        assert NUDGE not in [m for m, _ in notifications(pilot.app)]
        clock.now += 15
        screen.pass_clock.tick()
        await pilot.pause()
        assert timer.has_class("over-budget") and "10:05 / 10:00 over" in str(timer.render())
        style = timer.rich_style
        assert style.color != within and _contrast(style.color, style.bgcolor) >= 3
        clock.now += 15
        screen.pass_clock.tick()
        await pilot.pause()
        assert [m for m, _ in notifications(pilot.app)].count(NUDGE) == 1


async def test_a_paper_already_over_budget_shows_it_without_a_nudge():
    pid = library.ensure_demo().paper.id
    reading.add_time(pid, 1, 900)
    async with Host(pid, clock=FakeClock()).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        screen.pass_clock.tick()
        await pilot.pause()
        assert screen.query_one("#reader-timer").has_class("over-budget")
        assert NUDGE not in [m for m, _ in notifications(pilot.app)]


def _viewer_command(script: str, *args: str) -> None:
    argv = [sys.executable, "-c", script, *args]
    command = " ".join(shlex.quote(a) for a in argv) + " {path}"
    paths.config_path().write_text(f"[reader]\npdf_command = {json.dumps(command)}\n", encoding="utf-8")


async def test_time_in_the_viewer_counts_while_it_runs(tmp_path):
    pid = library.ensure_demo().paper.id
    flag = tmp_path / "close"
    # A viewer that stays open until the test closes it (or 20 s pass).
    _viewer_command("import pathlib, sys, time\nend = time.time() + 20\n"
                    "while not pathlib.Path(sys.argv[1]).exists() and time.time() < end: time.sleep(0.05)",
                    str(flag))
    clock = FakeClock()
    app = Host(pid, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("o")
        app.app_focus = False  # the viewer's window took the focus
        await pilot.pause()
        clock.now += 300  # five minutes in the viewer, no key in the reader
        screen.pass_clock.tick()
        assert screen.pass_clock.timer.running
        flag.write_text("")  # the user closes the viewer and stays away
        deadline = time.monotonic() + 10
        while screen.pass_clock.timer.held() and time.monotonic() < deadline:
            await pilot.pause(0.05)
        clock.now += 30
        screen.pass_clock.tick()
        assert not screen.pass_clock.timer.running  # the terminal has no focus: the time stops at the close
        app.app_focus = True
        await pilot.press("escape")
        await settle(pilot)
    assert reading.state(pid).seconds[1] == pytest.approx(300)


async def test_a_viewer_that_fails_says_so_and_names_the_setting():
    pid = library.ensure_demo().paper.id
    _viewer_command("import sys; sys.exit(3)")
    async with Host(pid).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("o")
        deadline = time.monotonic() + 10
        while not any(s == "error" for _, s in notifications(pilot.app)) and time.monotonic() < deadline:
            await pilot.pause(0.1)
        errors = [m for m, s in notifications(pilot.app) if s == "error"]
        assert len(errors) == 1 and "exited with code 3" in errors[0] and "[reader] pdf_command" in errors[0]
        assert "\n" not in errors[0]


async def test_no_viewer_says_which_setting_to_set():
    pid = library.ensure_demo().paper.id
    paths.config_path().write_text("[reader]\npdf_command = 'no-such-pdf-viewer-here {path}'\n", encoding="utf-8")
    async with Host(pid).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("o")
        await pilot.pause()
        errors = [m for m, s in notifications(pilot.app) if s == "error"]
        assert len(errors) == 1 and errors[0].startswith("No PDF viewer opened: 'no-such-pdf-viewer-here' not found")
        assert "[reader] pdf_command" in errors[0]


async def test_looking_back_at_a_pass_over_budget_does_not_nudge():
    pid = library.ensure_demo().paper.id
    reading.add_time(pid, 1, 590)
    reading.decide(pid, "next")
    clock = FakeClock()
    async with Host(pid, clock=clock).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.looking_back
        clock.now += 15
        screen.pass_clock.tick()
        await pilot.pause()
        assert screen.query_one("#reader-timer").has_class("over-budget")
        assert NUDGE not in [m for m, _ in notifications(pilot.app)]

"""The reader, driven with Pilot: whole reading flows on a real parsed paper, and what survives leaving it."""

from __future__ import annotations

import json
import shlex
import sys
import time

import pytest
from textual.app import App
from textual.widgets import Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.text_area import Selection as TextAreaSelection

from readroom import cli, library, paths, reading
from readroom.tui.reader.screen import ReaderScreen
from readroom.tui.reader.text import ReaderText


def add_paper(path) -> str:
    cli.main(["add", str(path)])
    return library.list_papers()[0].id


class Host(App):
    def __init__(self, paper_id: str, clock=None) -> None:
        super().__init__()
        self.paper_id, self.clock = paper_id, clock

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.paper_id, clock=self.clock))


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def opened(pilot) -> ReaderScreen:
    """Until the reader has built its whole side panel (the lower part comes after the first frame)."""
    deadline = time.monotonic() + 10
    while not (isinstance(pilot.app.screen, ReaderScreen) and pilot.app.screen.populated):
        assert time.monotonic() < deadline, "the reader never finished opening"
        await pilot.pause(0.01)
    return pilot.app.screen


async def settle(pilot) -> None:
    """Let queued writes land and the UI react to them (decisions recompose the screen)."""
    screen = pilot.app.screen
    for _ in range(3):
        if isinstance(screen, ReaderScreen):
            screen.writes.wait()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    if isinstance(pilot.app.screen, ReaderScreen):
        await opened(pilot)


def notifications(app) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications]


def section(detail, prefix: str):
    return next(s for s in detail.sections if s.title.startswith(prefix))


async def test_full_flow_pass1_to_pass2_survives_leaving(real_papers):
    pid = add_paper(real_papers[0])
    detail = library.show(pid)
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert isinstance(screen, ReaderScreen) and screen.pass_no == 1
        text = screen.query_one("#reader-text", TextArea).text
        assert detail.abstract.strip()[:60] in text
        assert section(detail, "1 Introduction").text.strip()[:60] in text
        assert "2.1 Processing PDFs" in text  # the heading ...
        assert section(detail, "2.1").text.strip()[:60] not in text  # ... but not its body
        assert section(detail, "8 Conclusion").text.strip()[:60] in text
        assert "Ahmad and Muhammad Tanvir Afzal" in text  # references

        # Tick the first two pass-1 items with the keyboard.
        await pilot.press("k", "space", "down", "space")
        assert screen.state.ticks[1] == {"title-abstract", "introduction"}

        # The five Cs.
        for slot, words in [("category", "dataset paper"), ("context", "S2 corpus"), ("correctness", "sound"),
                            ("contributions", "81M papers"), ("clarity", "clear")]:
            screen.query_one(f"#note-cs-{slot}", Input).focus()
            await pilot.press(*words)
        # Leave the box (first escape), then decide with the keyboard: go on to pass 2.
        await pilot.press("escape", "d", "enter")
        await settle(pilot)
        assert screen.pass_no == 2
        figures = screen.query_one("#reader-figures", OptionList)
        prompts = [str(figures.get_option_at_index(i).prompt) for i in range(figures.option_count)]
        assert any(p.startswith("Figure 1") for p in prompts)
        assert section(detail, "2.1").text.strip()[:60] in screen.query_one("#reader-text", TextArea).text
        assert "https://github.com/allenai/s2orc/" in str(screen.query_one("#reader-links", OptionList)
                                                          .get_option_at_index(0).prompt)

        # A pass-2 tick and a note, autosaved after a pause in typing.
        await pilot.press("k", "space")
        await pilot.press("w", *"main thrust: a corpus")
        await pilot.pause(0.8)
        screen.writes.wait()
        assert reading.state(pid).note(2, "notes") == "main thrust: a corpus"
        await pilot.press(*" with links")  # typed just before leaving: saved on the way out
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReaderScreen)

    state = reading.state(pid)
    assert state.pass_no == 2 and state.decision == "reading"
    assert state.ticks[1] == {"title-abstract", "introduction"} and state.ticks[2] == {"figures"}
    assert state.note(1, "cs:category") == "dataset paper" and state.note(1, "cs:clarity") == "clear"
    assert state.note(2, "notes") == "main thrust: a corpus with links"

    # A new app and a new screen show it all as left.
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert screen.pass_no == 2
        assert screen.query_one("#reader-checklist", SelectionList).selected == ["figures"]
        assert screen.query_one("#reader-notes", TextArea).text == "main thrust: a corpus with links"
        earlier = str(screen.query_one("#reader-earlier", Static).render())
        assert "Category: dataset paper" in earlier and "Contributions: 81M papers" in earlier
        assert "Pass 2/3" in str(screen.query_one("#reader-pass", Static).render())


@pytest.mark.parametrize("button, decision", [("park", "parked"), ("drop", "dropped")])
async def test_park_or_drop_with_a_reason(real_papers, button, decision):
    pid = add_paper(real_papers[0])
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        screen.query_one("#reader-reason", Input).focus()
        await pilot.press(*"not my field")
        screen.query_one(f"#decide-{button}").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert decision.capitalize() + ": not my field" in str(screen.query_one("#decision-status", Static).render())
    state = reading.state(pid)
    assert (state.decision, state.reason, state.pass_no) == (decision, "not my field", 1)


async def test_find_moves_to_matches(real_papers):
    pid = add_paper(real_papers[0])
    app = Host(pid)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.query_one("#reader-text", TextArea)
        await pilot.press("slash", *"citation", "enter")
        assert view.selected_text.lower() == "citation"
        assert screen.focused is view
        first = view.selection.start
        await pilot.press("n")
        assert view.selected_text.lower() == "citation" and view.selection.start > first
        await pilot.press("N")
        assert view.selection.start == first
        assert str(screen.query_one("#reader-find-count").render()).startswith("1/")


async def test_a_thin_parse_says_so_once_at_the_top_of_pass_1(tmp_path):
    from pdf.paper_factory import Style, build_pdf, demo_spec

    thin = build_pdf(demo_spec(), Style(heading_sizes=(10, 10, 10), heading_bold=False), tmp_path / "thin.pdf")
    pid = add_paper(thin)
    warning = library.structure_warning(library.show(pid))
    assert warning and warning.startswith("Few sections")
    async with Host(pid).run_test(size=(200, 30)) as pilot:
        screen = await opened(pilot)
        assert str(screen.query_one("#reader-warning", Static).render()) == warning


async def test_a_well_parsed_paper_has_no_warning(tmp_path):
    from pdf.paper_factory import DEMO_STYLE, build_pdf, demo_spec

    pid = add_paper(build_pdf(demo_spec(), DEMO_STYLE, tmp_path / "demo.pdf"))
    assert library.structure_warning(library.show(pid)) is None
    async with Host(pid).run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert not screen.query("#reader-warning")


async def test_o_runs_the_configured_viewer_at_the_page_in_view(real_papers, tmp_path):
    pid = add_paper(real_papers[0])
    out = tmp_path / "argv.txt"
    script = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(' '.join(sys.argv[2:]))"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {shlex.quote(str(out))} {{path}} {{page}}"
    paths.config_path().write_text(f"[reader]\npdf_command = {json.dumps(command)}\n", encoding="utf-8")
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        evaluation = next(a for a in screen.document.anchors if a.title == "4 Evaluation")
        screen.query_one(ReaderText).jump_to(evaluation)
        await pilot.pause()
        assert screen.query_one(ReaderText).current_page() == evaluation.page == 5
        await pilot.press("o")
        deadline = time.monotonic() + 10
        while not out.exists() and time.monotonic() < deadline:
            await pilot.pause(0.05)
    assert out.read_text() == f"{library.show(pid).pdf_path} 5"


async def test_missing_viewer_is_a_notification(real_papers):
    pid = add_paper(real_papers[0])
    paths.config_path().write_text("[reader]\npdf_command = 'no-such-pdf-viewer-here --page={page} {path}'\n")
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any("no-such-pdf-viewer-here" in m and s == "error" for m, s in notifications(app))


async def test_timer_stores_time_pauses_on_idle_and_blur(real_papers):
    pid = add_paper(real_papers[0])
    clock = FakeClock()
    app = Host(pid, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        clock.now += 45
        screen.pass_clock.tick()  # more than 30 s unsaved: stored now, not only on leaving
        await pilot.pause()  # the clock posts the seconds; the screen stores them
        screen.writes.wait()
        assert reading.state(pid).seconds[1] == pytest.approx(45)
        assert "0:45 / 10:00" in str(screen.query_one("#reader-timer", Static).render())

        clock.now += 300  # away for five minutes: only up to the last activity counts
        screen.pass_clock.tick()
        assert not screen.pass_clock.timer.running
        await pilot.press("down")  # back
        assert screen.pass_clock.timer.running
        clock.now += 10
        app.app_focus = False  # the terminal lost focus
        await pilot.pause()
        assert not screen.pass_clock.timer.running
        clock.now += 100
        app.app_focus = True
        await pilot.pause()
        clock.now += 5
        await pilot.press("escape")
        await settle(pilot)
    assert reading.state(pid).seconds[1] == pytest.approx(45 + 10 + 5)


async def test_selection_reports_section_page_and_offsets(real_papers):
    pid = add_paper(real_papers[0])
    intro = section(library.show(pid), "1 Introduction")
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert screen.query_one(ReaderText).selection_in_paper() is None
        anchor = next(a for a in screen.document.anchors if a.title == "1 Introduction")
        view = screen.query_one("#reader-text", TextArea)
        row = anchor.line + 1  # the first line of the introduction's text
        view.selection = TextAreaSelection((row, 9), (row, 20))
        picked = screen.query_one(ReaderText).selection_in_paper()
        assert picked is not None
        assert (picked.paper_id, picked.pass_no, picked.section_title, picked.page) == (pid, 1, "1 Introduction", 1)
        assert picked.text == view.selected_text
        assert intro.text[picked.start:picked.end] == picked.text


async def test_pass3_section_notes_follow_the_outline(real_papers):
    pid = add_paper(real_papers[0])
    reading.set_pass(pid, 3)
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        assert screen.pass_no == 3
        anchor = next(a for a in screen.document.anchors if a.title == "2.1 Processing PDFs")
        screen.query_one(ReaderText).jump_to(anchor)
        await pilot.pause()
        screen.query_one("#reader-section-note", TextArea).focus()
        await pilot.press(*"eq 1 checks out")
        screen.query_one("#note-assumptions", TextArea).focus()  # blur saves
        await pilot.press(*"iid")
        await pilot.press("escape", "escape")
        await settle(pilot)
    state = reading.state(pid)
    assert state.note(3, "section:2.1 Processing PDFs") == "eq 1 checks out"
    assert state.note(3, "assumptions") == "iid"


async def test_queue_reference_notifies(real_papers):
    pid = add_paper(real_papers[0])
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "enter")
        await settle(pilot)
        assert any("to-read" in m for m, _ in notifications(app))


async def test_unknown_paper_is_a_notification_not_a_crash():
    app = Host("nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any(s == "error" for _, s in notifications(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReaderScreen)


async def test_a_failed_write_is_a_notification(real_papers, monkeypatch):
    pid = add_paper(real_papers[0])

    def refuse(*args):
        from readroom.errors import StorageError
        raise StorageError("The database is locked; close other readroom windows and try again.")

    monkeypatch.setattr(reading, "tick", refuse)
    app = Host(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await pilot.press("k", "space")
        screen.writes.wait()
        await pilot.pause()
        await pilot.pause()
        assert ("The database is locked; close other readroom windows and try again.", "error") in notifications(app)


class Recorder(Host):
    """The reader's widgets' messages, as the screen received them (recorded at the app: they bubble up)."""

    def __init__(self, paper_id: str, clock=None) -> None:
        super().__init__(paper_id, clock)
        self.messages = []

    def on_checklist_ticked(self, message) -> None:
        self.messages.append(message)

    def on_note_box_edited(self, message) -> None:
        self.messages.append(message)

    def on_decision_decided(self, message) -> None:
        self.messages.append(message)

    def on_pass_clock_elapsed(self, message) -> None:
        self.messages.append(message)

    def on_reader_text_highlight_made(self, message) -> None:
        self.messages.append(message)

    def on_reader_text_card_made(self, message) -> None:
        self.messages.append(message)


async def test_ticking_posts_ticked_and_the_tick_is_stored(real_papers):
    from readroom.tui.reader.checklist import Checklist

    pid = add_paper(real_papers[0])
    app = Recorder(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await pilot.press("k", "space", "space")
        screen.writes.wait()
        ticked = [(m.pass_no, m.item_id, m.checked) for m in app.messages if isinstance(m, Checklist.Ticked)]
        assert ticked == [(1, "title-abstract", True), (1, "title-abstract", False)]
        await pilot.press("down", "space")
        screen.writes.wait()
    assert reading.state(pid).ticks[1] == {"introduction"}


async def test_typing_a_note_posts_note_edited_and_it_is_saved(real_papers):
    from readroom.tui.reader.notes import NoteBox

    pid = add_paper(real_papers[0])
    app = Recorder(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        screen.query_one("#note-cs-category", Input).focus()
        await pilot.press(*"survey")
        edits = [(m.pass_no, m.slot, m.text) for m in app.messages if isinstance(m, NoteBox.Edited)]
        assert edits[-1] == (1, "cs:category", "survey")
        await pilot.press("escape", "escape")
        await settle(pilot)
    assert reading.state(pid).note(1, "cs:category") == "survey"


async def test_a_decision_posts_decided_and_moves_the_paper_on(real_papers):
    from readroom.tui.reader.decision import Decision

    pid = add_paper(real_papers[0])
    app = Recorder(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        screen.query_one("#reader-reason", Input).focus()
        await pilot.press(*"later", "escape", "d", "enter")  # the first escape leaves the box
        await pilot.pause()
        await pilot.press("y")  # nothing ticked: go on anyway
        await settle(pilot)
        decided = [(m.decision, m.reason) for m in app.messages if isinstance(m, Decision.Decided)]
        assert decided == [("next", "later")]
        assert screen.pass_no == 2
    assert reading.state(pid).pass_no == 2


async def test_the_clock_posts_elapsed_time_and_it_is_stored(real_papers):
    from readroom.tui.reader.timer import PassClock

    pid = add_paper(real_papers[0])
    clock = FakeClock()
    app = Recorder(pid, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        clock.now += 40
        screen.pass_clock.tick()  # past FLUSH_SECONDS: the clock hands the seconds over
        await pilot.pause()
        screen.writes.wait()
        elapsed = [(m.pass_no, m.seconds) for m in app.messages if isinstance(m, PassClock.Elapsed)]
        assert elapsed == [(1, pytest.approx(40))]
        assert reading.state(pid).seconds[1] == pytest.approx(40)
        clock.now += 7
        await pilot.press("escape")  # leaving stores the rest directly, with no message
        await settle(pilot)
    assert len([m for m in app.messages if isinstance(m, PassClock.Elapsed)]) == 1
    assert reading.state(pid).seconds[1] == pytest.approx(47)

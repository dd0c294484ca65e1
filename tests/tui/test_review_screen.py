"""The review session driven with Pilot, from the first card to "done for today", on a real database."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import Button, Static, TextArea

from readroom import cli, library, paths
from readroom.cards import service
from readroom.tui.app import LIGHT, ReadroomApp
from readroom.tui.screens.review import LeechDialog, ReviewScreen
from readroom.tui.widgets.card_editor import CardEditor, ConfirmDialog

SIZE = (80, 24)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
CONFIG = '[review]\nfuzz = false\ntimezone = "UTC"\n'


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Host(ReadroomApp):
    """The real app, starting on a review screen with a clock the test moves."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        super().__init__(start="review")

    def get_default_screen(self):
        return ReviewScreen(clock=self.clock)


@pytest.fixture(autouse=True)
def no_fuzz() -> None:
    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text(CONFIG, encoding="utf-8")


@pytest.fixture
def paper_id(real_papers) -> str:
    assert cli.main(["add", str(real_papers[0])]) == 0
    return library.list_papers()[0].id


def make_cards(paper_id: str | None = None) -> list[int]:
    made = [service.add_note("qa", "What does S2ORC stand for?", "Semantic Scholar Open Research Corpus",
                             now=NOW - timedelta(minutes=3), paper_id=paper_id, section="1 Introduction", page=1,
                             tags=["datasets"])[0],
            *service.add_note("cloze", "Gradient descent steps along $-\\nabla f(x)$ with {{c1::a learning rate}} "
                              "{{c2::$\\eta$}}.", now=NOW - timedelta(minutes=2)),
            service.add_note("qa", "Who proposed dropout?", "Srivastava et al., 2014", now=NOW - timedelta(minutes=1))[0]]
    return [c.id for c in made]


def shown(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-question", Static).render())


def answer_text(screen: ReviewScreen) -> str:
    widget = screen.query_one("#review-answer", Static)
    return str(widget.render()) if widget.display else ""


def buttons(screen: ReviewScreen) -> list[str]:
    return [str(b.label) for b in screen.query("#review-buttons Button") if b.display]


def counts(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-counts", Static).render())


def summary(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-summary", Static).render())


def log_rows() -> list[tuple]:
    conn = sqlite3.connect(paths.database_path())
    try:
        return conn.execute("SELECT card_id, rating, elapsed_ms FROM review_log ORDER BY id").fetchall()
    finally:
        conn.close()


async def test_a_whole_session_with_undo_bury_suspend_and_edit(paper_id):
    qa, cloze1, cloze2, dropout = make_cards(paper_id)
    clock = Clock()
    app = Host(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # The first card, question side: counts, source, one button; the timer runs and is capped at 60 s.
        assert shown(screen) == "What does S2ORC stand for?" and answer_text(screen) == ""
        assert counts(screen).split() == ["Review", "new", "3", "learning", "0", "review", "0"]  # 1 card per note
        source = str(screen.query_one("#review-source", Static).render())
        assert "S2ORC" in source and "§ 1 Introduction" in source and "p. 1" in source and "#datasets" in source
        assert buttons(screen) == ["Show answer  (space)"]
        await pilot.press("1")  # grading before the answer is shown does nothing
        assert log_rows() == []
        clock.now += timedelta(seconds=95)
        await pilot.press("space")
        assert answer_text(screen) == "Semantic Scholar Open Research Corpus"
        assert buttons(screen) == ["1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy · 8d"]
        await pilot.press("3")
        assert log_rows() == [(qa, 3, 60_000)]  # 95 s counted as the 60 s cap

        # The cloze: the deletion as [...], math as written; then revealed.
        assert shown(screen) == "Gradient descent steps along $-\\nabla f(x)$ with [...] $\\eta$."
        await pilot.press("enter")
        assert shown(screen) == "Gradient descent steps along $-\\nabla f(x)$ with a learning rate $\\eta$."
        await pilot.press("1")

        # Undo twice: the cloze comes back (question side), then the first card; the database follows.
        await pilot.press("u")
        assert shown(screen).endswith("with [...] $\\eta$.") and service.get_card(cloze1).reps == 0
        await pilot.press("u")
        assert shown(screen) == "What does S2ORC stand for?" and log_rows() == []
        assert service.get_card(qa).state == 0
        await pilot.press("u")  # nothing more in this session
        assert shown(screen) == "What does S2ORC stand for?"

        # Bury it, then undo the bury; suspend the cloze.
        await pilot.press("minus")
        assert service.get_card(qa).buried_until is not None and "S2ORC" not in shown(screen)
        await pilot.press("u")
        assert shown(screen) == "What does S2ORC stand for?" and service.get_card(qa).buried_until is None
        await pilot.press("space", "4")
        assert shown(screen).startswith("Gradient descent")
        await pilot.press("at")
        assert service.get_card(cloze1).suspended  # its sibling may now come today
        assert shown(screen) == "Gradient descent steps along $-\\nabla f(x)$ with a learning rate [...]."
        await pilot.press("minus")
        assert service.get_card(cloze2).buried_until is not None and shown(screen) == "Who proposed dropout?"

        # Edit the card on screen: the new text is saved and shown at once.
        await pilot.press("e")
        assert isinstance(app.screen, CardEditor)
        front = app.screen.query_one("#editor-front", TextArea)
        front.text = "Who proposed dropout, and when?"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and shown(screen) == "Who proposed dropout, and when?"
        assert service.get_card(dropout).front == "Who proposed dropout, and when?"

        # Good on a new card is a 10-minute step: with nothing else due it comes back (learn-ahead) until it
        # graduates, then the day is done.
        await pilot.press("space", "3")
        assert shown(screen) == "Who proposed dropout, and when?"
        assert counts(screen).split()[2:5] == ["0", "learning", "1"]
        await pilot.press("space", "3")
        assert not screen.query_one("#review-card").display
        text = summary(screen)
        assert "Done for today." in text and "3 cards studied" in text and "Again 0" in text
        assert "The next card is due tomorrow at 04:00" in text  # the buried sibling comes back then
        assert [r[1] for r in log_rows()] == [4, 3, 3]

        # Undo from the summary brings the last card back.
        await pilot.press("u")
        assert shown(screen) == "Who proposed dropout, and when?" and screen.query_one("#review-card").display
        await pilot.press("escape")
    assert app.return_code == 0


async def test_nothing_due_says_when_the_next_card_is():
    card = service.add_note("qa", "q", "a", now=NOW - timedelta(days=3))[0]
    service.answer(card.id, 4, NOW - timedelta(days=3))  # easy: due in 8 days
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = summary(app.screen)
        assert "nothing is due now" in text and "The next card is due on Sat 07 Mar at 09:00." in text
        assert "takes back" not in text  # nothing to take back in this session
        await pilot.press("space", "3", "minus")  # card keys do nothing here
        assert log_rows() == [(card.id, 4, 0)]


async def test_no_cards_at_all_says_how_to_make_one():
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "You have no cards yet" in summary(app.screen)


async def test_a_card_turning_leech_is_suspended_and_offered_for_editing():
    paths.config_path().write_text(CONFIG + "leech_threshold = 1\n", encoding="utf-8")
    card = service.add_note("qa", "A vague question", "a long answer", now=NOW - timedelta(days=20))[0]
    service.answer(card.id, 4, NOW - timedelta(days=20))  # review, due long before NOW
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space", "1")  # a lapse: with a threshold of 1, a leech
        await pilot.pause()
        assert isinstance(app.screen, LeechDialog)
        assert service.get_card(card.id).suspended and "leech" in service.get_card(card.id).tags
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        assert "tagged leech and suspended" in str(app.screen.query_one("#editor-reason").render())
        app.screen.query_one("#editor-front", TextArea).text = "A precise question"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and service.get_card(card.id).front == "A precise question"
        await pilot.press("u")  # undo takes back the leech too
        assert not service.get_card(card.id).suspended and service.get_card(card.id).tags == []


async def test_a_broken_edit_is_refused_in_the_editor():
    service.add_note("cloze", "The {{c1::answer}} here", now=NOW - timedelta(minutes=1))
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#editor-front", TextArea).text = "no deletion left"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        assert "deletion" in str(app.screen.query_one("#editor-error").render())
        await pilot.press("escape")  # the edit is typed text: Escape asks before dropping it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert shown(app.screen) == "The [...] here"


async def test_o_opens_the_source_paper_and_escape_comes_back(paper_id):
    make_cards(paper_id)
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        review = app.screen
        await pilot.press("o")
        deadline = time.monotonic() + 10
        while type(app.screen).__name__ != "ReaderScreen":
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        assert app.screen.paper_id == paper_id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review and shown(review) == "What does S2ORC stand for?"


async def test_the_app_opens_review_by_name_and_from_the_library():
    service.add_note("qa", "Front", "Back", now=datetime.now(timezone.utc) - timedelta(minutes=1))
    app = ReadroomApp(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and shown(app.screen) == "Front"
        app.theme = LIGHT
        await pilot.press("space", "3")
        assert service.get_card(service.list_cards()[0].id).reps == 1
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        app.show_screen("review")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_grade_buttons_work_with_the_mouse():
    service.add_note("qa", "Front", "Back", now=NOW - timedelta(minutes=1))
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#review-show")
        await pilot.pause()
        assert isinstance(app.screen.query_one("#review-grade-4", Button), Button)
        await pilot.click("#review-grade-4")
        await pilot.pause()
        assert log_rows()[0][1] == 4


# --------------------------------------------------------------------------------------------- snapshots
# The clock is fixed (the timer shows 0:00) and fuzz is off, so the intervals on the buttons are stable.
# Update with `pytest tests/tui/test_review_screen.py --snapshot-update`, then look at the SVGs.


def _side(theme: str, reveal: bool):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        await pilot.pause()
        if reveal:
            await pilot.press("space")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("theme", ["textual-dark", LIGHT])
@pytest.mark.parametrize("reveal", [False, True], ids=["question", "answer"])
def test_review_screen_snapshot(snap_compare, paper_id, theme, reveal):
    make_cards(paper_id)
    assert snap_compare(Host(Clock()), terminal_size=SIZE, run_before=_side(theme, reveal))


@pytest.mark.parametrize("reveal", [False, True], ids=["question", "answer"])
def test_review_screen_cloze_snapshot(snap_compare, reveal):
    service.add_note("cloze", "Gradient descent steps along $-\\nabla f(x)$ with {{c1::a learning rate}} "
                     "{{c2::$\\eta$}}.", "Too large an $\\eta$ diverges.", now=NOW - timedelta(minutes=1))
    assert snap_compare(Host(Clock()), terminal_size=SIZE, run_before=_side("textual-dark", reveal))


async def test_the_timer_cap_comes_from_the_review_settings():
    # A card with no paper, so this runs without ../shared; [review] timer_cap_seconds = 20 caps what is counted.
    paths.config_path().write_text(CONFIG + "timer_cap_seconds = 20\n", encoding="utf-8")
    card = service.add_note("qa", "Who proposed dropout?", "Srivastava et al., 2014", now=NOW - timedelta(minutes=1))[0]
    clock = Clock()
    app = Host(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.now += timedelta(seconds=95)
        await pilot.press("space")
        await pilot.press("3")
    assert log_rows() == [(card.id, 3, 20_000)]

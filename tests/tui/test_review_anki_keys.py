"""The review screen's other Anki keys, with Pilot on a real database: ctrl+z, = and ! for the whole note, *
mark, f or ctrl+1..4 flags, i card info, and "study more" at Done."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from rich.console import Console
from textual.widgets import Static

from readroom import paths
from readroom.cards import service
from readroom.cards.scheduler import EASY
from readroom.tui.screens.card_info import CardInfoScreen
from readroom.tui.screens.review import ReviewScreen

from .test_review_screen import CONFIG, NOW, SIZE, Clock, Host, no_fuzz, shown, summary  # noqa: F401 (autouse fixture)

S2ORC = "What does S2ORC stand for?"
CLOZE = "Gradient descent steps with {{c1::a learning rate}} {{c2::eta}}."
DROPOUT = "Who proposed dropout?"


def make_notes() -> tuple[int, list[int], int]:
    qa = service.add_note("qa", S2ORC, "Semantic Scholar Open Research Corpus", now=NOW - timedelta(minutes=3))
    cloze = service.add_note("cloze", CLOZE, now=NOW - timedelta(minutes=2))
    dropout = service.add_note("qa", DROPOUT, "Srivastava et al., 2014", now=NOW - timedelta(minutes=1))
    return qa[0].id, [c.id for c in cloze], dropout[0].id


def cards_table(column: str) -> dict[int, object]:
    conn = sqlite3.connect(paths.database_path())
    try:
        return dict(conn.execute(f"SELECT id, {column} FROM card"))
    finally:
        conn.close()


def reviews() -> int:
    conn = sqlite3.connect(paths.database_path())
    try:
        return conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        conn.close()


def rendered(widget: Static) -> str:
    """A widget's content (a rich table too) as plain lines."""
    console = Console(width=76, color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return "\n".join(line.rstrip() for line in captured.get().splitlines())


def marks(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-marks", Static).render())


async def test_ctrl_z_takes_back_an_answer_and_shows_that_card_again():
    make_notes()
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert shown(screen) == S2ORC
        await pilot.press("space", "3")
        assert reviews() == 1 and shown(screen) != S2ORC
        await pilot.press("ctrl+z")
        assert reviews() == 0 and shown(screen) == S2ORC


async def test_ctrl_z_takes_back_a_flag_or_a_mark_first_as_anki_does_not_the_answer_before():
    """Anki's Undo "Flag Card" / "Mark Note": the newest step goes back, and the answer made before it stays."""
    qa, (c1, _c2), _dropout = make_notes()
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "3")  # S2ORC answered: the cloze is shown
        assert reviews() == 1 and shown(screen).startswith("Gradient descent")
        await pilot.press("ctrl+2", "f", "4", "asterisk")  # orange, then blue by the chooser, then the note marked
        assert cards_table("flag")[c1] == 4 and "marked" in service.get_card(c1).tags

        await pilot.press("space")  # the answer is showing: the undos below keep it so
        await pilot.press("ctrl+z")
        assert "marked" not in service.get_card(c1).tags and "marked" not in marks(screen)
        assert cards_table("flag")[c1] == 4 and "blue" in marks(screen) and reviews() == 1
        assert shown(screen).startswith("Gradient descent") and screen.revealed
        await pilot.press("u")
        assert cards_table("flag")[c1] == 2 and "orange" in marks(screen) and reviews() == 1
        await pilot.press("ctrl+z")
        assert cards_table("flag")[c1] == 0 and marks(screen) == "" and reviews() == 1
        await pilot.press("ctrl+z")  # and only then the answer
        assert reviews() == 0 and shown(screen) == S2ORC and cards_table("flag")[c1] == 0


async def test_equals_buries_and_bang_suspends_the_whole_note_and_ctrl_z_takes_it_back():
    qa, (c1, c2), dropout = make_notes()
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "4")  # S2ORC done; the cloze's first card is next
        assert shown(screen).startswith("Gradient descent")
        await pilot.press("equals_sign")
        buried = cards_table("buried_until")
        assert buried[c1] and buried[c2] and not buried[dropout]  # both cards of the note, no other
        assert shown(screen) == DROPOUT
        await pilot.press("ctrl+z")
        assert not any(cards_table("buried_until").values()) and shown(screen).startswith("Gradient descent")

        await pilot.press("exclamation_mark")
        suspended = cards_table("suspended")
        assert suspended[c1] and suspended[c2] and not suspended[dropout]
        assert shown(screen) == DROPOUT
        await pilot.press("ctrl+z")
        assert not any(cards_table("suspended").values()) and shown(screen).startswith("Gradient descent")

        await pilot.press("minus")  # - stays one card's bury
        buried = cards_table("buried_until")
        assert buried[c1] and not buried[c2]


async def test_star_marks_the_note_and_ctrl_digits_flag_the_card():
    qa, _cloze, _dropout = make_notes()
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("asterisk")
        assert service.get_card(qa).tags == ["marked"] and "★ marked" in marks(screen)
        assert "#marked" in str(screen.query_one("#review-source", Static).render())
        await pilot.press("asterisk")
        assert service.get_card(qa).tags == [] and "marked" not in marks(screen)

        await pilot.press("ctrl+1")
        assert cards_table("flag")[qa] == 1 and "red" in marks(screen)
        await pilot.press("ctrl+4")
        assert cards_table("flag")[qa] == 4 and "blue" in marks(screen)
        await pilot.press("ctrl+4")  # the same flag again clears it, as in Anki
        assert cards_table("flag")[qa] == 0 and marks(screen) == ""


async def test_f_flags_in_any_terminal_and_its_digits_never_grade():
    """Ctrl+1 reaches few terminals (most send a plain 1, which grades): `f` opens a chooser whose digits flag."""
    from readroom.tui.screens.flag_chooser import FlagChooser
    from readroom.tui.widgets.key_footer import KeyFooter

    qa, _cloze, _dropout = make_notes()
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "f Flag" in "".join(seg.text for seg in screen.query_one(KeyFooter).render_line(0))
        await pilot.press("space")  # the answer shows: a digit on the review screen would grade now
        for key, flag in (("2", 2), ("2", 2), ("4", 4), ("0", 0)):  # the chooser sets; only Ctrl+digit toggles
            await pilot.press("f")
            assert isinstance(app.screen, FlagChooser)
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen and cards_table("flag")[qa] == flag
        await pilot.press("f", "escape")
        await pilot.press("f", "3", "f", "q")  # q cancels too, not back out of review
        await pilot.pause()
        assert app.screen is screen and cards_table("flag")[qa] == 3 and "green" in marks(screen)
        assert reviews() == 0 and screen.card.id == qa  # none of those digits graded


async def test_i_shows_the_card_info_with_its_review_log():
    qa, _cloze, _dropout = make_notes()
    clock = Clock()
    app = Host(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "1")  # Again: back in a minute
        clock.now += timedelta(minutes=2)
        await pilot.press("space", "4")  # the cloze; then the S2ORC card is due again
        assert shown(screen) == S2ORC
        await pilot.press("i")
        info = app.screen
        assert isinstance(info, CardInfoScreen)
        facts = rendered(info.query_one("#card-info-facts", Static))
        log = rendered(info.query_one("#card-info-log", Static))
        assert "Added           2026-03-02 08:57" in facts  # made 3 minutes before NOW (UTC)
        assert "First review    2026-03-02 09:00" in facts and "Latest review   2026-03-02 09:00" in facts
        assert "Reviews         1" in facts and "Lapses          0" in facts and "State           learning" in facts
        assert "Stability" in facts and "Difficulty" in facts and "Retrievability  " in facts
        assert log.split("\n")[1].split() == ["2026-03-02", "09:00", "new", "Again", "1m", "0", "s"]
        await pilot.press("escape")
        assert app.screen is screen


async def test_study_more_at_done_adds_new_cards_or_reviews_ahead():
    paths.config_path().write_text(CONFIG + "new_per_day = 1\n", encoding="utf-8")
    make_notes()
    app = Host(Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "4")
        assert screen.card is None
        text = summary(screen)
        assert "n  10 more new cards today (2 waiting)" in text  # one card per note: the cloze and dropout
        assert "review ahead" not in text  # nothing is due tomorrow
        await pilot.press("n")
        assert shown(screen).startswith("Gradient descent")


async def test_review_ahead_shows_cards_due_tomorrow():
    (card,) = service.add_note("qa", S2ORC, "Semantic Scholar Open Research Corpus", now=NOW)
    due = service.answer(card.id, EASY, NOW).due
    app = Host(Clock(due - timedelta(days=1)))  # the next day: the card is due the day after
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.card is None
        assert "a  review ahead: 1 card due in the next day" in summary(screen)
        await pilot.press("a")
        assert shown(screen) == S2ORC
        await pilot.press("space", "3")
        assert screen.card is None and service.get_card(card.id).due > due

"""The stats screen shows the same report as `readroom stats`, and reloads when the log changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from rich.style import Style

from readroom import paths
from readroom.cards import service
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.stats import StatsScreen

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=timezone.utc)


class Host(ReadroomApp):
    def get_default_screen(self):
        return StatsScreen(clock=lambda: NOW)


def report_text(screen) -> str:
    return str(screen.query_one("#stats-report").render())


async def counted(app, pilot) -> None:
    """The report is counted on a thread: wait for it to be drawn."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_stats_screen_shows_retention_states_and_streak():
    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('[review]\nfuzz = false\ntimezone = "UTC"\n', encoding="utf-8")
    cards = [service.add_note("qa", f"q{i}", "a", now=NOW - timedelta(days=9))[0].id for i in range(3)]
    for card in cards:
        service.answer(card, 4, NOW - timedelta(days=8))
    service.answer(cards[0], 1, NOW - timedelta(days=1))
    service.answer(cards[1], 3, NOW - timedelta(hours=2))
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        text = report_text(app.screen)
        assert "Streak: 2 days" in text and "Today: 1 review in 0:00" in text
        assert "Last 7 days   50.0%  (1/2)" in text
        assert "Stats · study day Thu 12 Mar 2026" in str(app.screen.query_one("#stats-top").render())
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= 80 - 6
        service.answer(cards[2], 1, NOW - timedelta(hours=1))
        await pilot.press("r")
        await counted(app, pilot)
        assert "Today: 2 reviews" in report_text(app.screen)
        await pilot.press("escape")
    assert app.return_code == 0


async def test_stats_screen_reloads_when_a_screen_over_it_closes():
    from textual.screen import Screen

    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('[review]\nfuzz = false\ntimezone = "UTC"\n', encoding="utf-8")
    card = service.add_note("qa", "q", "a", now=NOW - timedelta(days=9))[0].id
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await counted(app, pilot)
        stats_screen = app.screen
        assert "Today: 0 reviews" in report_text(stats_screen)
        await app.push_screen(Screen())  # a review, say
        service.answer(card, 3, NOW - timedelta(hours=1))
        await app.pop_screen()
        await counted(app, pilot)
        assert "Today: 1 review " in report_text(stats_screen)


async def test_stats_bars_take_the_new_themes_colour_after_a_theme_change():
    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('[review]\nfuzz = false\ntimezone = "UTC"\n', encoding="utf-8")
    card = service.add_note("qa", "q", "a", now=NOW - timedelta(days=9))[0].id
    service.answer(card, 3, NOW - timedelta(hours=1))
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        def bar_colours() -> set[str]:
            rendered = app.screen.query_one("#stats-report").render()
            return {Style.parse(str(span.style)).color.get_truecolor() for span in rendered.spans
                    if "█" in rendered.plain[span.start:span.end]}

        before = bar_colours()
        assert before, "the report draws bars"
        old = app.current_theme.primary
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = bar_colours()
        assert app.current_theme.primary != old
        assert after == {Style.parse(app.current_theme.primary).color.get_truecolor()}


async def test_the_screen_draws_at_once_and_counts_behind_its_keys(monkeypatch):
    """A big library takes a while to count: the screen is there at once saying so, esc leaves it meanwhile, and
    the count finishing after it closed changes nothing."""
    import threading

    from textual.screen import Screen

    from readroom.cards import stats

    card = service.add_note("qa", "q", "a", now=NOW - timedelta(days=9))[0].id
    service.answer(card, 3, NOW - timedelta(hours=1))
    release = threading.Event()
    real = stats.collect

    def held(now):  # the real count, held until the test lets it go
        release.wait(10)
        return real(now)

    monkeypatch.setattr(stats, "collect", held)

    class Over(ReadroomApp):
        def get_default_screen(self):
            return Screen()

    app = Over()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = StatsScreen(clock=lambda: NOW)
        await app.push_screen(screen)
        await pilot.pause()
        assert "Counting your reviews" in report_text(screen)
        assert "counting" in str(screen.query_one("#stats-top").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running

        release.clear()
        screen = StatsScreen(clock=lambda: NOW)
        await app.push_screen(screen)
        await pilot.pause()
        assert "Counting your reviews" in report_text(screen)
        release.set()
        await counted(app, pilot)
        assert "Today: 1 review " in report_text(screen)
        assert "study day Thu 12 Mar 2026" in str(screen.query_one("#stats-top").render())

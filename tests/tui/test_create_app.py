"""create_app puts the home, the clock and the settings it is given in place before the app is built."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from readroom import clock, config, paths
from readroom.cards import service
from readroom.clock import FixedClock
from readroom.tui.app import LIGHT, create_app
from readroom.tui.screens.review import ReviewScreen

SIZE = (80, 24)
AT = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


async def test_create_app_runs_on_the_given_home_clock_and_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("READROOM_HOME", os.environ["READROOM_HOME"])  # put back after the test
    settings = config.Settings(ui=config.UiConfig(theme=LIGHT),
                               review=config.ReviewConfig(fuzz=False, timezone="UTC", new_per_day=1))
    app = create_app(home=tmp_path / "elsewhere", clock=FixedClock(AT), settings=settings, start="review")
    assert paths.home() == tmp_path / "elsewhere" and clock.now() == AT and config.load() is settings
    for front in ("One", "Two", "Three"):
        service.add_note("qa", front, "Back", now=clock.now() - timedelta(minutes=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == LIGHT
        assert isinstance(app.screen, ReviewScreen) and app.screen.settings is settings.review
        assert app.screen.queue.counts()["new"] == 1  # the installed new_per_day, not the default 20

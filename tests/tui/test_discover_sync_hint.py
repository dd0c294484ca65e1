"""`s` in Discover when every listed paper is older than the window: the app says so, and which setting reaches
them, as `readroom discover sync` does with its `--days`."""

from __future__ import annotations

import re
from datetime import timedelta

from discover.corpus import NEWEST, Listing, make_papers
from readroom import clock, config
from readroom.tui.app import ReadroomApp
from tui.test_discover_screen import SIZE, open_discover, wait_until


async def test_a_sync_that_finds_only_older_papers_says_which_setting_reaches_them(httpserver, monkeypatch):
    clock.install(clock.FixedClock(NEWEST + timedelta(days=30)))
    served = Listing(make_papers(110, step_minutes=9 * 24 * 60))  # one every 9 days, the newest a month ago
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_handler(served.api)
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("READROOM_SANITY_DAYS", "14")
    monkeypatch.setenv("READROOM_SANITY_PAGE_SIZE", "50")
    config.reload()
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await open_discover(pilot)
        await pilot.press("s")
        said = lambda: [n.message for n in app._notifications if n.message.startswith("Fetched")]
        await wait_until(pilot, said)
    # The first page (50 papers) reaches back 30 + 49 * 9 days.
    assert said() == ["Fetched 0 new papers; the index holds 0.\n"
                      "The 110 listed are all older than 14 days; try [discover] days = 471 in config.toml."]

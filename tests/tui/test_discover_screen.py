"""The Discover screen driven as a user would: `d` from the library, then add, tag, dismiss, switch the ranking
and search, on a generated index and a library whose tags the models learn from."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from textual.widgets import DataTable

from discover.corpus import NEWEST, GenPaper, add_library_paper, make_papers, seed_index
from readroom import clock, library
from readroom.discover import index
from readroom.tui.app import LIGHT, ReadroomApp
from readroom.tui.screens.discover import DiscoverScreen, TextPrompt

SIZE = (80, 24)


async def wait_until(pilot, condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        await pilot.pause(0.02)


async def open_discover(pilot) -> DiscoverScreen:
    app = pilot.app
    await wait_until(pilot, lambda: type(app.screen).__name__ == "LibraryScreen" and app.screen.loaded)
    await pilot.press("d")
    await wait_until(pilot, lambda: isinstance(app.screen, DiscoverScreen) and app.screen.loaded)
    await pilot.pause()
    return app.screen


def row_ids(screen: DiscoverScreen) -> list[str]:
    return [r.paper.arxiv_id for r in screen.papers]


@pytest.fixture
def corpus() -> list[GenPaper]:
    papers = make_papers(120)
    seed_index(papers)
    for p in [p for p in papers if p.topic == "robotics"][:4]:
        add_library_paper(p, tags=("robots",))
    return papers


@pytest.fixture
def real_in_index(corpus, arxiv) -> GenPaper:
    """The recorded paper 1605.08386 in the index too, so that `a` adds it through the loopback arXiv."""
    real = GenPaper("1605.08386", 1, "graphs", "Heat-bath random walks with Markov bases",
                    "Graphs on lattice points whose edges come from a Markov basis.", ["Caprice Stanley",
                                                                                      "Tobias Windisch"],
                    NEWEST - timedelta(hours=1))
    seed_index([real])
    return real


async def test_ranked_for_you_with_the_abstract_and_the_words_that_explain_it(corpus):
    topic = {p.arxiv_id: p.topic for p in corpus}
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        assert [topic[i] for i in row_ids(screen)[:10]] == ["robotics"] * 10
        status = str(screen.query_one("#discover-status").render())
        assert "for you" in status and "likes" in status
        detail = str(screen.query_one("#discover-detail").render())
        first = screen.papers[0]
        assert first.paper.title in detail and "Why:" in detail and first.words[0] in detail


async def test_add_dismiss_and_tag_from_the_list(real_in_index):
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_discover(pilot)
        table = screen.query_one("#discover-list", DataTable)
        table.move_cursor(row=row_ids(screen).index("1605.08386"))
        await pilot.press("a")  # through the app's add worker: loopback metadata and the real PDF
        await wait_until(pilot, lambda: screen.selected().library_id is not None)
        paper = library.show("1605.08386")
        assert paper.arxiv_id == "1605.08386" and str(table.get_row("1605.08386")[0]) == "✓"

        await pilot.press("t")  # tag it: already in the library, so only the tag is added
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"keep", "enter")
        await wait_until(pilot, lambda: "keep" in library.show("1605.08386").tags)

        table.move_cursor(row=0)
        first = screen.selected().paper.arxiv_id
        await pilot.press("x")
        await wait_until(pilot, lambda: first in index.dismissed())
        assert first not in row_ids(screen) and table.row_count == len(screen.papers)


async def test_m_cycles_the_ranking_and_slash_searches(corpus):
    topic = {p.arxiv_id: p.topic for p in corpus}
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_discover(pilot)
        await pilot.press("m")  # for you -> the model of the tag 'robots'
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "tag")
        assert screen.mode.tag == "robots" and topic[row_ids(screen)[0]] == "robotics"
        await pilot.press("m")  # -> newest first
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "time")
        dates = [r.paper.published for r in screen.papers]
        assert dates == sorted(dates, reverse=True) and "newest" in str(screen.query_one("#discover-status").render())
        await pilot.press("m")  # -> random
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "random")
        await pilot.press("m")  # and round again
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "foryou")

        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"phoneme", "enter")
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "search")
        assert screen.papers and {topic[i] for i in row_ids(screen)} == {"audio"}
        await pilot.press("escape")  # out of the search, back to the ranking before it
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "foryou")
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LibraryScreen")


async def test_an_empty_index_says_to_sync(monkeypatch):
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        assert "run `readroom discover sync`" in str(screen.query_one("#discover-status").render())
        assert "Press s to sync" in str(screen.query_one("#discover-detail").render())


async def test_s_syncs_with_a_progress_line_and_ranks_again(httpserver, monkeypatch):
    import re

    from discover.corpus import Listing
    from readroom import config

    served = Listing(make_papers(60))
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_handler(served.api)
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("READROOM_SANITY_DAYS", "36500")
    monkeypatch.setenv("READROOM_SANITY_PAGE_SIZE", "20")
    config.reload()
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.loaded and len(screen.papers) == 60)
        assert not screen.query_one("#sync-line").display  # shown while it ran, gone now
        assert str(screen.query_one("#sync-text").render()).startswith("Syncing")
        assert any("Fetched 60 new papers" in n.message for n in pilot.app._notifications)
        assert len(served.calls) == 3


def test_snapshot_80x24(snap_compare, corpus):
    assert snap_compare(ReadroomApp(), terminal_size=SIZE, run_before=open_discover)


def test_snapshot_80x24_light(snap_compare, corpus):
    async def light(pilot) -> None:
        await open_discover(pilot)
        pilot.app.theme = LIGHT
        await pilot.pause()

    assert snap_compare(ReadroomApp(), terminal_size=SIZE, run_before=light)


async def test_the_kept_ranking_shows_at_once_and_a_new_one_replaces_it_under_the_cursor(corpus, monkeypatch):
    import threading

    from readroom.discover import rank

    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        first = row_ids(screen)
        await pilot.press("escape")
        # Opened again with nothing changed: the kept list, without ranking again.
        ranked: list[str] = []
        real_rank = rank.rank
        release = threading.Event()

        def slow_rank(request, *args, **kwargs):
            ranked.append(request.mode)
            assert release.wait(20)
            return real_rank(request, *args, **kwargs)

        monkeypatch.setattr(rank, "rank", slow_rank)
        screen = await open_discover(pilot)
        assert row_ids(screen) == first and not ranked and not screen.updating
        await pilot.press("escape")

        index.dismiss(first[0], now=NEWEST)  # from the CLI, say: the kept list is stale now
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DiscoverScreen) and pilot.app.screen.papers)
        screen = pilot.app.screen
        assert screen.updating and not screen.loaded and ranked == ["foryou"]
        assert row_ids(screen) == first[1:]  # shown at once, the dismissed paper already gone
        assert "updating" in str(screen.query_one("#discover-status").render())
        table = screen.query_one("#discover-list", DataTable)
        table.move_cursor(row=3)
        under_cursor = screen.selected().paper.arxiv_id
        release.set()
        await wait_until(pilot, lambda: screen.loaded)
        assert not screen.updating and "updating" not in str(screen.query_one("#discover-status").render())
        assert screen.selected().paper.arxiv_id == under_cursor


def status_of(screen: DiscoverScreen) -> str:
    return str(screen.query_one("#discover-status").render())


async def test_dismissing_keeps_the_mode_the_place_and_honest_counts(corpus):
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        await pilot.press("m", "m")  # -> newest first (after the tag 'robots')
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "time")
        assert "newest · 116 of 120 papers" in status_of(screen)  # the 4 in the library are not listed
        table = screen.query_one("#discover-list", DataTable)
        table.move_cursor(row=5)
        gone, after = row_ids(screen)[5], row_ids(screen)[6]
        await pilot.press("x")
        await wait_until(pilot, lambda: gone in index.dismissed())
        await pilot.pause(0.3)
        assert screen.mode.name == "time" and "newest · 115 of 120 papers" in status_of(screen)
        assert table.row_count == len(screen.papers) == 115 and screen.selected().paper.arxiv_id == after
        # Newest shows each paper's age, not a made-up score; random shows none.
        assert table.columns["score"].label.plain == "Age"
        age = (clock.now() - screen.selected().paper.published).total_seconds() / 86400
        shown = str(table.get_row(after)[1]).strip()
        # to the day (rounded through hours, at ranking time): never more than a day off, however late it is
        assert shown.endswith("d") and abs(int(shown[:-1].replace(",", "")) - age) <= 1
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "random")
        assert table.columns["score"].label.plain == "" and str(table.get_row_at(0)[1]).strip() == ""
        assert "top" not in str(screen.query_one("#discover-detail").render())


async def test_a_search_says_what_it_matched_even_when_nothing_is_listed(corpus):
    hidden = GenPaper("2604.80001", 1, "graphs", "Zyzzogeton Quokka Lattices", "Quokka.", ["Ada Lovelace"],
                      NEWEST - timedelta(hours=2))
    seed_index([hidden])
    add_library_paper(hidden)  # the only match is in the library, so it is not listed
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_discover(pilot)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"zyzzogeton", "enter")
        await wait_until(pilot, lambda: screen.loaded and screen.mode.name == "search")
        assert not screen.papers
        assert "0 of 121 papers" in status_of(screen) and "1 match" in status_of(screen)
        assert "in your library or dismissed" in str(screen.query_one("#discover-detail").render())


async def test_the_status_line_says_what_a_slow_ranking_is_busy_with(corpus, monkeypatch):
    import threading

    from readroom.discover import svm_c

    add_library_paper(next(p for p in corpus if p.topic == "graphs"))  # a fifth paper: C is cross-validated
    release = threading.Event()
    real = svm_c._cross_validate

    def held(*args):
        release.wait(20)
        return real(*args)

    monkeypatch.setattr(svm_c, "_cross_validate", held)
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LibraryScreen" and app.screen.loaded)
        await pilot.press("d")
        status = lambda: str(app.screen.query_one("#discover-status").render())
        await wait_until(pilot, lambda: isinstance(app.screen, DiscoverScreen)
                         and "choosing C on your 5 papers" in status())
        assert status().startswith("Ranking: for you")
        release.set()
        await wait_until(pilot, lambda: app.screen.loaded)
        assert "choosing C" not in status() and "likes" in status()

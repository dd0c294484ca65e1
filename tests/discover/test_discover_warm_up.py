"""The Discover screen, opened on a kept ranking, reads the features and imports scikit-learn behind it, so that
the first switch to a mode not kept yet ranks at once instead of waiting for them (seconds on a busy machine)."""

from __future__ import annotations

from discover.corpus import add_library_paper, make_papers, seed_index
from readroom import clock
from readroom.discover import features, rank, service
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.discover import DiscoverScreen
from tui.test_discover_screen import SIZE, open_discover, wait_until


async def test_a_kept_ranking_warms_up_so_the_first_mode_switch_reads_nothing(monkeypatch):
    papers = make_papers(200)
    seed_index(papers)
    for p in [p for p in papers if p.topic == "robotics"][:3]:
        add_library_paper(p, tags=("robots",))
    service.rank(rank.RankRequest(now=clock.now(), mode="foryou", limit=200))  # kept, as after a sync
    features._memo.clear()  # a new session
    steps: list[str] = []
    real = DiscoverScreen._post_step
    monkeypatch.setattr(DiscoverScreen, "_post_step", lambda screen, worker, text: steps.append(text)
                        or real(screen, worker, text))
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        assert screen.ranking.mode == "foryou" and steps == []  # the kept list, at once
        await wait_until(pilot, lambda: bool(features._memo))  # warmed up behind it
        await pilot.press("m")  # to "robots": never ranked before
        await wait_until(pilot, lambda: screen.loaded and screen.ranking.mode == "tag")
        assert steps == ["learning from 3 papers"]  # nothing read first

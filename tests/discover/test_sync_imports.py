"""What a one-request `readroom discover sync` loads: the fetch and its writes need neither SQLAlchemy nor SQLModel
(~0.6 s of imports before the first page could be stored), nor scikit-learn (1.2-2.5 s): the features are caught up
by the next ranking, which then still finds the new papers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from discover.corpus import add_library_paper
from readroom import cli
from readroom.storage import db

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "sklearn", "scipy")
PROBE = (
    "import sys, json\nfrom readroom.cli import main\n"
    "code = main(sys.argv[1:])\n"
    f"print(json.dumps([code, sorted(m for m in {HEAVY!r} if m in sys.modules)]), file=sys.stderr)\n"
)


def sync_in_a_new_process(*args: str) -> tuple[str, list[str]]:
    """`readroom discover sync ARGS` in a fresh interpreter: what it printed, and which heavy modules it loaded."""
    db.dispose_all()  # the child writes the library; no connection of ours in its way
    result = subprocess.run([sys.executable, "-c", PROBE, "discover", "sync", *args], capture_output=True,
                            text=True, timeout=120, env=os.environ.copy())
    code, loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert code == 0, result.stdout + result.stderr
    return result.stdout, loaded


def test_a_sync_into_a_library_at_the_current_schema_does_not_import_the_orm(listing):
    db.engine()  # the library exists, at the current schema
    out, loaded = sync_in_a_new_process("--max", "10")
    assert "Fetched 10 new papers in 1 request" in out, out
    assert loaded == [], f"`readroom discover sync` imported {loaded}"


def test_a_sync_into_a_ranked_index_leaves_the_features_to_the_next_ranking(listing, capsys):
    for paper in listing.papers[:3]:
        add_library_paper(paper, tags=("robots",))  # "for you" is an SVM on these, not newest first
    assert "Fetched 50 new papers" in sync_in_a_new_process("--max", "50")[0]
    assert cli.main(["discover", "list", "--json", "--limit", "1000"]) == 0  # fits the features, keeps the ranking
    first = json.loads(capsys.readouterr().out)
    assert first["mode"] == "foryou" and first["index_size"] == 50

    out, loaded = sync_in_a_new_process("--max", "50")  # the features are on disk now: nothing to catch up here
    assert "Fetched 50 new papers" in out and loaded == [], f"`readroom discover sync` imported {loaded}"

    assert cli.main(["discover", "list", "--json", "--limit", "1000"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked["mode"] == "foryou" and ranked["index_size"] == 100
    assert {p["arxiv_id"] for p in ranked["papers"]} == {p.arxiv_id for p in listing.papers[3:100]}


async def test_after_a_sync_in_the_app_the_ranking_says_it_catches_the_features_up(listing, monkeypatch):
    from discover.corpus import make_papers, seed_index
    from readroom import clock
    from readroom.discover import features, rank, service
    from readroom.tui.app import ReadroomApp
    from readroom.tui.screens.discover import DiscoverScreen
    from tui.test_discover_screen import SIZE, open_discover, wait_until

    listing.papers[:] = make_papers(60)
    seed_index(listing.papers[10:])  # the sync brings the 10 newest
    for paper in [p for p in listing.papers[10:] if p.topic == "robotics"][:3]:
        add_library_paper(paper, tags=("robots",))
    service.rank(rank.RankRequest(now=clock.now(), mode="foryou", limit=200))  # kept, features on disk
    steps: list[str] = []
    real = DiscoverScreen._post_step
    monkeypatch.setattr(DiscoverScreen, "_post_step", lambda screen, worker, text: steps.append(text)
                        or real(screen, worker, text))
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        # The warm-up behind the kept list is done: what follows is the sync's doing.
        await wait_until(pilot, lambda: not any(w.group == "discover-rank" and w.is_running for w in screen.workers))
        assert steps == [] and bool(features._memo)
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.loaded and screen.ranking.index_size == 60)
        assert steps[0] == "adding 10 papers to the features"  # on the status line, the kept list shown meanwhile
        assert {p.arxiv_id for p in listing.papers[:10]} <= {r.paper.arxiv_id for r in screen.papers}

"""`readroom discover sync | list | dismiss` as a user types them, against a loopback arXiv; `readroom sanity`, its
first name, still works the same."""

from __future__ import annotations

import json
from datetime import timedelta

from discover.corpus import add_library_paper
from readroom import cli, config


def test_sync_then_list_then_dismiss(listing, capsys):
    assert cli.main(["discover", "sync"]) == 0
    out = capsys.readouterr().out
    assert "Fetched 250 new papers in 5 requests; the index holds 250" in out
    assert cli.main(["discover", "list", "--time", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "Newest first: 250 of 250 papers" in out
    newest = listing.papers[0]
    assert newest.arxiv_id in out and newest.authors[0].split()[-1] in out
    assert cli.main(["discover", "dismiss", newest.arxiv_id]) == 0
    assert f"Dismissed {newest.arxiv_id}: {newest.title}" in capsys.readouterr().out
    assert cli.main(["discover", "list", "--time", "--limit", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert newest.arxiv_id not in [p["arxiv_id"] for p in data["papers"]]
    assert [p["arxiv_id"] for p in data["papers"]] == [p.arxiv_id for p in listing.papers[1:4]]
    assert set(data["papers"][0]) >= {"arxiv_id", "title", "authors", "published", "score", "words", "top_percent"}


def test_a_window_older_than_every_listed_paper_says_so_and_how_far_to_reach(listing, capsys):
    from discover.corpus import NEWEST, make_papers
    from readroom import clock

    clock.install(clock.FixedClock(NEWEST + timedelta(days=30)))
    listing.papers[:] = make_papers(110, step_minutes=9 * 24 * 60)  # one every 9 days, the newest a month ago
    assert cli.main(["discover", "sync", "--days", "14"]) == 0
    out = capsys.readouterr().out
    assert "Fetched 0 new papers in 1 request; the index holds 0." in out
    # The first page (50 papers) reaches back 30 + 49 * 9 days.
    assert "The 110 listed are all older than 14 days; try `readroom discover sync --days 471`" in out
    assert cli.main(["discover", "sync", "--days", "471"]) == 0
    assert "Fetched 50 new papers" in capsys.readouterr().out  # the first page's worth
    assert cli.main(["discover", "sync", "--days", "10000"]) == 0
    assert "Fetched 60 new papers" in capsys.readouterr().out  # backfilled past the papers held


def test_list_by_tag_explains_each_paper(listing, capsys):
    assert cli.main(["discover", "sync", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["new"] == 250
    for p in [p for p in listing.papers if p.topic == "audio"][:4]:
        add_library_paper(p, tags=("speech",))
    assert cli.main(["discover", "list", "--tag", "speech", "--band", "0-10", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "Ranked for you by your tag 'speech', top 0-10%" in out
    assert "The model likes:" in out and out.count(" · ") >= 5


def test_mistakes_are_one_clear_line(listing, capsys):  # typed with the old name, `sanity`
    assert cli.main(["sanity", "list"]) == 3
    assert "The Discover index is empty; run `readroom discover sync`" in capsys.readouterr().err
    assert cli.main(["sanity", "sync", "--max", "10"]) == 0
    assert "Stopped at --max" in capsys.readouterr().out
    assert cli.main(["sanity", "list", "--band", "40-15"]) == 2
    assert "is not a band" in capsys.readouterr().err
    assert cli.main(["sanity", "list", "--tag", "nothing"]) == 2
    assert "No paper in your library is tagged 'nothing'" in capsys.readouterr().err
    assert cli.main(["sanity", "dismiss", "not-an-id"]) == 2


def test_a_failing_api_is_exit_4(listing, capsys, monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")
    config.reload()
    listing.faults = ["500"]
    assert cli.main(["sanity", "sync"]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "answered HTTP 500" in err and "what was fetched so far is kept" in err


def test_sanity_is_another_name_for_discover(capsys):
    import pytest

    for name in ("discover", "sanity"):
        with pytest.raises(SystemExit):
            cli.main([name, "list", "--help"])
        assert "--similar ID" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "discover (sanity)" in capsys.readouterr().out


def test_newest_and_random_lists_show_no_made_up_scores(listing, capsys):
    import re

    assert cli.main(["discover", "sync"]) == 0
    capsys.readouterr()
    assert cli.main(["discover", "list", "--time", "--limit", "3"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith(listing.papers[0].arxiv_id[:4])]
    assert rows and all(re.match(r"\S+\s+\d[\d,]*[hd]\s", row) for row in rows), rows  # an age, not minus days
    assert cli.main(["discover", "list", "--random", "--limit", "3"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith(listing.papers[0].arxiv_id[:4])]
    assert rows and not any(re.search(r"-?\d+\.\d\d", row.split("  ", 1)[1][:12]) for row in rows), rows

"""Sync from a loopback arXiv: paging, stop at known papers, the time window, resume, --max, and every error
arXiv is known to send (500, 429 with Retry-After, malformed XML, an empty page inside the listing)."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta

import pytest

from discover.corpus import NEWEST, make_papers
from readroom import config, paths
from readroom.discover import index, sync
from readroom.errors import BadInput, NetworkError
from readroom.sources.listings import ArxivListing, parse_feed

NOW = NEWEST + timedelta(hours=1)


def run_sync(sleeps: list | None = None, **kwargs):
    with ArxivListing(sleep=(sleeps if sleeps is not None else []).append) as source:
        return sync.sync(source, now=NOW, **kwargs)


def stored_ids() -> list[str]:
    with sqlite3.connect(paths.database_path()) as conn:
        return [r[0] for r in conn.execute("SELECT arxiv_id FROM discover_paper ORDER BY published DESC")]


def newer_papers(n: int, seed: int = 8):
    return make_papers(n, seed=seed, first_number=90250, newest=NEWEST + timedelta(days=1))


def test_first_sync_pages_through_the_listing_newest_first(listing):
    result = run_sync()
    assert result.new == 250 and result.complete and result.index_size == 250
    assert result.requests == 5 == len(listing.calls)  # 250 papers, 50 a page
    first = listing.calls[0]
    assert first["search_query"] == "cat:cs.CV OR cat:cs.LG OR cat:cs.CL OR cat:cs.AI OR cat:cs.NE OR cat:cs.RO"
    assert (first["sortBy"], first["sortOrder"], first["max_results"]) == ("submittedDate", "descending", "50")
    assert [c["start"] for c in listing.calls] == ["0", "50", "100", "150", "200"]
    assert stored_ids() == [p.arxiv_id for p in listing.papers]
    paper = index.papers(["2604.90250"])["2604.90250"]
    assert paper.title == listing.papers[0].title and paper.authors == listing.papers[0].authors
    assert paper.categories == ["cs.CV", "cs.LG"] and paper.primary_category == "cs.CV"
    assert paper.published == NEWEST


def test_next_sync_fetches_only_the_new_papers_and_stops_at_known_ones(listing):
    run_sync()
    listing.calls.clear()
    listing.papers[:0] = newer_papers(30)
    result = run_sync()
    assert (result.new, result.requests, result.index_size) == (30, 1, 280)
    assert stored_ids() == [p.arxiv_id for p in listing.papers]


def test_nothing_new_costs_one_request(listing):
    run_sync()
    listing.calls.clear()
    assert run_sync().new == 0 and len(listing.calls) == 1


def test_sync_reaches_back_only_as_far_as_the_window(listing):
    result = run_sync(days=1)
    cutoff = NOW - timedelta(days=1)
    wanted = [p.arxiv_id for p in listing.papers if p.published >= cutoff]
    assert 0 < len(wanted) < 250
    assert stored_ids() == wanted and result.complete
    assert result.requests == len(wanted) // 50 + 1


def spread_over_years(listing) -> None:
    """110 papers, one every 9 days: 2 in the last 14 days, 45 in the last 400, all in the last 10000."""
    listing.papers[:] = make_papers(110, step_minutes=9 * 24 * 60)


def test_a_wider_window_backfills_past_the_papers_held(listing):
    spread_over_years(listing)
    assert run_sync(days=14).new == 2
    listing.calls.clear()
    wider = run_sync(days=400)
    assert (wider.new, wider.complete, wider.index_size) == (43, True, 45)
    # The top is held: straight on from where the 14-day walk stopped, not a re-walk of what is held.
    assert [c["start"] for c in listing.calls] == ["0", "2"]
    assert run_sync(days=10000).index_size == 110
    assert stored_ids() == [p.arxiv_id for p in listing.papers]
    listing.calls.clear()
    assert run_sync(days=10000).new == 0 and len(listing.calls) == 1  # the end was reached: nothing below


def test_a_narrow_sync_after_a_long_pause_leaves_a_hole_that_a_wide_one_fills(listing):
    spread_over_years(listing)
    older = listing.papers[10:]
    listing.papers[:] = older
    run_sync(days=10000)  # held: all but the 10 newest
    listing.papers[:0] = make_papers(110, step_minutes=9 * 24 * 60)[:10]
    assert run_sync(days=14).new == 2  # the window ends before the held papers start
    assert run_sync(days=10000).new == 8
    assert stored_ids() == [p.arxiv_id for p in listing.papers]


def test_a_sync_state_without_a_floor_backfills_from_the_held_papers(listing):
    spread_over_years(listing)
    run_sync(days=14)
    index.store_page(ArxivListing().key, [], [], now=NOW, total=110, completed=True)  # as older readrooms left it
    result = run_sync(days=400)
    assert (result.new, result.index_size, result.complete) == (43, 45, True)
    assert run_sync(days=400).new == 0


def test_an_interrupted_backfill_carries_on(listing):
    spread_over_years(listing)
    run_sync(days=14)
    assert run_sync(days=10000, max_new=50).complete is False
    assert len(stored_ids()) == 52
    result = run_sync(days=10000)
    assert result.complete and result.new == 58
    assert stored_ids() == [p.arxiv_id for p in listing.papers]


def test_an_interrupted_sync_keeps_its_pages_and_the_next_one_carries_on(listing):
    def stop_after_two_pages(event):
        if event.requests == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sync(progress=stop_after_two_pages)
    assert len(stored_ids()) == 100  # both finished pages were committed
    assert index.sync_state(ArxivListing().key).gaps == [{"start": 100, "total": 250}]
    listing.papers[:0] = newer_papers(30)  # arXiv moved on meanwhile
    listing.calls.clear()
    result = run_sync()
    assert result.complete and result.new == 180
    assert stored_ids() == [p.arxiv_id for p in listing.papers]  # no hole, no duplicate
    # The new papers at the top, then straight to the gap (shifted by the 30 new papers), not a re-walk.
    assert [c["start"] for c in listing.calls] == ["0", "130", "180", "230"]
    # Nothing left unfinished; the floor says the walk reached the listing's end.
    assert index.sync_state(ArxivListing().key).gaps == [
        {"start": 280, "total": 280, "next": listing.papers[-1].published.isoformat()}]


def test_an_interruption_during_the_resume_is_resumed_too(listing):
    with pytest.raises(KeyboardInterrupt):
        run_sync(progress=lambda e: (_ for _ in ()).throw(KeyboardInterrupt) if e.requests == 1 else None)
    listing.papers[:0] = newer_papers(70)  # more than a page of new papers: the top stretch spans two pages
    with pytest.raises(KeyboardInterrupt):
        run_sync(progress=lambda e: (_ for _ in ()).throw(KeyboardInterrupt) if e.requests == 1 else None)
    assert len(stored_ids()) == 100  # 50 old + the first 50 new; two stretches are unfinished now
    assert len(index.sync_state(ArxivListing().key).gaps) == 2
    assert run_sync().complete
    assert stored_ids() == [p.arxiv_id for p in listing.papers]


def test_max_stops_early_and_the_next_sync_fetches_the_rest(listing):
    first = run_sync(max_new=60)
    assert (first.new, first.complete) == (60, False)
    assert stored_ids() == [p.arxiv_id for p in listing.papers[:60]]
    second = run_sync()
    assert (second.new, second.complete) == (190, True)
    assert stored_ids() == [p.arxiv_id for p in listing.papers]


def test_a_new_version_replaces_the_stored_one(listing):
    run_sync()
    revised = listing.papers.pop(5)  # a listing sorted by date of last change shows a revision at the top
    revised.version, revised.title = 2, "Revised Title"
    listing.papers[:0] = [revised, *newer_papers(3)]
    assert run_sync().new == 4
    paper = index.papers([revised.arxiv_id])[revised.arxiv_id]
    assert (paper.version, paper.title) == (2, "Revised Title")
    assert len(stored_ids()) == 253


# --------------------------------------------------------------------------------------------- errors


def test_server_errors_are_retried_with_backoff(listing):
    listing.faults = ["500", "500"]
    sleeps: list[float] = []
    assert run_sync(sleeps).new == 250
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]  # growing backoff


def test_429_waits_as_long_as_retry_after_says(listing):
    listing.faults = ["429:7"]
    sleeps: list[float] = []
    assert run_sync(sleeps).new == 250
    assert sleeps == [7.0]


def test_429_that_never_ends_is_one_clear_error_and_keeps_what_was_fetched(listing, monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "2")
    config.reload()
    listing.faults = [""] + ["429"] * 3  # the first page comes through, then arXiv keeps refusing
    with pytest.raises(NetworkError, match="limiting our requests .* also after 3 tries"):
        run_sync()
    assert len(stored_ids()) == 50
    assert run_sync().complete and len(stored_ids()) == 250


def test_a_retry_after_too_long_to_wait_stops_at_once(listing):
    listing.faults = ["429:3600"]
    sleeps: list[float] = []
    with pytest.raises(NetworkError, match="asks to wait 3600 s"):
        run_sync(sleeps)
    assert sleeps == [] and len(listing.calls) == 1


def test_malformed_xml_is_retried_then_reported(listing, monkeypatch):
    listing.faults = ["malformed"]
    assert run_sync().new == 250
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "1")
    config.reload()
    listing.papers[:0] = newer_papers(5)
    listing.faults = ["malformed", "malformed"]
    with pytest.raises(NetworkError, match="cannot read \\(malformed XML\\)"):
        run_sync()


def test_an_empty_page_inside_the_listing_is_retried_not_taken_for_the_end(listing):
    listing.faults = ["", "empty", "empty"]  # page 2 comes back empty twice, as arXiv sometimes does
    result = run_sync()
    assert result.new == 250 and result.complete


def test_empty_pages_that_persist_are_an_error_and_the_sync_resumes_later(listing, monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "1")
    config.reload()
    listing.faults = ["", "empty", "empty"]
    with pytest.raises(NetworkError, match="empty page at paper 50 of 250, also after 2 tries"):
        run_sync()
    assert len(stored_ids()) == 50
    result = run_sync()
    assert result.complete and len(stored_ids()) == 250
    assert listing.calls[-4]["start"] == "50"  # carried on at the page that failed


def test_an_unreachable_api_is_a_network_error(monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")
    config.reload()
    with pytest.raises(NetworkError, match="Cannot reach arXiv's API at 127.0.0.1:9"):
        run_sync()


# --------------------------------------------------------------------------------------------- categories & real feeds


def test_categories_come_from_the_environment_or_config(monkeypatch):
    monkeypatch.setenv("READROOM_SANITY_CATEGORIES", "cs.CV, stat.ML")
    config.reload()
    assert ArxivListing().query == "cat:cs.CV OR cat:stat.ML"
    monkeypatch.delenv("READROOM_SANITY_CATEGORIES")
    paths.home().mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('[sanity]\ncategories = ["cs.RO", "q-bio.NC"]\ndays = 3\n')
    config.reload()
    assert ArxivListing().query == "cat:cs.RO OR cat:q-bio.NC"
    assert config.load().discover.days == 3
    assert "cat:cs.RO+OR+cat:q-bio.NC&sortBy=submittedDate" in ArxivListing().url(0)


def test_discover_settings_win_over_their_first_name_sanity(monkeypatch):
    paths.home().mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('[sanity]\ncategories = "cs.RO"\ndays = 3\n[discover]\ncategories = "cs.CV"\n')
    config.reload()
    assert (config.load().discover.categories, config.load().discover.days) == ("cs.CV", 3)
    monkeypatch.setenv("READROOM_SANITY_CATEGORIES", "stat.ML")
    monkeypatch.setenv("READROOM_DISCOVER_DAYS", "5")
    config.reload()
    assert (config.load().discover.categories, config.load().discover.days) == ("stat.ML", 5)
    monkeypatch.setenv("READROOM_DISCOVER_CATEGORIES", "cs.LG")
    config.reload()
    assert ArxivListing().query == "cat:cs.LG"


def test_a_bad_category_is_refused_before_any_request(monkeypatch):
    monkeypatch.setenv("READROOM_SANITY_CATEGORIES", "cs.CV; DROP")
    config.reload()
    with pytest.raises(BadInput, match="is not an arXiv category"):
        ArxivListing()


def _recording(shared_fixtures, prefix: str) -> dict:
    return json.loads(next((shared_fixtures / "arxiv-api").glob(f"{prefix}_*.json")).read_text())


def test_a_real_search_feed_parses(shared_fixtures):
    page = parse_feed(_recording(shared_fixtures, "q_testing")["body"])
    assert page.total == 214881 and len(page.papers) == 10
    first = page.papers[0]
    assert (first.arxiv_id, first.version) == ("2202.12139", 1)
    assert first.title == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    assert first.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert first.categories == ["cs.SE", "cs.LG"] and first.primary_category == "cs.SE"
    assert first.published.isoformat() == "2022-02-24T15:05:19+00:00"
    assert first.abstract.startswith("Deep Learning (DL) has revolutionized") and "\n" not in first.abstract
    assert all(p.title and p.authors and p.published for p in page.papers)


def test_a_real_feed_goes_through_the_whole_sync(shared_fixtures, httpserver, monkeypatch):
    body = _recording(shared_fixtures, "q_testing")["body"]
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_data(body, content_type="application/atom+xml")
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    config.reload()
    result = run_sync(days=36500, max_new=10)  # the recording says 214,881 results: stop after its page
    assert result.new == 10 and not result.complete
    assert "2202.12139" in stored_ids()


def test_arxivs_real_error_feed_is_bad_input(shared_fixtures, httpserver, monkeypatch):
    bad = _recording(shared_fixtures, "id_abc")
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_data(
        bad["body"], status=bad["status_code"], content_type="application/atom+xml")
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    config.reload()
    with pytest.raises(BadInput, match="arXiv rejected the query"):
        run_sync()
    with pytest.raises(BadInput, match="incorrect id format for abc"):
        parse_feed(bad["body"])

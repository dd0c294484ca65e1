"""READROOM_SANITY_URL: read a self-hosted arxiv-sanity-lite's paper list instead of the arXiv API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug import Request, Response

from discover.corpus import NEWEST, make_papers, sanity_lite_page
from readroom import config
from readroom.discover import index, sync
from readroom.errors import NetworkError
from readroom.sources import listings as sources


@pytest.fixture
def lite(httpserver, monkeypatch):
    papers = make_papers(230)
    calls: list[str] = []

    def front(request: Request) -> Response:
        calls.append(request.query_string.decode())
        page = int(request.args.get("page_number", 1))
        return Response(sanity_lite_page(papers[(page - 1) * 100:page * 100]), content_type="text/html")

    httpserver.expect_request("/").respond_with_handler(front)
    monkeypatch.setenv("READROOM_SANITY_URL", httpserver.url_for("/"))
    monkeypatch.setenv("READROOM_SANITY_DAYS", "3650")
    config.reload()
    return papers, calls


def test_the_paper_list_of_a_sanity_lite_instance_fills_the_index(lite):
    papers, calls = lite
    source = sources.listing()
    assert isinstance(source, sources.SanityLiteListing)
    result = sync.sync(source, now=NEWEST + timedelta(hours=1))
    assert result.new == 230 and result.complete
    assert calls == ["rank=time&page_number=1", "rank=time&page_number=2", "rank=time&page_number=3"]
    stored = index.papers([papers[0].arxiv_id])[papers[0].arxiv_id]
    assert stored.title == papers[0].title and stored.authors == papers[0].authors
    assert stored.categories[0] == papers[0].category
    papers[:0] = make_papers(5, seed=9, first_number=91000, newest=NEWEST + timedelta(days=1))
    calls.clear()
    assert sync.sync(sources.listing(), now=NEWEST + timedelta(days=1)).new == 5 and len(calls) == 1


def test_a_page_without_a_paper_list_is_a_clear_error(httpserver, monkeypatch):
    httpserver.expect_request("/").respond_with_data("<html>not sanity</html>", content_type="text/html")
    monkeypatch.setenv("READROOM_SANITY_URL", httpserver.url_for("/"))
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")
    config.reload()
    with pytest.raises(NetworkError, match="no paper list readroom can read"):
        sync.sync(sources.listing(), now=NEWEST)


def test_the_paper_list_is_read_even_with_tricky_strings():
    html = 'x <script>var papers = [{"id": "2604.00001", "title": "a ]; b", "summary": "};"}];\nvar tags = [];'
    assert sources.papers_in_page(html)[0]["title"] == "a ]; b"

"""Fixtures for Discover: a loopback arXiv listing of generated papers, and no Discover settings leaking in."""

from __future__ import annotations

import re

import pytest

from discover.corpus import Listing, make_papers
from readroom import config


@pytest.fixture(autouse=True)
def _no_discover_settings(monkeypatch):
    for var in ("READROOM_SANITY_CATEGORIES", "READROOM_SANITY_URL", "READROOM_SANITY_DAYS",
                "READROOM_SANITY_PAGE_SIZE", "READROOM_DISCOVER_CATEGORIES", "READROOM_DISCOVER_DAYS",
                "READROOM_DISCOVER_PAGE_SIZE"):
        monkeypatch.delenv(var, raising=False)
    config.reload()
    yield
    from readroom.discover import features

    features._memo.clear()
    from readroom.storage import db

    db.dispose_all()


@pytest.fixture
def listing(httpserver, monkeypatch) -> Listing:
    """250 generated papers, newest first, served as the arXiv API serves a category listing."""
    served = Listing(make_papers(250))
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_handler(served.api)
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("READROOM_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("READROOM_SANITY_PAGE_SIZE", "50")
    monkeypatch.setenv("READROOM_SANITY_DAYS", "3650")
    config.reload()
    return served

"""Fixtures every test shares: a temporary READROOM_HOME and the recorded material in ../shared."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from loopback import ArxivReplay, load_recordings
from readroom import clock, config

ROOT = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"

# Hypothesis: random on a developer's machine, so new inputs keep turning up bugs; in CI (CI=true) the same
# examples every run, so a build fails for the change it tests, not for a new seed, and a failure prints the blob
# that replays it. No example database there (a fresh checkout has none to reuse) and no deadline: a shared
# runner's load is no bug. HYPOTHESIS_PROFILE=ci replays CI's examples locally.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("1", "true") else "default"))


@pytest.fixture(autouse=True)
def readroom_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty READROOM_HOME and fresh settings (read again, none installed); no test sees real
    user data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READROOM_HOME", str(home))
    for var in ("READROOM_ARXIV_API", "READROOM_ARXIV_PDF", "READROOM_ARXIV_DELAY", "READROOM_MAX_PDF_MB",
                "READROOM_HTTP_TIMEOUT", "READROOM_HTTP_RETRIES", "READROOM_METADATA_DEADLINE", "READROOM_PDF_DEADLINE",
                "READROOM_MAX_METADATA_MB", "READROOM_DB_BUSY_TIMEOUT", "READROOM_DATABASE_URL",
                "READROOM_SANITY_CATEGORIES", "READROOM_SANITY_URL", "READROOM_SANITY_DAYS", "READROOM_SANITY_PAGE_SIZE",
                "READROOM_DISCOVER_CATEGORIES", "READROOM_DISCOVER_DAYS", "READROOM_DISCOVER_PAGE_SIZE",
                "READROOM_BACKUP_KEEP"):
        monkeypatch.delenv(var, raising=False)
    # No real network, and no waiting between loopback calls.
    monkeypatch.setenv("READROOM_ARXIV_API", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("READROOM_ARXIV_PDF", "http://127.0.0.1:9/pdf/")
    monkeypatch.setenv("READROOM_ARXIV_HTML", "http://127.0.0.1:9/html/")
    monkeypatch.setenv("READROOM_AR5IV_HTML", "http://127.0.0.1:9/ar5iv/")
    monkeypatch.setenv("READROOM_CROSSREF_API", "http://127.0.0.1:9/crossref")
    monkeypatch.setenv("READROOM_ARXIV_DELAY", "0")
    config.reload()
    yield home
    config.reload()
    clock.install(None)  # create_app may have installed a FixedClock


@pytest.fixture
def shared_fixtures() -> Path:
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"needs the recorded fixtures in {SHARED_FIXTURES} (../shared is absent in this checkout)")
    return SHARED_FIXTURES


# The ACL pair the tests were written against (S2ORC, then LONGEVAL); shared/ holds more papers beside them.
ACL_PAIR = ("2020.acl-main.447.pdf", "2023.eacl-main.121.pdf")


@pytest.fixture
def real_papers(shared_fixtures) -> list[Path]:
    papers = [shared_fixtures / "papers" / name for name in ACL_PAIR]
    if not all(p.is_file() for p in papers):
        pytest.skip(f"needs {' and '.join(ACL_PAIR)} in {shared_fixtures / 'papers'}")
    return papers


@pytest.fixture
def arxiv(httpserver, shared_fixtures, monkeypatch) -> Iterator[ArxivReplay]:
    papers = shared_fixtures / "papers"
    replay = ArxivReplay(
        load_recordings(shared_fixtures / "arxiv-api"),
        pdfs={"1605.08386v1": (papers / "2020.acl-main.447.pdf").read_bytes(),
              "1707.08567v1": (papers / "2023.eacl-main.121.pdf").read_bytes()},
    )
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_handler(replay.api)
    httpserver.expect_request(re.compile(r"^/pdf/")).respond_with_handler(replay.pdf)
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("READROOM_ARXIV_PDF", httpserver.url_for("/pdf/"))
    monkeypatch.setenv("READROOM_HTTP_TIMEOUT", "5")
    config.reload()
    yield replay
    replay.release.set()  # let the server's threads go from any fault still holding a connection

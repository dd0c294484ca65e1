"""The sync state's words: short enough for an 80-column header, whatever is pending."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from readroom.sync.status import SyncStatus, ago

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_the_line_names_what_is_pending():
    assert SyncStatus("http://s/", None, 0, 0, 0).line(NOW) == "never synced · nothing to send"
    last = NOW - timedelta(minutes=5)
    assert SyncStatus("http://s/", last, 2, 1, 1).line(NOW) == "synced 5 min ago · 2 new + 1 edited notes, 1 review to send"
    assert SyncStatus("http://s/", last, 0, 1, 3).pending() == "1 edited note, 3 reviews to send"


def test_ago_reads_in_the_largest_unit():
    assert [ago(NOW - d, NOW) for d in (timedelta(seconds=30), timedelta(minutes=59), timedelta(hours=3),
                                        timedelta(days=1), timedelta(days=40))] == \
        ["just now", "59 min ago", "3 h ago", "1 day ago", "40 days ago"]


@given(st.integers(0, 99_999), st.integers(0, 99_999), st.integers(0, 999_999), st.integers(0, 10**8))
def test_the_line_fits_the_room_it_is_given(new, edited, reviews, seconds):
    state = SyncStatus("http://s/", NOW - timedelta(seconds=seconds), new, edited, reviews)
    line = state.line(NOW, width=51)  # an 80-column header beside "readroom — "
    assert len(line) <= 51
    assert line == state.line(NOW) or line.endswith(f"{new + edited + reviews} changes to send")

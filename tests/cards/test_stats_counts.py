"""Cards by state as the stats count them (index ranges, the review cards as what the rest leave of the total,
buried cards from their own index) agree with each card's own status, whatever mix of states a library holds."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readroom import paths
from readroom.cards import service, stats
from readroom.config import ReviewConfig
from readroom.storage.sql import stored_time

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=timezone.utc)
# A card's columns: FSRS state, suspended, leech, buried until (hours from now; None: never buried).
CARD = st.tuples(st.integers(0, 3), st.booleans(), st.booleans(), st.none() | st.integers(-48, 48))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cards=st.lists(CARD, min_size=1, max_size=30))
def test_cards_by_state_match_each_cards_status(cards):
    made = [service.add_note("qa", f"q{i}", "a", now=NOW - timedelta(days=3))[0].id for i in range(len(cards))]
    with sqlite3.connect(paths.database_path()) as conn:
        listed = ",".join("?" * len(made))
        conn.execute(f"DELETE FROM card WHERE id NOT IN ({listed})", made)  # the cards of earlier examples
        conn.execute("DELETE FROM note WHERE id NOT IN (SELECT note_id FROM card)")
        conn.executemany(
            "UPDATE card SET state = ?, suspended = ?, leech = ?, buried_until = ? WHERE id = ?",
            [(state, suspended, leech, None if hours is None else stored_time(NOW + timedelta(hours=hours)), card)
             for card, (state, suspended, leech, hours) in zip(made, cards, strict=True)])
    want = Counter(card.status(NOW) for card in service.list_cards(now=NOW))
    got = stats.collect(NOW, ReviewConfig(timezone="UTC")).cards_by_state
    assert got == {name: want.get(name, 0) for name in stats.STATE_ORDER}

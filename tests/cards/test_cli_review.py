"""`readroom review` outside a terminal, and when the next card is due once the queue is empty."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

from readroom import cli
from readroom.cards import service
from readroom.cards.scheduler import EASY, GOOD
from readroom.config import ReviewConfig

UTC = timezone.utc
SETTINGS = ReviewConfig(fuzz=False, timezone="UTC", new_per_day=1)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOMORROW_4AM = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)


def test_review_without_a_terminal_exits_2_pointing_at_due(capsys):
    assert cli.main(["review"]) == 2  # pytest's stdin is not a terminal
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "needs a terminal" in err and "readroom due --json" in err


def test_review_in_a_pipe_runs_no_ui():
    done = subprocess.run([sys.executable, "-m", "readroom", "review"], input="", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "needs a terminal" in done.stderr and done.stdout == ""


def test_next_due_after_the_queue_is_empty():
    assert service.next_due(NOW, SETTINGS) is None  # no cards at all
    first, second = (service.add_note("qa", f"q{i}", "a", now=NOW)[0].id for i in range(2))
    assert service.next_due(NOW, SETTINGS) == TOMORROW_4AM  # new cards wait for tomorrow's limit
    service.answer(first, GOOD, NOW, settings=SETTINGS)  # learning, back in 10 minutes
    assert service.next_due(NOW, SETTINGS) == NOW + timedelta(minutes=10)
    service.answer(first, EASY, NOW + timedelta(minutes=10), settings=SETTINGS)
    service.set_suspended([second], True)
    due = service.get_card(first).due
    assert service.next_due(NOW + timedelta(minutes=10), SETTINGS) == due > TOMORROW_4AM

"""arXiv's one-request-per-3-seconds rule holds across processes (two `readroom add` in a row)."""

from __future__ import annotations

from readroom import paths
from readroom.sources.arxiv import wait_for_turn


class FakeClock:
    """Time that only moves when we sleep: the rule is about spacing, so no real waiting in tests."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_second_request_waits_for_the_rest_of_the_delay():
    clock = FakeClock(1000.0)
    wait_for_turn(3.0, sleep=clock.sleep, clock=clock.time)
    assert clock.slept == []  # first request ever: no wait
    clock.now += 1.0  # another process asks one second later
    wait_for_turn(3.0, sleep=clock.sleep, clock=clock.time)
    assert clock.slept == [2.0]
    clock.now += 5.0
    wait_for_turn(3.0, sleep=clock.sleep, clock=clock.time)
    assert clock.slept == [2.0]
    assert float((paths.home() / ".arxiv-last-request").read_text()) == clock.now


def test_a_stamp_from_the_future_or_garbage_never_blocks():
    stamp = paths.home() / ".arxiv-last-request"
    paths.home().mkdir(parents=True, exist_ok=True)
    clock = FakeClock(1000.0)
    stamp.write_text("99999999999")  # clock changed backwards: do not wait for years
    wait_for_turn(3.0, sleep=clock.sleep, clock=clock.time)
    stamp.write_text("not a number")
    wait_for_turn(3.0, sleep=clock.sleep, clock=clock.time)
    assert clock.slept == []


def test_no_delay_means_no_stamp():
    wait_for_turn(0, sleep=lambda s: None)
    assert not (paths.home() / ".arxiv-last-request").exists()

"""A card answered in readroom and on the phone between two syncs: both logs kept, the state replayed through
readroom's scheduler, and the phone given that state."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from readroom import config, paths
from readroom.cards import service
from readroom.cards.scheduler import AGAIN, GOOD
from readroom.sync import service as sync_service

QUEUE_SUSPENDED = -1  # Anki's card queue


def _sync():
    def no_prompt() -> str:
        raise AssertionError("asked for a password the environment holds")

    return sync_service.sync(no_prompt, datetime.now(timezone.utc))


def test_answers_on_both_sides_are_merged_and_replayed(phone):
    card = service.add_note("qa", "What does a residual block add?", "its input",
                            now=datetime.now(timezone.utc) - timedelta(days=3))[0]
    guid = service.get_card(card.id).note_uuid
    # a common history first: two answers in readroom, synced to the phone
    start = datetime.now(timezone.utc) - timedelta(days=2)
    service.answer(card.id, GOOD, start)
    service.answer(card.id, GOOD, start + timedelta(minutes=10))
    _sync()
    phone.sync()
    common = service.get_card(card.id)

    # then, between two syncs, an answer on each side: readroom's first, the phone's (a lapse) after it
    here = datetime.now(timezone.utc) - timedelta(hours=1)
    service.answer(card.id, GOOD, here)
    phone.answer(phone.card_of(guid), AGAIN)
    phone.sync()
    [there_ms] = phone.col.db.list("SELECT id FROM revlog WHERE cid = ? AND ease = ?", phone.card_of(guid).id, AGAIN)
    there = datetime.fromtimestamp(there_ms // 1000, timezone.utc)

    report = _sync()
    assert (report.pulled_reviews, report.pushed_reviews) == (1, 1)
    history = [(r, at) for c, r, at, _ms in service.review_history() if c == card.id]
    assert [r for r, _at in history] == [GOOD, GOOD, GOOD, AGAIN]
    assert history[-2:] == [(GOOD, here.replace(microsecond=0)), (AGAIN, there)]
    steps, lapses = service.replay(common.uuid, common.memory, [(GOOD, here), (AGAIN, there)],
                                   config.load().review, reps=common.reps)
    ours = service.get_card(card.id)
    assert ours.memory == steps[-1][1]
    assert (ours.reps, ours.lapses) == (4, common.lapses + lapses) == (4, 1)

    phone.sync()  # the phone takes the replayed state, and keeps its own answer
    theirs = phone.card_of(guid)
    assert (theirs.reps, theirs.lapses) == (4, 1)
    assert theirs.memory_state.stability == pytest.approx(ours.memory.stability, abs=1e-3)
    assert phone.col.db.list("SELECT ease FROM revlog WHERE cid = ? ORDER BY id", theirs.id) == [
        GOOD, GOOD, GOOD, AGAIN]
    assert _sync().pulled_reviews == 0


def test_a_lapse_on_the_phone_that_makes_a_leech_in_the_replay_suspends_the_card_on_both_sides(phone):
    card = service.add_note("qa", "What does batch norm normalise over?", "the batch",
                            now=datetime.now(timezone.utc) - timedelta(days=3))[0]
    guid = service.get_card(card.id).note_uuid
    start = datetime.now(timezone.utc) - timedelta(days=2)
    service.answer(card.id, GOOD, start)
    service.answer(card.id, GOOD, start + timedelta(minutes=10))
    _sync()
    phone.sync()
    # readroom's threshold drops after the phone took its preset: on the phone the lapse is no leech
    paths.config_path().write_text("[review]\nleech_threshold = 1\n", encoding="utf-8")
    config.reload()

    service.answer(card.id, GOOD, datetime.now(timezone.utc) - timedelta(hours=1))
    phone.answer(phone.card_of(guid), AGAIN)
    phone.sync()
    assert phone.card_of(guid).queue != QUEUE_SUSPENDED

    report = _sync()
    assert (report.pulled_reviews, report.pushed_suspensions) == (1, 1)
    ours = service.get_card(card.id)
    assert (ours.lapses, ours.leech, ours.suspended) == (1, True, True)
    assert service.LEECH_TAG in ours.tags
    phone.sync()
    assert phone.card_of(guid).queue == QUEUE_SUSPENDED
    assert _sync() == sync_service.SyncReport()

"""Suspensions, buries and deletions travel both ways in `readroom sync`; readroom's preset leaves a user's FSRS
setting alone."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from readroom.cards import service
from readroom.cards.scheduler import GOOD
from readroom.errors import NotFound
from readroom.sync.service import SyncReport
from sync.test_sync import _add_on_phone, _cli, _note, _sync


def _queue(phone, guid: str) -> int:
    return phone.card_of(guid).queue


def _both_have(phone, front: str):
    """A note made in readroom, synced to the phone."""
    card, guid = _note(front)
    _sync()
    phone.sync()
    return card, guid


def test_a_suspension_in_readroom_reaches_the_phone_and_back_again(phone):
    card, guid = _both_have(phone, "Suspend me?")
    service.set_suspended([card.id])
    result = _cli("--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pushed_suspensions"] == 1
    phone.sync()
    assert _queue(phone, guid) == -1
    assert _sync() == SyncReport()

    service.set_suspended([card.id], False)
    assert _sync().pushed_suspensions == 1
    phone.sync()
    assert _queue(phone, guid) == 0  # a new card's own queue again


def test_a_suspension_and_a_bury_on_the_phone_come_back(phone):
    card, guid = _both_have(phone, "Suspended there?")
    other, other_guid = _both_have(phone, "Buried there?")
    phone.col.sched.suspend_cards([phone.card_of(guid).id])
    phone.col.sched.bury_cards([phone.card_of(other_guid).id], manual=True)
    phone.sync()

    report = _sync()
    assert (report.pulled_suspensions, report.pulled_buries) == (1, 1)
    assert (report.pushed_suspensions, report.pushed_buries) == (0, 0)
    assert service.get_card(card.id).suspended
    buried = service.get_card(other.id)
    assert not buried.suspended and buried.buried_until > datetime.now(timezone.utc)
    assert other.id not in service.today_queue(datetime.now(timezone.utc)).cards()
    assert _sync() == SyncReport()

    phone.col.sched.unsuspend_cards([phone.card_of(guid).id])
    phone.sync()
    assert _sync().pulled_suspensions == 1
    assert not service.get_card(card.id).suspended


def test_a_bury_in_readroom_reaches_the_phone(phone):
    card, guid = _both_have(phone, "Bury me?")
    service.bury([card.id], datetime.now(timezone.utc))
    assert _sync().pushed_buries == 1
    phone.sync()
    assert _queue(phone, guid) == -3
    assert phone.card_of(guid).id not in [c.card.id for c in phone.col.sched.get_queued_cards(fetch_limit=10).cards]


def test_changed_on_both_sides_readroom_wins(phone):
    card, guid = _both_have(phone, "Both?")
    phone.col.sched.bury_cards([phone.card_of(guid).id], manual=True)
    phone.sync()
    service.set_suspended([card.id])
    report = _sync()
    assert report.pushed_suspensions == 1 and report.pulled_buries == 0
    phone.sync()
    assert _queue(phone, guid) == -1 and service.get_card(card.id).suspended


def test_a_note_deleted_in_readroom_leaves_the_phone(phone):
    card, guid = _both_have(phone, "Delete me?")
    kept, kept_guid = _both_have(phone, "Keep me?")
    _add_on_phone(phone, "the user's own")
    phone.sync()
    service.delete_note(service.get_card(card.id).note_id)
    report = _sync()
    assert report.pushed_deletions == 1
    phone.sync()
    assert phone.col.db.scalar("SELECT count() FROM notes WHERE guid = ?", guid) == 0
    assert phone.card_of(kept_guid) and phone.col.find_cards('"the user\'s own"')
    assert _sync() == SyncReport()


def test_a_note_deleted_on_the_phone_is_deleted_in_readroom(phone):
    card, guid = _both_have(phone, "Deleted there?")
    kept, _kept_guid = _both_have(phone, "Still here?")
    phone.col.remove_notes([phone.card_of(guid).nid])
    phone.sync()
    report = _sync()
    assert report.pulled_deletions == 1 and report.pushed_notes == 0
    with pytest.raises(NotFound):
        service.get_card(card.id)
    assert service.get_card(kept.id)
    assert _sync() == SyncReport()


def test_a_note_deleted_on_the_phone_but_answered_in_readroom_since_goes_back(phone):
    card, guid = _both_have(phone, "Still studying this?")
    phone.col.remove_notes([phone.card_of(guid).nid])
    phone.sync()
    service.answer(card.id, GOOD, datetime.now(timezone.utc), elapsed_ms=1000)
    report = _sync()
    assert report.pulled_deletions == 0 and report.pushed_notes == 1
    assert service.get_card(card.id).reps == 1
    phone.sync()
    theirs = phone.card_of(guid)
    assert theirs.note().fields[0] == "Still studying this?" and theirs.reps == 1


def test_a_note_edited_on_the_phone_after_readroom_deleted_it_stays_there(phone):
    card, guid = _both_have(phone, "Edited there?")
    note = phone.card_of(guid).note()
    note["Front"] = "Edited on the phone"
    phone.col.update_note(note)
    phone.sync()
    service.delete_note(service.get_card(card.id).note_id)
    assert _sync().pushed_deletions == 0
    phone.sync()
    assert phone.card_of(guid).note().fields[0] == "Edited on the phone"
    assert _sync() == SyncReport()


def test_a_collection_with_fsrs_off_keeps_it_off_and_reviews_still_get_a_memory_state(phone):
    phone.col.set_config("fsrs", False)
    _add_on_phone(phone, "the user's own card")
    phone.sync()
    card, guid = _note("FSRS off there?")

    report = _sync()
    assert report.full == "download" and report.fsrs_kept_off
    assert "turn on FSRS in Anki's deck options" in report.message().splitlines()[1]
    phone.sync()
    assert not phone.col.get_config("fsrs", False)
    phone.answer(phone.card_of(guid), 3)
    phone.answer(phone.card_of(guid), 3)
    phone.sync()
    assert phone.card_of(guid).memory_state is None  # Anki kept none

    again = _sync()
    assert again.pulled_reviews == 2 and not again.fsrs_kept_off
    ours = service.get_card(card.id)
    assert ours.memory.stability > 0 and 1 <= ours.memory.difficulty <= 10
    assert ours.reps == 2
    # the phone's schedule stays the phone's
    assert phone.card_of(guid).type == ours.memory.state

"""`readroom sync` against the real Anki sync server, with a second collection as the phone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from readroom import config
from readroom.cards import service
from readroom.cards.scheduler import GOOD, REVIEW, study_day
from readroom.sync import service as sync_service
from readroom.sync.service import SyncReport
from sync.conftest import FULL_SYNC, PASSWORD, free_port


def _sync(**flags) -> SyncReport:
    def no_prompt() -> str:
        raise AssertionError("asked for a password the environment holds")

    return sync_service.sync(no_prompt, datetime.now(timezone.utc), **flags)


def _cli(*argv: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", "sync", *argv], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env}, stdin=subprocess.DEVNULL)


def _note(front: str, now: datetime | None = None):
    card = service.add_note("qa", front, "an answer", now=now or datetime.now(timezone.utc) - timedelta(days=1))[0]
    return card, service.get_card(card.id).note_uuid


def test_a_card_made_in_readroom_reaches_the_phone(phone, readroom_home):
    card, guid = _note("What does a residual block add?")
    result = _cli("--json")
    assert result.returncode == 0, result.stderr
    assert '"pushed_notes": 1' in result.stdout and '"pushed_cards": 1' in result.stdout
    phone.sync()
    on_phone = phone.card_of(guid)
    assert on_phone.note().fields[0] == "What does a residual block add?"
    assert phone.col.decks.name(on_phone.did).startswith("readroom")
    # the session key is kept for the user alone, and the password nowhere
    key = readroom_home / "anki" / "sync-key.json"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert PASSWORD not in key.read_text()


def test_a_phone_review_comes_back_with_its_log_row_and_state(phone):
    card, guid = _note("Why batch norm?")
    _sync()
    phone.sync()
    on_phone = phone.card_of(guid)
    phone.answer(on_phone, 3)
    phone.answer(phone.card_of(guid), 3)  # past the learning steps
    phone.sync()

    report = _sync()
    assert report.pulled_reviews == 2
    ours = service.get_card(card.id)
    theirs = phone.card_of(guid)
    assert ours.memory.state == theirs.type == REVIEW
    assert ours.reps == theirs.reps == 2
    assert ours.memory.stability == pytest.approx(theirs.memory_state.stability, abs=1e-3)
    assert ours.memory.difficulty == pytest.approx(theirs.memory_state.difficulty, abs=1e-3)
    settings = config.load().review
    days_ahead = (study_day(ours.memory.due, settings.zone(), settings.day_starts_at)[0]
                  - study_day(datetime.now(timezone.utc), settings.zone(), settings.day_starts_at)[0]).days
    assert days_ahead == theirs.due - phone.col.sched.today
    history = [(c, rating) for c, rating, _at, _ms in service.review_history() if c == card.id]
    assert history == [(card.id, GOOD), (card.id, GOOD)]

    again = _sync()
    assert again == SyncReport()
    assert again.message() == "In sync: nothing to send or fetch."


def test_a_readroom_review_reaches_the_phone(phone):
    card, guid = _note("What is dropout?")
    _sync()
    service.answer(card.id, GOOD, datetime.now(timezone.utc) - timedelta(hours=2), elapsed_ms=3000)
    report = _sync()
    assert (report.pushed_notes, report.pushed_cards, report.pushed_reviews) == (0, 1, 1)
    phone.sync()
    theirs = phone.card_of(guid)
    assert phone.col.db.list("SELECT ease FROM revlog WHERE cid = ?", theirs.id) == [GOOD]
    assert theirs.reps == 1
    assert _sync() == SyncReport()


def _add_on_phone(phone, front: str) -> None:
    note = phone.col.new_note(phone.col.models.by_name("Basic"))
    note["Front"], note["Back"] = front, "kept"
    phone.col.add_note(note, phone.col.decks.id("Spanish"))


def test_the_first_sync_merges_readroom_into_the_collection_already_there(phone):
    _add_on_phone(phone, "the user's own card")
    phone.sync()  # uploads: the server had nothing
    _card, guid = _note("Attention is all you need?")

    report = _sync()
    assert report.full == "download" and report.pushed_cards == 1
    phone.sync()
    assert phone.card_of(guid).note().fields[0] == "Attention is all you need?"
    assert phone.col.find_cards('"deck:Spanish"') and phone.col.note_count() == 2


def test_a_full_sync_is_never_chosen_silently(phone):
    _card, guid = _note("Q1")
    _sync()
    phone.sync()
    phone.col.mod_schema(check=False)  # the phone forces a full sync ("Upload to AnkiWeb" in its settings)
    _add_on_phone(phone, "made after")
    assert phone.sync(upload=True) == FULL_SYNC
    result = _cli()
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--download" in result.stderr
    assert _sync(download=True).full == "download"
    phone.sync()  # the phone's note made before its upload is kept, and readroom's card is there
    assert phone.col.find_cards('"made after"') and phone.card_of(guid).note().fields[0] == "Q1"
    assert _sync() == SyncReport()


def test_a_wrong_password_is_one_line(synced):
    _note("Q")
    result = _cli(READROOM_SYNC_PASSWORD="not it")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "a wrong user name, or READROOM_SYNC_PASSWORD holds a wrong password" in result.stderr


def test_a_server_down_is_one_line(synced, readroom_home):
    _card, guid = _note("Q")
    result = _cli(READROOM_SYNC_URL=f"http://127.0.0.1:{free_port()}/")
    assert result.returncode == 4
    assert len(result.stderr.strip().splitlines()) == 1 and "Cannot reach the sync server" in result.stderr
    assert service.list_cards()  # nothing lost


def test_without_the_anki_package_one_line(synced):
    probe = "import sys; sys.modules['anki'] = None; from readroom import cli; sys.exit(cli.main(['sync']))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "readroom: Syncing needs the Anki backend: pip install 'readroom[sync]'."


def test_an_edit_in_readroom_reaches_the_phone_and_keeps_its_schedule(phone):
    card, guid = _note("Old question?")
    _sync()
    phone.sync()
    phone.answer(phone.card_of(guid), 3)
    phone.sync()
    _sync()  # the phone's review comes back
    service.edit_note(service.get_card(card.id).note_id, front="New question?", now=datetime.now(timezone.utc))
    report = _sync()
    assert (report.pushed_notes, report.pulled_reviews) == (1, 0)
    phone.sync()
    theirs = phone.card_of(guid)
    assert theirs.note().fields[0] == "New question?"
    assert (theirs.reps, phone.col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", theirs.id)) == (1, 1)


def test_without_a_server_set_one_line(monkeypatch):
    for var in ("READROOM_SYNC_URL", "READROOM_SYNC_USER"):
        monkeypatch.delenv(var, raising=False)
    result = _cli()
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "[sync] url and user" in result.stderr


def test_a_cloze_that_gains_a_number_sends_the_new_card(phone):
    card = service.add_note("cloze", "{{c1::ResNet}} adds the input", now=datetime.now(timezone.utc))[0]
    _sync()
    note_id = service.get_card(card.id).note_id
    service.edit_note(note_id, front="{{c1::ResNet}} adds {{c2::the input}}", now=datetime.now(timezone.utc))
    report = _sync()
    assert (report.pushed_notes, report.pushed_cards) == (1, 1)
    phone.sync()
    guid = service.get_card(card.id).note_uuid
    note_id_there = phone.col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
    assert len(phone.col.card_ids_of_note(note_id_there)) == 2


def test_a_card_answered_on_both_sides_keeps_both_logs(phone):
    card, guid = _note("Both sides?")
    _sync()
    phone.sync()
    phone.answer(phone.card_of(guid), 3)
    phone.sync()
    service.answer(card.id, GOOD, datetime.now(timezone.utc) - timedelta(minutes=30), elapsed_ms=2000)

    report = _sync()
    assert (report.pulled_reviews, report.pushed_reviews) == (1, 1)
    phone.sync()
    theirs = phone.card_of(guid)
    assert len([r for r in service.review_history() if r[0] == card.id]) == 2
    assert phone.col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", theirs.id) == 2
    assert service.get_card(card.id).reps == theirs.reps  # the state Anki computed
    assert _sync() == SyncReport()

"""`y` in the app against the real Anki sync server: progress, the result as one notice, the password and the
full-sync choice in dialogs, failures as one line, and the header's sync state line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from textual.widgets import Static

from readroom import config
from readroom.cards import service
from readroom.cards.scheduler import GOOD
from readroom.sync import service as sync_service
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.sync_dialog import FullSyncDialog, PasswordDialog
from sync.conftest import PASSWORD, free_port
from tui.test_library_screen import loaded, messages, wait_until

SIZE = (80, 24)


def _note(front: str):
    card = service.add_note("qa", front, "an answer", now=datetime.now(timezone.utc) - timedelta(days=1))[0]
    return card, service.get_card(card.id).note_uuid


def _sync() -> sync_service.SyncReport:
    return sync_service.sync(lambda: PASSWORD, datetime.now(timezone.utc))


def _header(app) -> str:
    return app.screen.sub_title or ""


async def _said(pilot, start: str, severity: str | None = None) -> str:
    found = lambda: [m for m in messages(pilot.app, severity) if m.startswith(start)]
    await wait_until(pilot, found, timeout=60)
    return found()[-1]


def _one_line(text: str) -> bool:
    return "\n" not in text and "Traceback" not in text


async def test_y_syncs_shows_the_result_and_the_state_line_follows(phone, synced):
    card, guid = _note("What does a residual block add?")
    service.answer(card.id, GOOD, datetime.now(timezone.utc) - timedelta(hours=2), elapsed_ms=3000)
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        library = await loaded(pilot)
        await wait_until(pilot, lambda: "never synced" in _header(app))
        assert _header(app) == "never synced · 1 new note, 1 review to send"  # no room for "· y syncs" at 80
        lines: list[str | None] = []
        library.watch(library, "sub_title", lambda line: lines.append(line))
        await pilot.press("y")
        assert await _said(pilot, "Syncing with") == f"Syncing with {synced.removesuffix('/')}…"
        report = await _said(pilot, "Synced: ")
        assert report.startswith("Synced: sent 1 note, 1 card and 1 review.") and _one_line(report)
        await wait_until(pilot, lambda: _header(app).startswith("synced just now"))
        assert _header(app) == "synced just now · nothing to send · y syncs"
        assert f"syncing with {synced.removesuffix('/')}…" in lines  # the progress line while it ran

        service.add_note("qa", "Made after the sync?", "yes", now=datetime.now(timezone.utc) + timedelta(seconds=2))
        await pilot.press("r")  # reload: the line counts what is new since
        await wait_until(pilot, lambda: "1 new note to send" in _header(app))
    phone.sync()
    assert phone.card_of(guid).note().fields[0] == "What does a residual block add?"


async def test_the_password_is_asked_in_a_dialog_and_never_shown(synced, readroom_home, monkeypatch):
    monkeypatch.delenv("READROOM_SYNC_PASSWORD")
    _note("Q?")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PasswordDialog))
        await pilot.press(*PASSWORD)
        assert PASSWORD not in app.export_screenshot()
        await pilot.press("enter")
        assert (await _said(pilot, "Synced: ")).startswith("Synced: sent 1 note and 1 card.")
    key = (readroom_home / "anki" / "sync-key.json").read_text()
    assert PASSWORD not in key


async def test_a_wrong_password_is_one_line_and_cancel_stops(synced, monkeypatch):
    monkeypatch.delenv("READROOM_SYNC_PASSWORD")
    _note("Q?")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PasswordDialog))
        await pilot.press(*"not it", "enter")
        error = await _said(pilot, "The sync server at", "error")
        assert "wrong user name or password; the next sync asks for it again" in error and _one_line(error)
        assert "readroom sync" not in error  # worded for the app too
        await wait_until(pilot, lambda: app.sync_activity is None)

        await pilot.press("y")  # asked again (no key was kept); escape gives up before anything moved
        await wait_until(pilot, lambda: isinstance(app.screen, PasswordDialog))
        await pilot.press("escape")
        assert "nothing moved" in await _said(pilot, "Sync cancelled", "warning")
        assert "never synced" in _header(app)


async def test_a_server_down_is_one_line(synced, monkeypatch):
    monkeypatch.setenv("READROOM_SYNC_URL", f"http://127.0.0.1:{free_port()}/")
    config.reload()
    _note("Q?")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("y")
        error = await _said(pilot, "Cannot reach the sync server", "error")
        assert _one_line(error)
        await wait_until(pilot, lambda: app.sync_activity is None)
        assert "never synced · 1 new note to send" in _header(app)
    assert service.list_cards()


async def test_without_a_server_y_says_how_to_set_one(monkeypatch):
    for var in ("READROOM_SYNC_URL", "READROOM_SYNC_USER"):
        monkeypatch.delenv(var, raising=False)
    config.reload()
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert _header(app) == ""  # no sync line for those who do not sync
        await pilot.press("y")
        said = await _said(pilot, "Say which sync server to use", "warning")
        assert "[sync] url" in said and _one_line(said)


async def test_a_full_sync_is_asked_in_a_dialog(phone):
    from sync.test_sync import _add_on_phone, _sync

    _card, guid = _note("Q1")
    _sync()
    phone.sync()
    phone.col.mod_schema(check=False)  # the phone forces a full sync
    _add_on_phone(phone, "made after")
    phone.sync(upload=True)
    _note("Q2")  # and readroom changed too
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, FullSyncDialog), timeout=60)
        await pilot.press("d")
        said = await _said(pilot, "Synced: ")
        assert "downloaded" in said
    phone.sync()
    assert phone.col.find_cards('"made after"') and phone.card_of(guid).note().fields[0] == "Q1"


async def test_y_at_done_for_today_syncs_and_the_summary_follows(phone, synced):
    card, guid = _note("Answered on the phone?")
    now = datetime.now(timezone.utc)
    service.answer(card.id, GOOD, now - timedelta(hours=1))
    service.answer(card.id, GOOD, now - timedelta(minutes=50))  # in review: due in days
    _sync()
    phone.sync()
    phone.answer(phone.card_of(guid), 1)  # a lapse there: due again within minutes
    phone.sync()
    app = ReadroomApp(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#review-done") and app.screen.query_one("#review-done")
                         .display)
        summary = lambda: str(app.screen.query_one("#review-summary", Static).render())
        assert "The next card is due" in summary() and "today at" not in summary()
        await pilot.press("y")
        assert (await _said(pilot, "Synced: ")) == "Synced: fetched 1 review made elsewhere."
        await wait_until(pilot, lambda: "The next card is due today at" in summary())
        await pilot.press("y")
        assert await _said(pilot, "In sync") == "In sync: nothing to send or fetch."


def test_sync_status_prints_the_same_state(synced):
    _note("Q?")
    run = lambda *a: subprocess.run([sys.executable, "-m", "readroom", "sync", *a], capture_output=True, text=True,
                                    timeout=120, env=dict(os.environ), stdin=subprocess.DEVNULL)
    before = run("--status")
    assert before.returncode == 0, before.stderr
    assert before.stdout.strip() == f"{synced}: never synced · 1 new note to send."
    assert run().returncode == 0
    after = run("--status", "--json")
    assert '"new_notes": 0' in after.stdout and '"last_sync": "' in after.stdout


async def test_the_palette_offers_the_sync():
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "your own Anki sync server" in commands["Sync"]

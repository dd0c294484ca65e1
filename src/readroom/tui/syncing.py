"""`y`: `readroom sync` from the app. The sync runs on a thread while the app shows "Syncing with …" (the library's
header line follows `ReadroomApp.sync_activity`); the password, when none is kept, and the way a full sync goes
are asked in dialogs; the outcome is one notice."""

from __future__ import annotations

import asyncio
import concurrent.futures

from textual.app import App

from readroom import clock, config
from readroom.errors import ReadroomError
from readroom.terminal import excerpt


class _Cancelled(Exception):
    """The user closed the password dialog: the sync stops before anything moved."""


async def run_sync(app: App) -> None:
    """One sync, in an async worker of `app` (which has `sync_activity` and `library_version`); never raises."""
    from readroom.sync import service, session

    try:
        settings = config.load().sync
        server = session.endpoint(settings)
    except ReadroomError as exc:  # no server set: the line says how to set one
        app.notify(exc.message, severity="warning", markup=False, timeout=10)
        return
    shown = excerpt(server.removesuffix("/"))
    app.notify(f"Syncing with {shown}…", timeout=3)
    report = await _sync_once(app, shown, settings.user)
    if report is _FULL:
        from readroom.tui.screens.sync_dialog import FullSyncDialog

        way = await app.push_screen_wait(FullSyncDialog(shown))
        if way is None:
            app.notify("Full sync cancelled: nothing moved; press y to be asked again.", severity="warning")
            return
        report = await _sync_once(app, shown, settings.user, way)
    if isinstance(report, service.SyncReport):
        app.notify(report.message(), timeout=10)


_FULL = object()  # _sync_once's answer when the server asks for a full sync


async def _sync_once(app: App, shown: str, user: str, full: str | None = None):
    """The sync on a thread, with the progress line up meanwhile; the SyncReport, _FULL, or None after a failure
    (notified)."""
    from readroom.sync import service
    from readroom.tui.app import describe_unexpected

    app.sync_activity = f"syncing with {shown}…"  # type: ignore[attr-defined]
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.to_thread(service.sync, lambda: _ask_password(app, loop, shown, user), clock.now(),
                                       upload=full == "upload", download=full == "download")
    except _Cancelled:
        app.notify("Sync cancelled: no password given, nothing moved.", severity="warning")
    except service.FullSyncRequired as exc:
        # the question comes worded for the CLI's flags: the app asks it in a dialog instead
        if full is None:
            return _FULL
        app.notify(exc.message, severity="error", markup=False, timeout=15)
    except ReadroomError as exc:  # the server down, a locked library: one line
        app.notify(exc.message, severity="error", markup=False, timeout=15)
    except Exception as exc:  # a bug must not take the app down; say what it was
        app.notify(describe_unexpected(exc), severity="error", markup=False, timeout=15)
    finally:
        app.sync_activity = None  # type: ignore[attr-defined]
        app.library_version += 1  # type: ignore[attr-defined]  # pulled reviews change the cards' counts
    return None


def _ask_password(app: App, loop: asyncio.AbstractEventLoop, server: str, user: str) -> str:
    """On the sync's thread: the password from a dialog on the app's loop. Gives up if the app closes meanwhile."""
    from readroom.tui.screens.sync_dialog import PasswordDialog

    answer: concurrent.futures.Future[str | None] = concurrent.futures.Future()
    loop.call_soon_threadsafe(lambda: app.push_screen(PasswordDialog(server, user), answer.set_result))
    while True:
        try:
            password = answer.result(timeout=0.5)
            break
        except concurrent.futures.TimeoutError:
            if not app.is_running:
                raise _Cancelled from None
    if password is None:
        raise _Cancelled
    return password

"""The reader's database writes, off the UI thread and in the order they were made.

One worker thread rather than a Textual worker per write: a tick followed by an untick, or two autosaves of
the same note, must land in order, and the first highlight or card write pays for importing SQLModel (~0.7 s).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from readroom import reading
from readroom.errors import ReadroomError

log = logging.getLogger(__name__)


class WriteQueue:
    def __init__(self, on_error: Callable[[str], None]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-writes")
        self._on_error = on_error  # called on the worker thread; the screen hops back to the UI thread
        self._last: Future | None = None

    def submit(self, write: Callable[..., object], *args, then: Callable[[object], None] | None = None) -> Future:
        def run():
            try:
                result = write(*args)
            except ReadroomError as exc:
                self._on_error(exc.message)
                return None
            except Exception as exc:  # a bug must not take the reader down with the user's notes
                log.exception("reader write failed")
                self._on_error(f"Could not save: {exc}")
                return None
            if then is not None:
                then(result)
            return result

        self._last = self._pool.submit(run)
        return self._last

    def warm(self) -> None:
        """Import the storage layer now, so the first highlight is not the one that waits for it."""
        self._pool.submit(reading.warm)

    def wait(self, timeout: float | None = 10.0) -> None:
        """Block until every write so far is done (on leaving: nothing may be lost)."""
        if self._last is not None:
            try:
                self._last.result(timeout)
            except Exception:  # errors were reported by run(); a timeout leaves the thread to finish
                pass

    def close(self) -> None:
        self._pool.shutdown(wait=True)

"""Read the library while Textual is still importing, so the first frame already shows the papers.

Importing Textual takes ~0.25 s; reading 1,000 papers and their reading states ~30 ms, mostly inside SQLite
with the GIL released. `readroom` (no arguments) calls start() before it imports the app; the library screen
takes the result if there is one, else loads in a worker as usual. No Textual import here.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

_pending: Future | None = None


def _read():
    from readroom.tui.paper_rows import read_rows

    return read_rows()


def start() -> None:
    global _pending
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readroom-preload")
    _pending = pool.submit(_read)
    pool.shutdown(wait=False)


def take() -> Future | None:
    """The preloaded rows (a Future: it may still be running, or hold a ReadroomError), once only."""
    global _pending
    pending, _pending = _pending, None
    return pending

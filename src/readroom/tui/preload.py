"""Read the library while Textual is still importing, so the first frame already shows the papers.

Importing Textual takes ~0.25 s; reading 1,000 papers and their reading states ~30 ms, mostly inside SQLite
with the GIL released. `readroom` (no arguments) calls start() before it imports the app; the library screen
takes the result if there is one, else loads in a worker as usual. No Textual import here.

Start-up also holds the garbage collector: importing Textual and building the first screen allocate a few
hundred thousand objects, which nearly all live as long as the app, and ~40 ms of collections scanning them
would delay the first frame. After that frame `settle()` moves them out of the collector's way (gc.freeze:
later full collections, e.g. while a paper opens, no longer walk them) and turns collection back on.
"""

from __future__ import annotations

import gc
from concurrent.futures import Future, ThreadPoolExecutor

_pending: Future | None = None


def _read():
    from readroom.tui.screens.library_rows import read_rows

    return read_rows()


def start() -> None:
    global _pending
    gc.disable()  # until settle(), after the first frame
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readroom-preload")
    _pending = pool.submit(_read)
    pool.shutdown(wait=False)


def take() -> Future | None:
    """The preloaded rows (a Future: it may still be running, or hold a ReadroomError), once only."""
    global _pending
    pending, _pending = _pending, None
    return pending


def settle() -> None:
    """After the first frame: what start-up built is long-lived; freeze it and collect as usual from here on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()

"""`readroom sync` against the real Anki sync server on loopback, with a second collection as the phone.

Goals (issue 16): a sync with nothing to do < 1 s; pushing 1,000 new cards < 3 s; pulling 1,000 phone reviews
< 3 s; the first sync of a 10k-card library < 15 s.

    /work/main/.venv/bin/python benchmarks/bench_sync.py [--cards 10000] [--logs 30000]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _common import fresh_home
from bench_export import seed

USER, PASSWORD = "bench", "bench"


def start_server(base: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SYNC_USER1": f"{USER}:{PASSWORD}", "SYNC_HOST": "127.0.0.1", "SYNC_PORT": str(port),
           "SYNC_BASE": str(base)}
    server = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    while True:
        try:
            urllib.request.urlopen(url + "health", timeout=1).close()
            return server, url
        except OSError:
            time.sleep(0.05)


def timed_sync(label: str) -> dict:
    from readroom.sync import service

    start = time.perf_counter()
    report = service.sync(lambda: PASSWORD, datetime.now(timezone.utc))
    took = time.perf_counter() - start
    print(f"{label:<34} {took:7.2f} s  {report.to_json()}")
    return report.to_json()


def phone_sync(col, auth) -> None:
    out = col.sync_collection(auth, False)
    if out.required in (out.FULL_SYNC, out.FULL_DOWNLOAD, out.FULL_UPLOAD):
        col.close_for_full_sync()
        col.full_upload_or_download(auth=auth, server_usn=None, upload=out.required == out.FULL_UPLOAD)
        col.reopen(after_full_sync=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1000, help="cards in the library for the first sync")
    parser.add_argument("--logs", type=int, default=3000, help="readroom answers among them")
    parser.add_argument("--new", type=int, default=1000, help="new cards pushed after the first sync")
    parser.add_argument("--reviews", type=int, default=1000, help="phone reviews pulled")
    args = parser.parse_args()

    from anki.collection import Collection

    from readroom import config
    from readroom.cards import service

    fresh_home()
    work = Path(tempfile.mkdtemp(prefix="readroom-bench-sync-"))
    server, url = start_server(work / "server")
    os.environ.update(READROOM_SYNC_URL=url, READROOM_SYNC_USER=USER, READROOM_SYNC_PASSWORD=PASSWORD)
    config.reload()
    try:
        seed(args.cards, max(1, args.cards // 20), args.logs, random.Random(16))
        timed_sync(f"first sync, {args.cards} cards")
        timed_sync("nothing to do")
        timed_sync("nothing to do, again")

        now = datetime.now(timezone.utc) - timedelta(hours=1)
        for i in range(args.new):
            service.add_note("qa", f"new question {i}", "answer", now=now)
        timed_sync(f"push {args.new} new cards")

        (work / "phone").mkdir()
        phone = Collection(str(work / "phone" / "collection.anki2"))
        auth = phone.sync_login(USER, PASSWORD, url)
        phone_sync(phone, auth)
        start = time.perf_counter()
        for cid in phone.find_cards("is:new")[:args.reviews]:
            card = phone.get_card(cid)
            card.start_timer()
            phone.sched.answerCard(card, 3)
        phone_sync(phone, auth)
        print(f"{'(phone: answer and sync)':<34} {time.perf_counter() - start:7.2f} s")
        phone.close()
        timed_sync(f"pull {args.reviews} phone reviews")
        timed_sync("nothing to do, after")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

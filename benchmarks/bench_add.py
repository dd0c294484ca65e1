"""`readroom add ID` end to end against a loopback arXiv (recorded API answer + a real 15-page PDF).

Targets: < 3 s wall, peak RSS < 400 MB.   python benchmarks/bench_add.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _common import ROOT, SHARED_PAPERS, fresh_home

RECORDING = next((ROOT.parent / "shared" / "fixtures" / "arxiv-api").glob("id_1605.08386_*.json"))


class Handler(BaseHTTPRequestHandler):
    api_body = json.loads(RECORDING.read_text())["body"].encode()
    pdf_body = (SHARED_PAPERS / "2020.acl-main.447.pdf").read_bytes()

    def do_GET(self) -> None:
        api = self.path.startswith("/api")
        body, kind = (self.api_body, "application/atom+xml") if api else (self.pdf_body, "application/pdf")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    times = []
    for _ in range(args.repeat):
        home = fresh_home()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "READROOM_HOME": str(home),
               "READROOM_ARXIV_API": f"{base}/api/query", "READROOM_ARXIV_PDF": f"{base}/pdf/"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "readroom", "add", "1605.08386"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"readroom add 1605.08386 (15-page PDF, 2.1 MB, loopback): median {statistics.median(times):.2f} s, "
          f"best {min(times):.2f} s, worst {max(times):.2f} s over {args.repeat}; peak RSS {peak_mb:.0f} MB")
    server.shutdown()


if __name__ == "__main__":
    main()

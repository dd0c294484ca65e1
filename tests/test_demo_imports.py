"""What the first start's demo paper loads: adding a local PDF goes nowhere near the network, so it does not wait
for httpx (with the click, rich and pygments it pulls in) while the library shows "Adding the demo paper…"."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = (
    "import sys, json\nfrom readroom import library\n"
    "outcome = library.ensure_demo()\n"
    "print(json.dumps([outcome.status, sorted(m for m in ('httpx', 'httpcore') if m in sys.modules)]))\n"
)


def test_the_demo_paper_is_added_without_importing_httpx():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120,
                            env=os.environ.copy())
    status, loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == "added", result.stderr
    assert loaded == [], f"adding the demo paper imported {loaded}"

"""What a one-request `readroom discover sync` loads: the fetch and its writes need neither SQLAlchemy nor SQLModel
(~0.6 s of imports before the first page could be stored)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from readroom.storage import db

PROBE = (
    "import sys, json\nfrom readroom.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps([code, sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules)]),"
    " file=sys.stderr)\n"
)


def test_a_sync_into_a_library_at_the_current_schema_does_not_import_the_orm(listing):
    db.engine()  # the library exists, at the current schema
    db.dispose_all()
    result = subprocess.run([sys.executable, "-c", PROBE, "discover", "sync", "--max", "10"], capture_output=True,
                            text=True, timeout=120, env=os.environ.copy())
    code, loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert code == 0 and "Fetched 10 new papers in 1 request" in result.stdout, result.stdout + result.stderr
    assert loaded == [], f"`readroom discover sync` imported {loaded}"

"""Figure images through the CLI, each command in a process of its own: `add` renders them, `show --json` lists
their PNGs, `reparse` replaces them, `remove` deletes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pdf.paper_factory import Style, build_pdf, demo_spec


def readroom(*argv: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    return result


def figures(paper: str) -> list[dict]:
    return json.loads(readroom("show", paper, "--json").stdout)["figures"]


def test_add_show_reparse_remove_keep_the_figure_images_in_step(tmp_path, readroom_home):
    pdf = build_pdf(demo_spec(), Style(), tmp_path / "demo.pdf")
    readroom("add", str(pdf))
    paper = json.loads(readroom("list", "--json").stdout)[0]["id"]

    listed = figures(paper)
    images = [Path(f["image"]) for f in listed if f["image"]]
    assert listed and len(images) == len(listed), listed
    for image in images:
        assert image.is_file() and image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert readroom_home in image.parents
    folder = images[0].parent
    assert folder.name == paper

    stray = folder / "99-figure-99.png"  # what a former parse left: reparse must not keep it
    stray.write_bytes(b"\x89PNG\r\n\x1a\nold")
    readroom("reparse", paper)
    again = figures(paper)
    assert [f["image"] for f in again] == [f["image"] for f in listed]
    assert all(Path(f["image"]).is_file() for f in again) and not stray.exists()

    readroom("remove", paper, "--yes")
    assert not folder.exists()

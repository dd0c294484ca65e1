"""Figure images: per shared paper, what extracting them costs on top of parsing and what they weigh in an .apkg.

CPU seconds (process time, steadier than wall time on a shared machine): the parse, then finding the regions and
rendering them. Sizes: the PNGs as stored, and each format's bytes inside an .apkg (genanki stores media in a
zip, deflated: zlib level 6 here) as PNG at 150 dpi, PNG at 100 dpi, and JPEG (quality 80) at 150 dpi.
    python benchmarks/bench_figures.py [PDF ...]
    python benchmarks/bench_figures.py --list [PDF]   # the reader's figure list, 16 figures (goal: < 0.2 s)

Measured (2 busy cores): acl-main.447, 15 pages, 13 of 13 captions: find 0.11 s + render 0.26 s CPU on top of a
0.34 s parse; jmlr-orff, 71 pages: 0.34 + 0.28 s. Stored as PNG at 150 dpi, ~55 kB a figure in the .apkg (PNG
is deflated already: the zip adds nothing). JPEG at quality 80 is a quarter to a half smaller (acl 447 vs 704 kB,
eacl 1007 vs 1313, mueller's photos 289 vs 670) but rings around the thin lines and set text figures are made of,
and Anki's image occlusion masks over exactly those labels; PNG at 100 dpi halves the size but makes plot labels
hard to read on a phone. Lossless and legible wins at this size; a library of 100 papers adds ~50 MB.
"""

from __future__ import annotations

import argparse
import time
import zlib
from pathlib import Path

from _common import SHARED_PAPERS
from readroom.pdf.figures import Region, figure_regions, render
from readroom.pdf.loader import open_pdf, pymupdf
from readroom.pdf.parse import parse_pdf


def _pixmap(doc, region: Region, dpi: int):
    clip = pymupdf().Rect(region.x0, region.y0, region.x1, region.y1)
    return doc[region.page - 1].get_pixmap(clip=clip, dpi=min(dpi, int(1200 * 72 / max(clip.width, 1))), alpha=False)


def measure(pdf: Path) -> dict:


    t0 = time.process_time()
    parsed = parse_pdf(pdf)
    t1 = time.process_time()
    doc = open_pdf(pdf)
    try:
        regions = [r for r in figure_regions(doc, parsed.figures) if r is not None]
        t2 = time.process_time()
        pngs = [render(doc, region) for region in regions]
        t3 = time.process_time()
        small = [_pixmap(doc, r, 100).tobytes("png") for r in regions]
        jpegs = [_pixmap(doc, r, 150).tobytes("jpg", jpg_quality=80) for r in regions]
    finally:
        doc.close()
    zipped = lambda blobs: sum(len(zlib.compress(b, 6)) for b in blobs)
    return {"pages": parsed.page_count, "captions": len(parsed.figures), "regions": len(regions),
            "parse": t1 - t0, "find": t2 - t1, "render": t3 - t2, "png": sum(map(len, pngs)),
            "apkg_png": zipped(pngs), "apkg_png100": zipped(small), "apkg_jpg": zipped(jpegs)}


def measure_list(pdf: Path, count: int = 16, runs: int = 5) -> list[tuple[float, float]]:
    """The reader's figure list for `count` figures (the paper's images, repeated): wall seconds from mounting it
    to its first frame drawn, and to the highlighted figure's image decoded and drawn under it."""
    import asyncio
    import dataclasses
    import os

    from textual.app import App

    from _common import fresh_home

    os.environ["READROOM_HOME"] = str(fresh_home())
    from readroom import cli, library
    from readroom.tui.reader.figures import image_path
    from readroom.tui.reader.lists import FiguresList
    from readroom.tui.widgets.figure_image import FigureImage

    cli.main(["add", str(pdf)])
    detail = library.show(library.list_papers()[0].id)
    drawn = [f for f in detail.figures if f.image]
    detail.figures = [dataclasses.replace(drawn[i % len(drawn)], label=f"Figure {i + 1}") for i in range(count)]

    async def once() -> tuple[float, float]:
        app = App()
        async with app.run_test(size=(120, 40)) as pilot:
            start = time.perf_counter()
            await app.screen.mount_all([FiguresList(detail), FigureImage(image_path(detail.figures[0]),
                                                                         id="reader-figure-image")])
            await pilot.pause()
            listed = time.perf_counter() - start
            image = app.query_one(FigureImage)
            while image.image is None:
                await pilot.pause(0.005)
            await pilot.pause()
            return listed, time.perf_counter() - start

    return [asyncio.run(once()) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--list", action="store_true", help="time the reader's figure list instead")
    args = parser.parse_args()
    if args.list:
        pdf = (args.pdfs or [SHARED_PAPERS / "2020.acl-main.447.pdf"])[0]
        timings = measure_list(pdf)
        print("runs (first frame, image drawn):", " ".join(f"{a:.3f}/{b:.3f}" for a, b in timings))
        print(f"figure list, 16 figures of {pdf.name}, best of {len(timings)}: first frame "
              f"{min(t[0] for t in timings):.3f} s, image drawn {min(t[1] for t in timings):.3f} s "
              f"(median {sorted(t[1] for t in timings)[len(timings) // 2]:.3f} s)")
        return
    print(f"{'paper':36} pages capt found  parse s  find s  render s   PNG kB | .apkg kB: PNG  PNG@100  JPEG")
    for pdf in args.pdfs or sorted(SHARED_PAPERS.glob("*.pdf")):
        r = measure(pdf)
        print(f"{pdf.name:36} {r['pages']:5} {r['captions']:4} {r['regions']:5} {r['parse']:8.2f} {r['find']:7.2f} "
              f"{r['render']:9.2f} {r['png'] / 1024:8.0f} | {r['apkg_png'] / 1024:12.0f} {r['apkg_png100'] / 1024:8.0f} "
              f"{r['apkg_jpg'] / 1024:5.0f}")


if __name__ == "__main__":
    main()

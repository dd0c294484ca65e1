"""A PDF saved into the library (its path, hash and size) and the portable file name it is saved under.

Apart from download.py so that adding a local PDF (the first start's demo paper) does not import httpx (~0.15-0.4 s:
httpx loads its command-line tool's click, rich and pygments too).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DownloadedPdf:
    path: Path  # final location
    sha256: str
    size: int


_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
)


def safe_filename(stem: str, suffix: str = ".pdf", max_len: int = 120) -> str:
    """A portable file name: "hep-th/9901001v2" -> "hep-th_9901001v2.pdf", "Gödel's proof" -> "Godel-s-proof.pdf"."""
    room = max_len - len(suffix)
    if room < 1:
        raise ValueError(f"max_len {max_len} leaves no room for a name before {suffix!r}")
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text.replace("/", "_")).strip(".-")
    name = (name or "paper")[:room].rstrip(".-")  # Windows drops trailing dots; no leading dot = not hidden
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:  # CON, aux.tar ... are devices on Windows
        name = ("_" + name)[:room]
    return name + suffix

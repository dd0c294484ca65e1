"""Settings: defaults, then $READROOM_HOME/config.toml, then environment variables.

Read once per process; the only knobs are plain values, so a dataclass is enough (no pydantic at start-up).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from functools import lru_cache

from readroom import paths
from readroom.errors import BadInput


@dataclass(frozen=True)
class Settings:
    arxiv_api: str = "https://export.arxiv.org/api/query"
    arxiv_pdf: str = "https://arxiv.org/pdf/"
    arxiv_delay: float = 3.0  # seconds between arXiv API calls (their terms of use)
    http_timeout: float = 30.0  # seconds without progress before a request is given up
    http_retries: int = 3  # tries after the first on 429/5xx and connection errors
    max_pdf_mb: float = 100.0
    db_busy_timeout: float = 5.0  # seconds to wait on a locked database
    # Discover (arXiv-Sanity, kept locally); `[discover]` (or its first name `[sanity]`) in config.toml, keys
    # without the prefix.
    sanity_categories: str = "cs.CV cs.LG cs.CL cs.AI cs.NE cs.RO"  # space- or comma-separated
    sanity_url: str = ""  # a self-hosted arxiv-sanity-lite to read instead of the arXiv API
    sanity_days: int = 14  # how far back a sync reaches (the first one, or after a long pause)
    sanity_page_size: int = 200  # papers per API request


_ENV = {
    "arxiv_api": "READROOM_ARXIV_API",
    "arxiv_pdf": "READROOM_ARXIV_PDF",
    "arxiv_delay": "READROOM_ARXIV_DELAY",
    "http_timeout": "READROOM_HTTP_TIMEOUT",
    "http_retries": "READROOM_HTTP_RETRIES",
    "max_pdf_mb": "READROOM_MAX_PDF_MB",
    "db_busy_timeout": "READROOM_DB_BUSY_TIMEOUT",
    "sanity_categories": "READROOM_SANITY_CATEGORIES",
    "sanity_url": "READROOM_SANITY_URL",
    "sanity_days": "READROOM_SANITY_DAYS",
    "sanity_page_size": "READROOM_SANITY_PAGE_SIZE",
}
# Discover's settings under its own name; the READROOM_SANITY_* names above still work, these win over them.
# READROOM_SANITY_URL keeps its name: it is the address of an arxiv-sanity-lite, that project's own name.
_DISCOVER_ENV = {
    "sanity_categories": "READROOM_DISCOVER_CATEGORIES",
    "sanity_days": "READROOM_DISCOVER_DAYS",
    "sanity_page_size": "READROOM_DISCOVER_PAGE_SIZE",
}


def _coerce(name: str, kind: type, value: object, where: str) -> object:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise BadInput(f"Setting {name} in {where} must be a {kind.__name__}, not {value!r}.") from None


@lru_cache(maxsize=1)
def load() -> Settings:
    settings = Settings()
    types = {f.name: type(getattr(settings, f.name)) for f in fields(Settings)}
    config = paths.config_path()
    if config.is_file():
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise BadInput(f"Cannot read {config}: {exc}. Fix or delete the file.") from None
        table = data.get("network", {})
        updates = {k: _coerce(k, types[k], v, str(config)) for k, v in table.items() if k in types}
        for name in ("sanity", "discover"):  # [discover], read last, wins over its first name [sanity]
            section = data.get(name, {})
            if not isinstance(section, dict):
                continue
            if isinstance(section.get("categories"), list):  # `categories = ["cs.CV", "cs.LG"]` reads as well
                section = {**section, "categories": " ".join(map(str, section["categories"]))}
            updates |= {f"sanity_{k}": _coerce(f"[{name}] {k}", types[f"sanity_{k}"], v, str(config))
                        for k, v in section.items() if f"sanity_{k}" in types}
        settings = replace(settings, **updates)
    env_updates = {
        name: _coerce(var, types[name], os.environ[var], "the environment")
        for name, var in [*_ENV.items(), *_DISCOVER_ENV.items()]
        if os.environ.get(var)
    }
    return replace(settings, **env_updates)

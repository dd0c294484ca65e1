"""Settings: one model, from defaults <- $READROOM_HOME/config.toml <- the READROOM_* environment variables.

A frozen dataclass per config.toml table, every field checked as it is read. `load()` reads once per process
and again only when config.toml or the fitted FSRS parameters beside it change (so the app sees an edit without
a restart); `reload()` reads afresh (after an environment change); `install()` puts a Settings of one's own in
place (tests, `create_app`). Stdlib only, no pydantic: `readroom --help` and `list` load this at start-up.

Keys a table does not know are ignored, as are tables nobody reads: a config.toml written for a newer
readroom still works with this one. They are kept in Settings.unknown, and the CLI warns of each (a misspelt
key would otherwise do nothing without a word).
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from readroom import paths
from readroom.errors import BadInput
from readroom.terminal import excerpt

PARAMETERS_FILE = "fsrs-parameters.json"  # written by `readroom optimize`, beside config.toml
DEFAULT = "default"
CONFIG_FILE = "config.toml"

# Textual's built-in themes (textual.theme.BUILTIN_THEMES; a test keeps the two lists equal). Named here
# because importing Textual to check a config file would cost every command a quarter of a second.
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula", "tokyo-night",
          "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato",
          "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn", "atom-one-dark",
          "atom-one-light", "ansi-dark", "ansi-light")


# --------------------------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """How a value is read: `parse` raises ValueError, TypeError or OverflowError on a bad one; `allowed` completes
    "must be ..." in the error. Every check bounds its value both ways: a value past what the code using it can
    take (a day count beyond timedelta's range, an int beyond SQLite's) is refused here, not deep in a command."""

    allowed: str
    parse: Callable[[object], object]


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    number = float(value)  # type: ignore[arg-type]  # str from the environment, int or float from TOML
    if not math.isfinite(number):  # nan passes every comparison, inf every lower bound
        raise ValueError("not a finite number")
    return number


def _whole(value: object) -> int:
    number = _number(value)
    if not number.is_integer():
        raise ValueError("not a whole number")
    return int(number)


def _in(parse: Callable[[object], float], low: float | None = None, high: float | None = None,
        open_low: bool = False, open_high: bool = False) -> Callable[[object], object]:
    def read(value: object) -> object:
        number = parse(value)
        if low is not None and (number <= low if open_low else number < low):
            raise ValueError("too small")
        if high is not None and (number >= high if open_high else number > high):
            raise ValueError("too large")
        return number

    return read


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    if "\0" in value:  # no URL, command or name holds one; the OS refuses it in paths and arguments
        raise ValueError("holds a NUL character")
    return value


def _command(value: object) -> str:
    text = _string(value)
    if not text.strip():
        raise ValueError("empty")
    return text


def _database_url(value: object) -> str:
    # One backend stands behind the setting today: SQLite, by file. "" means $READROOM_HOME/readroom.db.
    url = _string(value).strip()
    if url and not (url.startswith("sqlite:///") and len(url) > len("sqlite:///")):
        raise ValueError("not a sqlite:/// URL")
    return url


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("not a boolean")


def _theme(value: object) -> str:
    text = _string(value)
    if text not in THEMES:
        raise ValueError("not a theme")
    return text


def _categories(value: object) -> str:
    # `categories = ["cs.CV", "cs.LG"]` reads as well as "cs.CV cs.LG"
    if isinstance(value, list):
        return " ".join(map(str, value))
    return _string(value)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a list of strings")
    return tuple(v.strip() for v in value if v.strip())


FSRS_PARAMETERS = 21  # FSRS-6's weights, as fsrs.Scheduler takes them


def _parameters(value: object) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != FSRS_PARAMETERS:
        raise TypeError(f"not a list of {FSRS_PARAMETERS}")
    return tuple(_number(v) for v in value)


_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
MAX_STEP = timedelta(days=365)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _steps(value: object) -> tuple[timedelta, ...]:
    """Anki's way of writing steps: "1m 10m", or a list ["1m", "10m"]; units s, m, h, d."""
    words = value.split() if isinstance(value, str) else value
    if not isinstance(words, list):
        raise TypeError("not steps")
    steps = []
    for word in words:
        match = _STEP.match(str(word).strip())
        if not match:
            raise ValueError(f"cannot read step {word!r}")
        step = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
        if not timedelta(0) < step <= MAX_STEP:
            raise ValueError(f"step {word!r} is not between 0 and 365 days")
        steps.append(step)
    return tuple(steps)


def _zone_name(value: object) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # here: 5 ms that `readroom list` need not pay

    name = _string(value)
    try:
        ZoneInfo(name)  # fail early on a misspelt zone
    except ZoneInfoNotFoundError:
        raise ValueError("unknown time zone") from None
    return name


def amount(unit: str, low: float, high: float, above_low: bool = False) -> Check:
    """A number of `unit` from `low` (or above it) to `high`."""
    words = f"above {low:g}, up to {high:g}" if above_low else f"from {low:g} to {high:g}"
    return Check(f"a number of {unit} {words}", _in(_number, low, high, open_low=above_low))


def count(low: int, high: int, unit: str = "") -> Check:
    """A whole number (of `unit`, " of days") from `low` to `high`."""
    return Check(f"a whole number{unit} from {low} to {high}", _in(_whole, low, high))


TEXT = Check("a string", _string)
BOOLEAN = Check("true or false", _boolean)
MINUTES = amount("minutes", 0, 24 * 60, above_low=True)
CHECKLIST = Check('a list of checklist items, like ["Check the citations"]', _texts)


def _setting(default: object, check: Check, *env: str) -> Any:
    """A field of a section: its default, how a value is read, and the environment variables that set it (a later
    name, the current one, wins over an earlier, its first name). Any, like dataclasses.field: the annotation of
    the field it makes is the type."""
    return field(default=default, metadata={"check": check, "env": env})


# --------------------------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class NetworkConfig:
    """[network]: where papers come from, and how patiently."""

    arxiv_api: str = _setting("https://export.arxiv.org/api/query", TEXT, "READROOM_ARXIV_API")
    arxiv_pdf: str = _setting("https://arxiv.org/pdf/", TEXT, "READROOM_ARXIV_PDF")
    # arXiv's HTML rendering (page = base + id + version) and ar5iv's for older papers (page = base + id).
    arxiv_html: str = _setting("https://arxiv.org/html/", TEXT, "READROOM_ARXIV_HTML")
    ar5iv_html: str = _setting("https://ar5iv.labs.arxiv.org/html/", TEXT, "READROOM_AR5IV_HTML")
    # Crossref's REST API, for the metadata of a DOI that is not arXiv's (work = base + /works/ + DOI)
    crossref_api: str = _setting("https://api.crossref.org", TEXT, "READROOM_CROSSREF_API")
    # seconds between arXiv API calls (their terms of use)
    arxiv_delay: float = _setting(3.0, amount("seconds", 0, 3600), "READROOM_ARXIV_DELAY")
    # seconds without progress before giving up
    http_timeout: float = _setting(30.0, amount("seconds", 0, 3600, above_low=True), "READROOM_HTTP_TIMEOUT")
    # tries after the first on 429/5xx and connection errors
    http_retries: int = _setting(3, count(0, 100), "READROOM_HTTP_RETRIES")
    max_pdf_mb: float = _setting(100.0, amount("megabytes", 0, 100_000, above_low=True), "READROOM_MAX_PDF_MB")
    # Whole-answer budgets (a server trickling a byte at a time never trips http_timeout): metadata, listings and
    # HTML pages, then PDFs, which are larger.
    metadata_deadline: float = _setting(30.0, amount("seconds", 0, 86400, above_low=True), "READROOM_METADATA_DEADLINE")
    pdf_deadline: float = _setting(600.0, amount("seconds", 0, 86400, above_low=True), "READROOM_PDF_DEADLINE")
    # the largest arXiv API answer or listing page
    max_metadata_mb: float = _setting(20.0, amount("megabytes", 0, 100_000, above_low=True), "READROOM_MAX_METADATA_MB")


@dataclass(frozen=True)
class StorageConfig:
    """[storage] (or [network], where it was first read): the database."""

    # seconds to wait on a locked database
    db_busy_timeout: float = _setting(5.0, amount("seconds", 0, 3600), "READROOM_DB_BUSY_TIMEOUT")
    # Where the database is; empty for $READROOM_HOME/readroom.db. SQLite is the one backend.
    database_url: str = _setting("", Check('a SQLite URL like "sqlite:////path/to/readroom.db", or ""', _database_url),
                                 "READROOM_DATABASE_URL")


SYNC_DAYS = range(1, 36501)  # a century back: all of arXiv, and still inside what a timedelta holds


@dataclass(frozen=True)
class BackupConfig:
    """[backup]: copies of the database in $READROOM_HOME/backups (daily, before migrations, on request)."""

    keep: int = _setting(7, count(1, 1000), "READROOM_BACKUP_KEEP")  # the newest this many are kept


@dataclass(frozen=True)
class DiscoverConfig:
    """[discover] (first named [sanity]): Discover, a local arXiv-Sanity."""

    categories: str = _setting("cs.CV cs.LG cs.CL cs.AI cs.NE cs.RO",
                               Check('arXiv categories, like "cs.LG cs.CL" or ["cs.LG", "cs.CL"]', _categories),
                               "READROOM_SANITY_CATEGORIES", "READROOM_DISCOVER_CATEGORIES")  # space- or comma-separated
    url: str = _setting("", TEXT, "READROOM_SANITY_URL")  # a self-hosted arxiv-sanity-lite to read instead of the arXiv API
    # How far back a sync reaches, and papers per API request.
    days: int = _setting(14, count(SYNC_DAYS.start, SYNC_DAYS.stop - 1, " of days"), "READROOM_SANITY_DAYS",
                         "READROOM_DISCOVER_DAYS")
    # arXiv's API serves at most 2000 results per request
    page_size: int = _setting(200, count(1, 2000), "READROOM_SANITY_PAGE_SIZE", "READROOM_DISCOVER_PAGE_SIZE")


@dataclass(frozen=True)
class SyncConfig:
    """[sync]: the user's own Anki sync server (`readroom sync`); never AnkiWeb, whose terms allow only Anki's
    clients. The password is never a setting: READROOM_SYNC_PASSWORD, else asked once (the session key is kept)."""

    url: str = _setting("", TEXT, "READROOM_SYNC_URL")  # like "http://192.168.1.5:8080/"
    user: str = _setting("", TEXT, "READROOM_SYNC_USER")


@dataclass(frozen=True)
class ReviewConfig:
    """[review]: FSRS and the daily limits; every default is Anki's. The record the scheduler is passed."""

    desired_retention: float = _setting(0.9, Check("a number between 0.5 and 1 (Anki's default is 0.9)",
                                                   _in(_number, 0.5, 1, open_low=True, open_high=True)))
    learning_steps: tuple[timedelta, ...] = _setting(
        (timedelta(minutes=1), timedelta(minutes=10)), Check('steps like "1m 10m" (units s, m, h, d)', _steps))
    relearning_steps: tuple[timedelta, ...] = _setting(
        (timedelta(minutes=10),), Check('steps like "10m" (units s, m, h, d)', _steps))
    # The upper bounds are Anki's own (its deck options refuse more).
    maximum_interval: int = _setting(36500, count(1, 36500, " of days"))
    fuzz: bool = _setting(True, BOOLEAN)
    new_per_day: int = _setting(20, count(0, 9999))
    reviews_per_day: int = _setting(200, count(0, 9999))
    day_starts_at: int = _setting(4, Check("an hour from 0 to 23", _in(_whole, 0, 23)))  # when the study day rolls over
    # Anki shows learning cards this early when nothing else is due
    learn_ahead_minutes: int = _setting(20, count(0, 1440, " of minutes"))
    leech_threshold: int = _setting(8, count(1, 99, " of lapses"))
    timer_cap_seconds: int = _setting(60, count(0, 7200, " of seconds"))
    timezone: str | None = _setting(None, Check("a time zone name like Europe/Berlin", _zone_name))  # system's if unset
    parameters: tuple[float, ...] | None = _setting(  # else FSRS's defaults
        None, Check(f"a list of {FSRS_PARAMETERS} numbers (FSRS-6's weights)", _parameters))

    def zone(self) -> tzinfo:
        return _zone(self.timezone)


@dataclass(frozen=True)
class ReadingConfig:
    """[reading]: the time budget of each pass; None keeps the shipped one (data/checklists.toml)."""

    pass1_minutes: float | None = _setting(None, MINUTES)
    pass2_minutes: float | None = _setting(None, MINUTES)
    pass3_minutes: float | None = _setting(None, MINUTES)

    def minutes(self, pass_no: int) -> float | None:
        return getattr(self, f"pass{pass_no}_minutes")


@dataclass(frozen=True)
class ChecklistsConfig:
    """[checklists]: the user's own items, added after the shipped ones of each pass."""

    pass1: tuple[str, ...] = _setting((), CHECKLIST)
    pass2: tuple[str, ...] = _setting((), CHECKLIST)
    pass3: tuple[str, ...] = _setting((), CHECKLIST)

    def items(self, pass_no: int) -> tuple[str, ...]:
        return getattr(self, f"pass{pass_no}")


@dataclass(frozen=True)
class KeysConfig:
    """[keys]: binding id = "key" or "key1,key2" (Textual's keymap). Ids are not checked: screens define
    their own."""

    bindings: tuple[tuple[str, str], ...] = ()

    def keymap(self) -> dict[str, str]:
        return dict(self.bindings)


KEY = Check('a key name such as "n" or "ctrl+n"', _command)


@dataclass(frozen=True)
class UiConfig:
    """[ui]: how the app looks."""

    theme: str = _setting("textual-dark", Check("one of " + ", ".join(THEMES), _theme))


def _default_pdf_command() -> str:
    if sys.platform == "darwin":
        return "open {path}"
    if sys.platform.startswith("win"):
        return "cmd /c start \"\" {path}"
    return "xdg-open {path}"


@dataclass(frozen=True)
class ReaderConfig:
    """[reader]: the user's own PDF viewer; {path} and {page} are filled in."""

    pdf_command: str = _setting(_default_pdf_command(),
                                Check('a command such as "zathura --page={page} {path}"', _command))


@dataclass(frozen=True)
class Settings:
    network: NetworkConfig = NetworkConfig()
    storage: StorageConfig = StorageConfig()
    backup: BackupConfig = BackupConfig()
    discover: DiscoverConfig = DiscoverConfig()
    review: ReviewConfig = ReviewConfig()
    sync: SyncConfig = SyncConfig()
    reading: ReadingConfig = ReadingConfig()
    checklists: ChecklistsConfig = ChecklistsConfig()
    keys: KeysConfig = KeysConfig()
    ui: UiConfig = UiConfig()
    reader: ReaderConfig = ReaderConfig()
    # "section.key" -> where its value came from: "config.toml", "fsrs-parameters.json" or the variable's
    # name; keys not in it have their default.
    origins: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # what config.toml holds that no section reads: "[review] desired_retenton", "[colours]"
    unknown: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def origin(self, section: str, key: str) -> str:
        return self.origins.get(f"{section}.{key}", DEFAULT)


# Settings' section -> the config.toml tables it is read from, later ones winning. To rename a table keep
# the old name first, as an alias: ("sanity", "discover").
TABLES: dict[str, tuple[str, ...]] = {
    "network": ("network",),
    "storage": ("network", "storage"),
    "backup": ("backup",),
    "discover": ("sanity", "discover"),
    "review": ("review",),
    "sync": ("sync",),
    "reading": ("reading",),
    "checklists": ("checklists",),
    "keys": ("keys",),
    "ui": ("ui",),
    "reader": ("reader",),
}


# --------------------------------------------------------------------------------------------- loading

DEFAULTS = Settings()


_installed: Settings | None = None
_loaded: tuple[tuple, Settings] | None = None


def load() -> Settings:
    """The process's settings: the installed ones, else read (again only when a file they come from changed)."""
    global _loaded
    if _installed is not None:
        return _installed
    config = paths.config_path()
    fitted = config.with_name(PARAMETERS_FILE)
    stamp = (str(config), *(_stamp(p) for p in (config, fitted)))
    if _loaded is None or _loaded[0] != stamp:
        _loaded = (stamp, _read(config, fitted, os.environ))
    return _loaded[1]


def reload() -> None:
    """Forget the settings read and installed: the next load() reads them afresh (after an environment change)."""
    global _loaded, _installed
    _loaded, _installed = None, None


def install(settings: Settings | None) -> Settings | None:
    """Make `settings` the process's (None goes back to reading them); returns the ones it replaced."""
    global _installed
    previous, _installed = _installed, settings
    return previous


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _read(config: Path, fitted: Path, environ: Mapping[str, str]) -> Settings:
    """Defaults, then the fitted FSRS parameters, then config.toml, then the environment."""
    data = _read_toml(config)
    origins: dict[str, str] = {}
    sections = {}
    for name in TABLES:
        kind = type(getattr(DEFAULTS, name))
        values: dict[str, object] = {}
        if name == "review":
            values |= _fitted(fitted, origins)
        for table_name in TABLES[name]:
            table = data.get(table_name, {})
            if not isinstance(table, dict):
                raise BadInput(f"{config}: [{table_name}] must be a table of key = value, not {excerpt(repr(table))}.")
            if name == "keys":
                values |= _bindings(table, config, values)
                origins |= {f"keys.{k}": CONFIG_FILE for k in table}
                continue
            for f in fields(kind):
                if f.name in table:
                    values[f.name] = _checked(f.metadata["check"], table[f.name], f"{config}: [{table_name}] {f.name}")
                    origins[f"{name}.{f.name}"] = CONFIG_FILE
        for f in fields(kind):
            for var in f.metadata.get("env", ()):
                if environ.get(var):  # set and not empty, as before
                    values[f.name] = _checked(f.metadata["check"], environ[var], var)
                    origins[f"{name}.{f.name}"] = var
        sections[name] = kind(**values)
    return Settings(**sections, origins=origins, unknown=_unknown(data))


def _unknown(data: dict) -> tuple[str, ...]:
    """The tables and keys of config.toml no section reads (a table may feed several sections: [network])."""
    known: dict[str, set[str] | None] = {}  # table -> its keys; None: any key ([keys] holds binding ids)
    for name, tables in TABLES.items():
        keys = None if name == "keys" else {f.name for f in fields(type(getattr(DEFAULTS, name)))}
        for table in tables:
            known[table] = None if keys is None else (known.get(table) or set()) | keys
    unknown = []
    for table, values in data.items():
        if table not in known:
            unknown.append(f"[{table}]" if isinstance(values, dict) else table)  # a table, or a key outside any
        elif (keys := known[table]) is not None:
            unknown += [f"[{table}] {key}" for key in values if key not in keys]
    return tuple(unknown)


def unknown_keys() -> tuple[str, ...]:
    """What the settings this process read last found in config.toml and do not know; () when none were read."""
    settings = _installed or (_loaded[1] if _loaded else None)
    return settings.unknown if settings else ()


def unknown_key_warnings() -> list[str]:
    """One line for each of unknown_keys() (a misspelt key), the same on the CLI's stderr and in the app."""
    return [f"{paths.config_path()}: {excerpt(key)} is not a setting readroom knows; ignored "
            "(`readroom config` lists them all)." for key in unknown_keys()]


def save(table: str, key: str, value: str) -> None:
    """Write `key = "value"` into [table] of config.toml, keeping everything else in the file as the user wrote it
    (the app saves the theme chosen with its key). A layout this cannot edit safely (say the key as a dotted
    `ui.theme` at the top) is BadInput naming the line to write, and the file is left as it was."""
    config = paths.config_path()
    check = next(f.metadata["check"] for f in fields(getattr(DEFAULTS, table)) if f.name == key)
    _checked(check, value, f"[{table}] {key}")
    try:
        text = config.read_text(encoding="utf-8") if config.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Cannot read {config} to save [{table}] {key}: {exc}.") from None
    line = f"{key} = {json.dumps(value)}"  # a JSON string of printable text is a TOML basic string
    new = _with_line(text, table, key, line)
    try:
        parsed = tomllib.loads(new).get(table, {}).get(key)
    except tomllib.TOMLDecodeError:
        parsed = None
    if parsed != value:
        raise BadInput(f"Could not save the choice in {config}; write `{line}` under [{table}] yourself.")
    tmp = config.with_name(config.name + ".tmp")
    try:
        config.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, config)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"Cannot write {config}: {exc.strerror or exc}.") from None


def _with_line(text: str, table: str, key: str, line: str) -> str:
    """`text` with `line` in place of the key's line in [table], or first in the table, or in a new table at the end."""
    lines = text.splitlines()
    header = re.compile(rf"\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
    start = next((i for i, ln in enumerate(lines) if header.match(ln)), None)
    if start is None:
        return text + ("\n" if text and not text.endswith("\n") else "") + ("\n" if text.strip() else "") + \
            f"[{table}]\n{line}\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    own = re.compile(rf"\s*{re.escape(key)}\s*=")
    at = next((i for i in range(start + 1, end) if own.match(lines[i])), None)
    if at is None:
        lines.insert(start + 1, line)
    else:
        lines[at] = line
    return "\n".join(lines) + "\n"


def _read_toml(config: Path) -> dict:
    try:
        with paths.open_regular(config, "a config file") as fh:
            return tomllib.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise BadInput(f"{config} is not UTF-8 text (byte {exc.object[exc.start]:#04x} on line {line}); "
                       "save it as UTF-8.") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"Cannot read {config}: {exc}. Fix or delete the file.") from None


def _checked(check: Check, value: object, what: str) -> Any:
    try:
        return check.parse(value)
    except (TypeError, ValueError, OverflowError):
        raise BadInput(f"{what} must be {check.allowed}, not {excerpt(repr(value))}.") from None


def _fitted(fitted: Path, origins: dict[str, str]) -> dict[str, object]:
    try:
        with paths.open_regular(fitted, "a parameters file") as fh:
            weights = _parameters(json.loads(fh.read()))
    except (BadInput, OSError, ValueError, TypeError, OverflowError):
        return {}  # none yet, or damaged: FSRS's defaults until `readroom optimize` writes it again
    origins["review.parameters"] = PARAMETERS_FILE
    return {"parameters": weights}


def _bindings(table: dict, config: Path, values: dict) -> dict[str, object]:
    bindings = dict(values.get("bindings", ()))
    for binding_id, keys in table.items():
        key = _checked(KEY, keys, f"{config}: [keys] {binding_id!r}")
        assert isinstance(key, str)  # KEY reads with _command, which returns a string
        bindings[binding_id] = key.strip()
    return {"bindings": tuple(bindings.items())}


@lru_cache(maxsize=8)
def _zone(name: str | None) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if name:
            return ZoneInfo(name)
        if os.environ.get("TZ"):
            return ZoneInfo(os.environ["TZ"].lstrip(":"))
        with open("/etc/localtime", "rb") as f:
            return ZoneInfo.from_file(f)
    except (ZoneInfoNotFoundError, OSError, ValueError):
        if name:
            raise BadInput(f"Unknown time zone {name!r} in [review] timezone; use a name like Europe/Berlin.") from None
        # No zone database entry: the current offset, right until the next DST change.
        return datetime.now().astimezone().tzinfo or timezone.utc


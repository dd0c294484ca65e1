"""The settings model: defaults <- config.toml <- environment, each value checked, one error format."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readroom import config, paths
from readroom.errors import BadInput
from readroom.terminal import EXCERPT_CHARS


def write(text: str) -> None:
    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text(text, encoding="utf-8")


def test_defaults_then_file_then_environment(monkeypatch):
    write('[network]\nhttp_retries = 5\nhttp_timeout = 7\nunknown_key = 1\n[review]\nlearning_steps = "30s 5m"\n'
          '[sanity]\ncategories = ["cs.RO", "q-bio.NC"]\n[keys]\n"library.add" = " n "\n')
    monkeypatch.setenv("READROOM_HTTP_TIMEOUT", "9")
    config.reload()
    settings = config.load()
    assert settings.network.http_retries == 5 and settings.network.http_timeout == 9.0
    assert settings.review.learning_steps == (timedelta(seconds=30), timedelta(minutes=5))
    assert settings.discover.categories == "cs.RO q-bio.NC" and settings.keys.keymap() == {"library.add": "n"}
    assert (settings.origin("network", "http_retries"), settings.origin("network", "http_timeout"),
            settings.origin("network", "max_pdf_mb")) == ("config.toml", "READROOM_HTTP_TIMEOUT", "default")
    assert config.load() is settings  # read once, until a file changes
    write("[ui]\ntheme = 'nord'\n")
    assert config.load().ui.theme == "nord"


def test_db_busy_timeout_reads_from_storage_or_network_as_before():
    write("[network]\ndb_busy_timeout = 1\n")
    assert config.load().storage.db_busy_timeout == 1.0
    write("[network]\ndb_busy_timeout = 1\n[storage]\ndb_busy_timeout = 2\n")
    assert config.load().storage.db_busy_timeout == 2.0


@pytest.mark.parametrize("text, message", [
    ("[review]\ndesired_retention = 1.5", "[review] desired_retention must be a number between 0.5 and 1"),
    ("[review]\nday_starts_at = 24", "[review] day_starts_at must be an hour from 0 to 23, not 24."),
    ("[review]\nnew_per_day = -1", "[review] new_per_day must be a whole number from 0 to 9999, not -1."),
    ("[review]\ntimezone = 'Mars/Olympus'", "[review] timezone must be a time zone name like Europe/Berlin"),
    ("[review]\nlearning_steps = '1x'", "[review] learning_steps must be steps like"),
    ("[ui]\ntheme = 'neon'", "[ui] theme must be one of textual-dark, textual-light"),
    ("[reader]\npdf_command = ' '", "[reader] pdf_command must be a command such as"),
    ("[reading]\npass2_minutes = -3", "[reading] pass2_minutes must be a number of minutes above 0, up to 1440, not -3."),
    ("[keys]\n'library.add' = 3", "[keys] 'library.add' must be a key name"),
    ("ui = 3", "[ui] must be a table"),
    # the cases of issue 13: a value of the wrong kind, or one no code past this check could take
    ('network = "fast"', "[network] must be a table of key = value, not 'fast'."),
    ('[review]\nparameters = "abc"', "[review] parameters must be a list of 21 numbers (FSRS-6's weights), not 'abc'."),
    ("[review]\nparameters = [1, 2]", "[review] parameters must be a list of 21 numbers"),
    ("[network]\nhttp_timeout = nan", "[network] http_timeout must be a number of seconds above 0, up to 3600, not nan."),
    ("[network]\narxiv_delay = inf", "[network] arxiv_delay must be a number of seconds from 0 to 3600, not inf."),
    ("[network]\nmax_pdf_mb = -5", "[network] max_pdf_mb must be a number of megabytes above 0, up to 100000, not -5."),
    ("[storage]\ndb_busy_timeout = -inf", "[storage] db_busy_timeout must be a number of seconds from 0 to 3600, not -inf."),
    ("[discover]\ndays = 99999999999", "[discover] days must be a whole number of days from 1 to 36500, not 99999999999."),
    ("[review]\nnew_per_day = 99999999999999999999999999", "[review] new_per_day must be a whole number from 0 to 9999"),
    ("[review]\nmaximum_interval = 1e400", "[review] maximum_interval must be a whole number of days from 1 to 36500, not inf."),
    ("[review]\nlearning_steps = '99999999999d'", "[review] learning_steps must be steps like"),
    ("[review]\nrelearning_steps = '0m'", "[review] relearning_steps must be steps like"),
    ('[reader]\npdf_command = "zathura\\u0000 {path}"', "[reader] pdf_command must be a command such as"),
    ("[sanity]\npage_size = 5000", "[sanity] page_size must be a whole number from 1 to 2000, not 5000."),
])
def test_a_bad_value_names_the_file_table_and_key(text, message):
    write(text + "\n")
    with pytest.raises(BadInput) as raised:
        config.load()
    assert raised.value.message.startswith(f"{paths.config_path()}: ") and message in raised.value.message


def test_a_bad_environment_variable_is_named(monkeypatch):
    monkeypatch.setenv("READROOM_SANITY_DAYS", "soon")
    config.reload()
    with pytest.raises(BadInput, match=r"^READROOM_SANITY_DAYS must be a whole number of days from 1 to 36500, not 'soon'\.$"):
        config.load()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e999", "99999999999999999999", "0x10", " "])
def test_an_environment_value_gets_the_same_ranges_as_the_file(monkeypatch, value):
    monkeypatch.setenv("READROOM_HTTP_TIMEOUT", value)
    config.reload()
    with pytest.raises(BadInput, match=r"^READROOM_HTTP_TIMEOUT must be a number of seconds above 0, up to 3600, not "):
        config.load()


def test_a_long_bad_value_is_echoed_as_a_short_excerpt():
    write(f"[review]\ntimezone = '{'x' * 5000}'\n")
    with pytest.raises(BadInput) as raised:
        config.load()
    assert len(raised.value.message) < len(str(paths.config_path())) + 200 and "…" in raised.value.message


def test_a_config_file_that_is_not_utf8_is_named_with_the_byte():
    paths.config_path().write_bytes(b"[ui]\ntheme = '\xff'\n")
    with pytest.raises(BadInput, match=r"config\.toml is not UTF-8 text \(byte 0xff on line 2\); save it as UTF-8\.$"):
        config.load()


def test_a_damaged_fitted_parameters_file_leaves_fsrs_defaults():
    paths.config_path().with_name(config.PARAMETERS_FILE).write_text("[NaN, 1, 2]", encoding="utf-8")
    settings = config.load()
    assert settings.review.parameters is None and settings.origin("review", "parameters") == "default"


# -------------------------------------------------------------- any value of any key: loaded or one BadInput


def _toml(value) -> str:
    """A TOML literal of a value hypothesis made (no TOML writer is installed; tomllib reads only)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value > 0 else "-inf") if abs(value) == float("inf") else repr(value)
    if isinstance(value, str):
        return '"' + "".join(f"\\u{ord(c):04x}" if c < " " or c in '"\\\x7f' else c for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)  # int, date, datetime, time


_scalars = (st.integers() | st.integers(min_value=-(2**80), max_value=2**80) | st.floats() | st.booleans()
            | st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
            | st.sampled_from(["1m 10m", "10m", "Europe/Berlin", "nord", "sqlite:///x.db", "zathura {path}", "1e999"])
            | st.datetimes().map(lambda d: d.replace(microsecond=0)) | st.dates())
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=22) | st.dictionaries(
    st.text("abcxyz_", min_size=1, max_size=5), inner, max_size=3), max_leaves=25)
_keys = [(table, f.name) for name, tables in config.TABLES.items() if name != "keys"
         for table in tables for f in fields(getattr(config.DEFAULTS, name))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(_keys), value=_values)
def test_any_value_of_any_key_loads_or_gives_one_line(key, value):
    table, name = key
    write(f"[{table}]\n{name} = {_toml(value)}\n")
    try:
        settings = config.load()
    except BadInput as exc:
        assert exc.message.startswith(f"{paths.config_path()}: [{table}] {name} must be ") and "\n" not in exc.message
        allowed = next(f for f in fields(config.DEFAULTS.__dict__[_section_of(table, name)]) if f.name == name)
        assert len(exc.message) <= len(f"{paths.config_path()}: [{table}] {name} must be , not .") + len(
            allowed.metadata["check"].allowed) + EXCERPT_CHARS
        return
    loaded = getattr(getattr(settings, _section_of(table, name)), name)
    if isinstance(loaded, float):
        assert math.isfinite(loaded) and abs(loaded) <= 100_000
    if isinstance(loaded, int) and not isinstance(loaded, bool):
        assert -(2**63) <= loaded < 2**63  # fits SQLite, and every timedelta readroom builds from it


def _section_of(table: str, name: str) -> str:
    return next(s for s, tables in config.TABLES.items() if table in tables
                and name in {f.name for f in fields(getattr(config.DEFAULTS, s))})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(var=st.sampled_from(sorted({v for name in config.TABLES for f in fields(getattr(config.DEFAULTS, name))
                                   for v in f.metadata.get("env", ())})),
       value=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0"), min_size=1, max_size=40))
def test_any_environment_value_loads_or_gives_one_line(monkeypatch, var, value):
    with monkeypatch.context() as env:  # one variable per example: the fixture's monkeypatch outlives them
        env.setenv(var, value)
        config.reload()
        try:
            config.load()
        except BadInput as exc:
            assert exc.message.startswith(f"{var} must be ") and "\n" not in exc.message
            assert len(exc.message) < 120 + EXCERPT_CHARS


def test_every_must_be_message_reads_as_english():
    """The settings errors are "X must be <allowed>, not Y": no "a int" or "a integer" (as an older reader said)."""
    import re

    for section in fields(config.Settings):
        if section.name not in config.TABLES:  # origins, unknown
            continue
        for f in [f for f in fields(getattr(config.DEFAULTS, section.name)) if "check" in f.metadata]:
            allowed = f.metadata["check"].allowed
            assert not re.search(r"\ba [aeiou]", allowed), (section.name, f.name, allowed)


# ------------------------------------------------------------------------------------ unknown keys, `readroom config`


def run_readroom(*argv: str, **env: str):
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_keys_and_tables_no_setting_reads_are_kept_to_warn_of():
    write('stray = 1\n[network]\ndb_busy_timeout = 3\nhttp_retries = 2\n[review]\ndesired_retenton = 0.8\n'
          '[colours]\nred = 1\n[keys]\n"made.up" = "n"\n[sanity]\ndays = 3\nlimit = 9\n')
    config.reload()
    assert config.load().unknown == ("stray", "[review] desired_retenton", "[colours]", "[sanity] limit")
    assert config.unknown_keys() == config.load().unknown
    assert json.loads(run_readroom("config", "--json").stdout)["unknown"] == list(config.load().unknown)


def test_the_cli_warns_of_an_unknown_key_in_one_line_and_goes_on():
    write('[review]\ndesired_retenton = 0.8\nnew_per_day = 5\n')
    result = run_readroom("due")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"readroom: warning: {paths.config_path()}: [review] desired_retenton is not a setting readroom knows;"
        " ignored (`readroom config` lists them all)."]
    write('[review]\nnew_per_day = 5\n')
    assert run_readroom("due").stderr == ""


def test_readroom_config_says_where_each_value_came_from():
    write('[review]\nnew_per_day = 5\n[keys]\n"library.add" = "ctrl+n"\n')
    result = run_readroom("config", READROOM_HTTP_RETRIES="7")
    assert result.returncode == 0, result.stderr
    lines = {line.split("=")[0].strip(): line for line in result.stdout.splitlines() if "=" in line}
    assert lines["new_per_day"].split("=", 1)[1].split() == ["5", "(config.toml)"]
    assert lines["http_retries"].split("=", 1)[1].split() == ["7", "(READROOM_HTTP_RETRIES)"]
    assert lines["reviews_per_day"].split("=", 1)[1].split() == ["200", "(default)"]
    assert lines['"library.add"'].split("=", 1)[1].split() == ['"ctrl+n"', "(config.toml)"]
    shown = json.loads(run_readroom("config", "--json", READROOM_HTTP_RETRIES="7").stdout)
    assert shown["file"] == str(paths.config_path())
    assert shown["settings"]["review"]["new_per_day"] == {"value": 5, "from": "config.toml"}
    assert shown["settings"]["network"]["http_retries"] == {"value": 7, "from": "READROOM_HTTP_RETRIES"}
    assert shown["settings"]["review"]["learning_steps"] == {"value": "1m 10m", "from": "default"}
    assert shown["settings"]["reader"]["pdf_command"]["from"] == "default"
    assert shown["unknown"] == []


def test_the_readme_documents_every_table_key_and_variable():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    settings_part = readme[readme.index("Settings come from their defaults"):]
    missing = []
    for name, tables in config.TABLES.items():
        missing += [f"[{table}]" for table in tables if f"`[{table}]" not in settings_part]
        if name == "keys":
            continue
        for f in fields(type(getattr(config.DEFAULTS, name))):
            if f"`{f.name}`" not in settings_part and f" {f.name}`" not in settings_part:
                missing.append(f"[{name}] {f.name}")
            missing += [var for var in f.metadata["env"] if f"`{var}`" not in settings_part]
    assert not missing, f"README's settings section lacks {missing}"

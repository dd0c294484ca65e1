"""The settings model: defaults <- config.toml <- environment, each value checked, one error format."""

from __future__ import annotations

from datetime import timedelta

import pytest

from readroom import config, paths
from readroom.errors import BadInput


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
    ("[review]\nnew_per_day = -1", "[review] new_per_day must be a whole number of at least 0, not -1."),
    ("[review]\ntimezone = 'Mars/Olympus'", "[review] timezone must be a time zone name like Europe/Berlin"),
    ("[review]\nlearning_steps = '1x'", "[review] learning_steps must be steps like"),
    ("[ui]\ntheme = 'neon'", "[ui] theme must be one of textual-dark, textual-light"),
    ("[reader]\npdf_command = ' '", "[reader] pdf_command must be a command such as"),
    ("[reading]\npass2_minutes = -3", "[reading] pass2_minutes must be a positive number of minutes, not -3."),
    ("[keys]\n'library.add' = 3", "[keys] 'library.add' must be a key name"),
    ("ui = 3", "[ui] must be a table"),
])
def test_a_bad_value_names_the_file_table_and_key(text, message):
    write(text + "\n")
    with pytest.raises(BadInput) as raised:
        config.load()
    assert raised.value.message.startswith(f"{paths.config_path()}: ") and message in raised.value.message


def test_a_bad_environment_variable_is_named(monkeypatch):
    monkeypatch.setenv("READROOM_SANITY_DAYS", "soon")
    config.reload()
    with pytest.raises(BadInput, match=r"^READROOM_SANITY_DAYS must be a whole number of at least 1, not 'soon'\.$"):
        config.load()


def test_an_installed_settings_object_wins_until_reload():
    write("[ui]\ntheme = 'nord'\n")
    mine = config.Settings(ui=config.UiConfig(theme="dracula"))
    config.install(mine)
    assert config.load() is mine
    config.reload()
    assert config.load().ui.theme == "nord"


def test_theme_names_are_textuals():
    from textual.theme import BUILTIN_THEMES

    assert set(config.THEMES) == set(BUILTIN_THEMES)


def test_readroom_config_shows_each_value_and_where_it_came_from(capsys, monkeypatch):
    import json

    from readroom import cli

    write('[review]\nlearning_steps = ["30s", "5m"]\n[keys]\n"library.add" = "n"\n')
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "1")
    config.reload()
    assert cli.main(["config", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["file"] == str(paths.config_path())
    assert shown["settings"]["review"]["learning_steps"] == {"value": "30s 5m", "from": "config.toml"}
    assert shown["settings"]["network"]["http_retries"] == {"value": 1, "from": "READROOM_HTTP_RETRIES"}
    assert shown["settings"]["ui"]["theme"] == {"value": "textual-dark", "from": "default"}
    assert shown["settings"]["keys"] == {"library.add": {"value": "n", "from": "config.toml"}}
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert '  "library.add" = "n"  (config.toml)' in out and "(READROOM_HTTP_RETRIES)" in out

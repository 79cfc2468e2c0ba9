"""database_url / CLASSBOT_DATABASE_URL: PostgreSQL instead of the SQLite file, its password kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.errors import ConfigError

URL = "postgresql://classbot:pa55-word@db.example:5432/classbot"


def test_without_a_url_the_store_is_the_sqlite_file_and_with_one_it_is_postgres():
    assert load_settings(environ={}, dotenv=None).database == Path("classbot.db")
    s = load_settings(environ={"CLASSBOT_DATABASE_URL": URL, "CLASSBOT_DATABASE": "/x/bot.db"}, dotenv=None)
    assert s.database == URL and s.database_path == Path("/x/bot.db")


def test_the_database_password_never_shows_in_the_settings_repr():
    s = load_settings(environ={"CLASSBOT_DATABASE_URL": URL}, dotenv=None)
    assert "pa55-word" not in repr(s) and "pa55-word" not in str(s)


def test_a_url_without_password_may_be_in_the_config_file_one_with_a_password_may_not(tmp_path):
    config = tmp_path / "classbot.yaml"
    config.write_text("database_url: postgresql://classbot@db.example/classbot\n")
    assert load_settings(config, environ={}, dotenv=None).database == "postgresql://classbot@db.example/classbot"
    config.write_text(f"database_url: {URL}\n")
    with pytest.raises(ConfigError, match="environment") as err:
        load_settings(config, environ={}, dotenv=None)
    assert "pa55-word" not in str(err.value)


def test_a_url_that_is_not_postgresql_is_refused_without_quoting_it():
    with pytest.raises(ConfigError, match="postgresql://") as err:
        load_settings(environ={"CLASSBOT_DATABASE_URL": "mysql://u:pa55-word@h/db"}, dotenv=None)
    assert "pa55-word" not in str(err.value)

"""Settings: YAML file, .env and environment, in that order; secrets only from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.errors import ConfigError


def test_environment_overrides_file_and_dotenv(tmp_path):
    config = tmp_path / "classbot.yaml"
    config.write_text("ask_cooldown_seconds: 3\ndiscord:\n  guild_ids: [1, 2]\ntrivia:\n  points: 5\n")
    dotenv = tmp_path / ".env"
    dotenv.write_text("# local secrets\nDISCORD_TOKEN='from-dotenv'\nTRIVIA_POINTS=7\n")
    s = load_settings(config, environ={"TRIVIA_POINTS": "9", "DISCORD_GUILD_IDS": "5, 6"}, dotenv=dotenv)
    assert s.ask_cooldown_seconds == 3.0 and s.discord.guild_ids == (5, 6) and s.trivia.points == 9
    assert s.discord.token == "from-dotenv"


def test_tokens_never_show_in_the_settings_repr():
    s = load_settings(environ={"DISCORD_TOKEN": "sekrit-discord", "SLACK_BOT_TOKEN": "xoxb-sekrit"}, dotenv=None)
    assert "sekrit" not in repr(s)


def test_secret_in_a_config_file_is_refused(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("discord:\n  token: abc\n")
    with pytest.raises(ConfigError, match="put discord.token in the environment"):
        load_settings(config, environ={}, dotenv=None)


def test_misspelt_setting_gets_a_did_you_mean(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("ask_cooldown_secs: 3\n")
    with pytest.raises(ConfigError, match="unknown setting 'ask_cooldown_secs' \\(did you mean 'ask_cooldown_seconds'\\?\\)"):
        load_settings(config, environ={}, dotenv=None)


@pytest.mark.parametrize("env,message", [
    ({"CLASSBOT_LOG_LEVEL": "loud"}, "log_level should be"),
    ({"TRIVIA_ANSWER_WINDOW_MINUTES": "-10"}, "answer_window_minutes should be 1 or more"),
    ({"CLASSBOT_ASK_COOLDOWN": "-1"}, "ask_cooldown_seconds should be 0 or more"),
    ({"CLASSBOT_ASK_COOLDOWN": "soon"}, "ask_cooldown_seconds should be float"),
    ({"SLACK_PORT": "99999"}, "slack port should be between"),
    ({"CLASSBOT_PLATFORM": "irc"}, "platform should be discord, slack or console"),
])
def test_bad_values_are_explained(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=env, dotenv=None)


def test_config_file_that_is_not_utf8_is_explained(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("ask_cooldown_seconds: 3\n", encoding="utf-16")
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_settings(config, environ={}, dotenv=None)


def test_bad_setting_ends_the_command_with_one_line(tmp_path):
    p = subprocess.run([sys.executable, "-m", "bot", "ask", "hi"], capture_output=True, text=True, timeout=60,
                       cwd=Path(__file__).resolve().parent.parent,
                       env={"PATH": "/usr/bin:/bin", "CLASSBOT_LOG_LEVEL": "loud"})
    assert p.returncode == 78  # EXIT_CONFIG: every configuration error
    assert p.stderr.strip().splitlines() == ["classbot: log_level should be DEBUG, INFO, WARNING or ERROR, got 'loud'"]

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
    ({"CLASSBOT_ASK_COOLDOWN": "soon"}, "ask_cooldown_seconds should be a number, got 'soon'"),
    ({"CLASSBOT_ASK_COOLDOWN": "nan"}, "ask_cooldown_seconds should be a number, got 'nan'"),
    ({"CLASSBOT_ASK_COOLDOWN": "inf"}, "ask_cooldown_seconds should be a number, got 'inf'"),
    ({"CLASSBOT_ASK_COOLDOWN": "-Infinity"}, "ask_cooldown_seconds should be a number"),
    ({"TRIVIA_POINTS": "2.5"}, "points should be a whole number, got '2.5'"),
    ({"CLASSBOT_RECORD_ASKER_IDS": "ture"}, "record_asker_ids should be true or false, got 'ture'"),
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
                       cwd=Path(__file__).resolve().parents[2],
                       env={"PATH": "/usr/bin:/bin", "CLASSBOT_LOG_LEVEL": "loud"})
    assert p.returncode == 78  # EXIT_CONFIG: every configuration error
    assert p.stderr.strip().splitlines() == [
        "classbot: environment CLASSBOT_LOG_LEVEL: log_level should be DEBUG, INFO, WARNING or ERROR, got 'loud'"]


def config_problem(tmp_path, text: str) -> str:
    config = tmp_path / "classbot.yaml"
    config.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={}, dotenv=None)
    return str(caught.value).replace(str(tmp_path) + "/", "")


def test_nan_and_infinite_numbers_in_the_config_file_are_refused(tmp_path):
    assert config_problem(tmp_path, "ask_cooldown_seconds: .nan\n") == (
        "classbot.yaml:1:1: ask_cooldown_seconds should be a number, got nan")
    assert config_problem(tmp_path, "ask_cooldown_seconds: .inf\n").endswith("should be a number, got inf")


def test_every_unknown_setting_is_reported_at_once_with_its_line(tmp_path):
    message = config_problem(tmp_path, "colour: red\nask_cooldown_secs: 3\ntrivia:\n  pints: 5\n  points: x\n")
    assert message.splitlines() == [
        "4 problems with the settings:",
        "  classbot.yaml:1:1: unknown setting 'colour' (settings: knowledge_path, database_path, cache_dir, database_url, platform, "
        "log_level, ask_cooldown_seconds, record_asker_ids, retention_days, default_course, course_watch_seconds, "
        "metrics_port, metrics_host, log_format, scheduler_tick_seconds, scheduler_lease_seconds)",
        "  classbot.yaml:2:1: unknown setting 'ask_cooldown_secs' (did you mean 'ask_cooldown_seconds'?)",
        "  classbot.yaml:4:3: unknown setting 'pints' in trivia (did you mean 'points'?)",
        "  classbot.yaml:5:3: points should be a whole number, got 'x'",
    ]


def test_a_misspelt_secret_is_pointed_to_the_environment_not_to_a_spelling(tmp_path):
    message = config_problem(tmp_path, "discord:\n  tokn: abc\n")
    assert message == ("classbot.yaml:2:3: unknown setting 'tokn' in discord; tokens and secrets are read from the "
                       "environment only (set DISCORD_TOKEN in the environment or in .env), never from a config file")
    assert "did you mean" not in config_problem(tmp_path, "token: abc\n")


def test_broken_config_file_is_named_with_a_plain_message(tmp_path):
    message = config_problem(tmp_path, "platform: discord\ntrivia:\n  points: 3\n   grace_minutes: 3\n")
    assert message == ("config file classbot.yaml:4:17: YAML syntax error: a ':' followed by a space here: put the "
                       "whole value in quotes (\"...\"), or check this line's indentation")


def test_aliases_and_deep_nesting_in_the_config_file_are_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\ntrivia: [*b, *b]\n"
    assert config_problem(tmp_path, bomb) == (
        "config file classbot.yaml:1:4: YAML anchors ('&a') are not allowed here: write the value out in full")
    assert "nested more than 20 levels" in config_problem(tmp_path, "trivia: " + "[" * 500 + "]" * 500 + "\n")


def test_a_list_where_one_value_is_expected_is_refused(tmp_path):
    assert config_problem(tmp_path, "database_path: [a.db, b.db]\n") == (
        "classbot.yaml:1:1: database_path should be a file or folder path, got ['a.db', 'b.db']")


def test_values_out_of_range_name_where_they_were_set_all_at_once(tmp_path):
    message = config_problem(tmp_path, "platform: irc\ntrivia:\n  points: 20000000\n  grace_minutes: -5\n")
    assert message.splitlines() == [
        "3 problems with the settings:",
        "  classbot.yaml:1:1: platform should be discord, slack or console, got 'irc'",
        "  classbot.yaml:4:3: trivia grace_minutes should be 0 or more, got -5",
        "  classbot.yaml:3:3: trivia points should be between 0 and 1,000,000, got 20000000",
    ]


def test_an_absurd_cooldown_is_refused():
    with pytest.raises(ConfigError, match="environment CLASSBOT_ASK_COOLDOWN: ask_cooldown_seconds should be between 0 and 3,600, got 1e\\+300"):
        load_settings(environ={"CLASSBOT_ASK_COOLDOWN": "1e300"}, dotenv=None)


def test_misspelt_and_out_of_range_settings_are_reported_together_from_file_and_environment(tmp_path):
    (tmp_path / "classbot.yaml").write_text("ask_cooldown_secs: 5\ntrivia:\n  points: 20000000\n", encoding="utf-8")
    environ = {"CLASSBOT_RETENTION_DAYS": "abc", "CLASSBOT_LOG_LEVEL": "LOUD"}
    with pytest.raises(ConfigError) as e:
        load_settings(tmp_path / "classbot.yaml", environ=environ, dotenv=None)
    lines = str(e.value).splitlines()
    assert lines[0] == "4 problems with the settings:"
    assert sorted(lines[1:]) == sorted([
        f"  {tmp_path / 'classbot.yaml'}:1:1: unknown setting 'ask_cooldown_secs' (did you mean 'ask_cooldown_seconds'?)",
        "  environment CLASSBOT_RETENTION_DAYS: retention_days should be a whole number, got 'abc'",
        "  environment CLASSBOT_LOG_LEVEL: log_level should be DEBUG, INFO, WARNING or ERROR, got 'LOUD'",
        f"  {tmp_path / 'classbot.yaml'}:3:3: trivia points should be between 0 and 1,000,000, got 20000000",
    ])

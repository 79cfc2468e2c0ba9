"""The operations settings: metrics endpoint off by default, port and log format from the environment."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.core.errors import ConfigError


def test_metrics_endpoint_is_off_and_logs_are_text_by_default():
    settings = load_settings(environ={}, dotenv=None)
    assert settings.metrics_port is None and settings.log_format == "text"


def test_metrics_port_and_json_logs_come_from_the_environment():
    settings = load_settings(environ={"CLASSBOT_METRICS_PORT": "9108", "CLASSBOT_LOG_FORMAT": "json"}, dotenv=None)
    assert settings.metrics_port == 9108 and settings.log_format == "json"


def test_metrics_port_and_log_format_come_from_the_config_file(tmp_path):
    config = tmp_path / "classbot.yaml"
    config.write_text("metrics_port: 0\nlog_format: json\n", encoding="utf-8")
    settings = load_settings(config, environ={}, dotenv=None)
    assert settings.metrics_port == 0 and settings.log_format == "json"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CLASSBOT_METRICS_PORT", "70000", "metrics_port should be between 0 and 65535"),
        ("CLASSBOT_METRICS_PORT", "nine", "metrics_port should be"),
        ("CLASSBOT_LOG_FORMAT", "xml", "log_format should be text or json"),
    ],
)
def test_bad_operations_settings_are_refused_with_a_clear_message(variable, value, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={variable: value}, dotenv=None)

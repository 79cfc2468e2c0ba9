"""The one logging set-up: format, level and secret redaction (bot.cli and adapters run directly use it)."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from bot.config import Settings
from bot.ops import logredact
from bot.ops.logformat import use_log_format

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(settings: Settings, *, stream: TextIO | None = None, default_level: str = "INFO") -> None:
    """Log to stderr at the configured level and format (text, or JSON lines: bot.ops.logformat),
    with no token or ticket in the log at any level. ``default_level`` is used when no level is
    configured (the terminal commands pass WARNING: an admin's terminal is no place for INFO lines).

    Like ``logging.basicConfig``, it adds no handler when the root logger already has one (an
    embedding program, or pytest, configured logging itself); the redaction is installed anyway.
    """
    logging.basicConfig(level=(settings.log_level or default_level).upper(), format=FORMAT, stream=stream or sys.stderr)
    logredact.install(logredact.settings_secrets(settings))
    use_log_format(settings.log_format)


__all__ = ["FORMAT", "setup_logging"]

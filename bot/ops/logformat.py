"""JSON logs (``log_format: json`` / CLASSBOT_LOG_FORMAT=json): one JSON object per line.

Each line has time (UTC, ISO 8601 with milliseconds), level, logger, message, and exc_info (the
traceback text) when there is one. The formatter only changes how a record is written: filters
on the same handler (the secret redaction) still rewrite the message and the traceback first,
and their rewritten traceback (``record.exc_text``) is the one written here.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

__all__ = ["JsonFormatter", "use_log_format"]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exc_info"] = record.exc_text
        if record.stack_info:
            data["stack_info"] = self.formatStack(record.stack_info)
        # ASCII only: one line whatever the message holds (U+2028 and friends are escaped too)
        return json.dumps(data, ensure_ascii=True)


def use_log_format(log_format: str, logger: logging.Logger | None = None) -> None:
    """Write ``logger``'s (default: the root logger's) handlers' records as ``text`` or ``json``.
    Text is what the handlers were set up with; their filters stay as they are either way."""
    if log_format != "json":
        return
    formatter = JsonFormatter()
    for handler in (logger or logging.getLogger()).handlers:
        handler.setFormatter(formatter)

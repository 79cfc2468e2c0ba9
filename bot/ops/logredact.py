"""Secrets out of the log: a logging.Filter for the handler the CLI installs.

At DEBUG level the chat libraries log what they send and receive: discord.py the URLs of interaction
callbacks and follow-ups (``/interactions/{id}/{token}/callback``, ``/webhooks/{app}/{token}``) and
gateway events carrying ``"token": ...``; slack_sdk the Socket Mode URL (``wss://...?ticket=...``) and
request headers. Anyone holding an interaction token can post as the bot for 15 minutes; a
Socket Mode ticket opens the app's connection. The filter rewrites every record that reaches our
handler (whoever logged it, traceback included) and keeps the rest of the line, so the log stays
useful: the method, the path up to the secret, the status.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"

# (pattern, replacement): each keeps what identifies the request and drops the secret.
_RULES: list[tuple[re.Pattern[str], str]] = [
    # Discord interaction and webhook tokens in URLs (callback, follow-ups, edits)
    (re.compile(r"(/interactions/\d+/)[^/\s?'\"]+"), rf"\1{REDACTED}"),
    (re.compile(r"(/webhooks/\d+/)[^/\s?'\"]+"), rf"\1{REDACTED}"),
    # query parameters that are credentials (Socket Mode ?ticket=, ?token=, signatures...)
    (
        re.compile(r"([?&](?:ticket|token|access_token|key|secret|signature|sig|code|password)=)[^&#\s'\"]+", re.I),
        rf"\1{REDACTED}",
    ),
    # Authorization headers, however printed: "Authorization": "Bot x", Authorization: Bearer x
    (
        re.compile(r"(['\"]?authorization['\"]?\s*[:=]\s*['\"]?)(?:(?:bot|bearer|basic)\s+)?[^'\"\s,}]+", re.I),
        rf"\1{REDACTED}",
    ),
    # "token": "...", 'token': '...', token=... (gateway payloads, dict reprs)
    (
        re.compile(
            r"(['\"]?\b(?:token|bot_token|app_token|access_token|client_secret|signing_secret|ticket|password)"
            r"['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}&]+",
            re.I,
        ),
        rf"\1{REDACTED}",
    ),
    # Slack tokens anywhere (xoxb-, xoxp-, xoxa-, xoxe., xapp-...)
    (re.compile(r"\bx(?:ox[abposre]|app)[.-][A-Za-z0-9.\-]+"), REDACTED),
    # Discord bot tokens anywhere: base64 user id . timestamp . HMAC
    (re.compile(r"\b[MNO][A-Za-z\d_-]{22,28}\.[A-Za-z\d_-]{5,8}\.[A-Za-z\d_-]{25,}"), REDACTED),
]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with known secret values and anything shaped like a credential replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback) with :func:`redact`; never drops a record."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        # the longest first, so a secret that contains another is replaced whole
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install(secrets: Iterable[str | None] = (), logger: logging.Logger | None = None) -> None:
    """Add the filter to every handler of ``logger`` (the root logger by default), once.

    A filter on the handler, not on a logger, sees the records that library loggers propagate."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        existing = next((f for f in handler.filters if isinstance(f, RedactingFilter)), None)
        if existing is not None:
            handler.removeFilter(existing)
        handler.addFilter(RedactingFilter(secrets))


def settings_secrets(settings: object) -> list[str | None]:
    """The configured secret values (tokens, signing secret), to be redacted wherever they appear."""
    discord = getattr(settings, "discord", None)
    slack = getattr(settings, "slack", None)
    return [
        getattr(discord, "token", None),
        getattr(slack, "bot_token", None),
        getattr(slack, "app_token", None),
        getattr(slack, "signing_secret", None),
    ]


__all__ = ["REDACTED", "RedactingFilter", "install", "redact", "settings_secrets"]

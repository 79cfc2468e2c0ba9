"""Calling Slack's Web API for an answer we depend on, without ever tripping over a strange reply.

slack-sdk raises SlackApiError for a failed call, but what its ``response`` holds depends on what came
back: a dict for a Slack error (``{"ok": false, "error": ...}``), a str for a text/plain body, an aiohttp
response for a body that claimed to be JSON and was not; a JSON list or a timeout raise other exceptions.
``api_error`` reads any of them; ``read_api`` returns Slack's answer (``ok`` true or false) or None when
there was no answer to read, with one log line for every failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)



def slack_error_code(error: BaseException) -> str | None:
    """Slack's error code (invalid_auth, not_in_channel...) when Slack itself answered the failed call."""
    data = getattr(getattr(error, "response", None), "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])[:100]
    return None


def api_error(error: BaseException) -> str:
    """A short reason for a failed Web API call: Slack's error code, or what was wrong with the answer."""
    code = slack_error_code(error)
    if code:
        return code
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if isinstance(status, int):
        return f"HTTP {status} without a Slack answer"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return type(error).__name__


# Slack's own error codes that mean "ask again later", not "no"
TRANSIENT = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})


async def read_api(call: Callable[..., Awaitable[Any]], name: str, timeout: float, **params: Any) -> dict | None:
    """Slack's answer to a call (check its "ok"), or None (logged) when there was no Slack answer to read:
    a body that is not one, an HTTP error page, a timeout, a network error."""
    from slack_sdk.errors import SlackApiError

    try:
        response = await asyncio.wait_for(call(**params), timeout)
    except (SlackApiError, TimeoutError) as e:
        log.warning("Slack %s failed: %s", name, api_error(e))
        data = getattr(getattr(e, "response", None), "data", None)
        return data if isinstance(data, dict) and data.get("error") else None
    except Exception as e:  # a network error, or a reply slack-sdk itself could not read
        log.warning("Slack %s failed: %s", name, api_error(e), exc_info=True)
        return None
    data = getattr(response, "data", None)
    if not isinstance(data, dict):
        log.warning("Slack %s answered something that is not a Slack answer", name)
        return None
    return data

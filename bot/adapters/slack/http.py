"""HTTP mode: Slack's requests arrive at /slack/events; nothing of a request is read before its signature checks out.

Bolt parses the body, builds a context from it and only then verifies the signature, in a middleware; a
malformed timestamp makes that check raise, and Bolt's error path then acts on the unverified body (its
``response_url``). So the signature is checked here first, strictly, on the raw bytes: a request that cannot
be verified gets 401 and is never parsed, logged in full or answered. Bolt's own check still runs afterwards.

Slack's rules (https://docs.slack.dev/authentication/verifying-requests-from-slack/): the signature is
``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret, and a timestamp more than
five minutes away from now is refused (a replay).

Several workers behind a load balancer: Slack delivers an Events API event again when it was not
acknowledged within 3 seconds (``X-Slack-Retry-Num``), possibly to another worker, and now and then
twice anyway. Each ``event_id`` is recorded in the shared store before Bolt sees it
(``SeenEventStore.first_delivery``); a delivery already recorded is acknowledged with 200 and not
acted on, so a question is answered once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

MAX_SKEW_SECONDS = 5 * 60  # Slack's replay window
VERIFIED = "classbot_verified"  # set in the Bolt context of a request that passed verify_request
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"

RETRY_HEADER = "X-Slack-Retry-Num"
SEEN_EVENT_SECONDS = 60 * 60  # Slack retries a delivery three times within about five minutes

FirstDelivery = Callable[[str], Awaitable[bool]]  # event_id -> whether to act on it (not seen before)

_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take " 12", "1_0", "١٢"
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Rejected(Exception):
    """A request that cannot be verified; the message says why (no secret, no body in it)."""


def verify_request(secret: str, timestamps: list[str], signatures: list[str], body: bytes, now: float) -> None:
    """Raise Rejected unless the request carries exactly one well-formed, fresh timestamp and exactly one
    signature that matches the body."""
    if not secret:
        raise Rejected("no signing secret is configured")
    if len(timestamps) != 1 or len(signatures) != 1:
        raise Rejected(
            f"expected one {TIMESTAMP_HEADER} and one {SIGNATURE_HEADER} header, "
            f"got {len(timestamps)} and {len(signatures)}"
        )
    timestamp, signature = timestamps[0], signatures[0]
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Rejected(f"{TIMESTAMP_HEADER} is not a number of seconds")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Rejected(f"{TIMESTAMP_HEADER} is more than {MAX_SKEW_SECONDS // 60} minutes away from now")
    if not _SIGNATURE.fullmatch(signature):
        raise Rejected(f"{SIGNATURE_HEADER} is not v0= and 64 hex digits")
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Rejected(f"{SIGNATURE_HEADER} does not match (wrong signing secret, or a forged request)")


@dataclass
class RejectionLog:
    """One warning per rejected request, at most one line per `every` seconds: a flood of forged requests
    cannot fill the disk. The suppressed ones are counted in the next line."""

    every: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _last: float | None = None
    _suppressed: int = 0

    def rejected(self, peer: str | None, reason: str) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.every:
            self._suppressed += 1
            return
        more = f" ({self._suppressed} more rejected since the last report)" if self._suppressed else ""
        log.warning("refused a request to /slack/events from %s: %s%s", peer or "?", reason, more)
        self._last, self._suppressed = now, 0


def event_id_of(body: bytes) -> str | None:
    """The ``event_id`` of an Events API delivery (JSON ``event_callback``); None for anything else
    (slash commands and interactions are form-encoded and carry none)."""
    if not body.startswith(b"{"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("type") != "event_callback":
        return None
    event_id = data.get("event_id")
    return event_id if isinstance(event_id, str) and event_id else None


async def is_repeat(body: bytes, retry: str | None, first_delivery: FirstDelivery | None) -> bool:
    """Whether this verified request is an event already acted on (by any worker). A store that
    cannot say is logged and the event acted on: an answer twice beats no answer."""
    from bot.core.errors import StoreError

    event_id = event_id_of(body) if first_delivery is not None else None
    if event_id is None or first_delivery is None:
        return False
    try:
        first = await first_delivery(event_id)
    except StoreError as e:
        log.warning("could not check whether event %s was already handled: %s", event_id, e)
        return False
    if not first:
        log.info("event %s delivered again (retry %s): already handled", event_id, retry or "none")
    return not first


def make_web_app(
    bolt_app: Any,
    secret: str,
    path: str = "/slack/events",
    clock: Callable[[], float] = time.time,
    first_delivery: FirstDelivery | None = None,
) -> Any:
    """An aiohttp application serving `bolt_app` on POST `path`, verifying each request before Bolt sees it
    and, with `first_delivery`, acting on each Events API event once."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response
    from slack_bolt.request.async_request import AsyncBoltRequest

    rejections = RejectionLog()
    unauthorized = {"error": "invalid request"}

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()  # bounded by aiohttp's client_max_size (1 MiB): larger gets 413
        try:
            verify_request(
                secret,
                request.headers.getall(TIMESTAMP_HEADER, []),
                request.headers.getall(SIGNATURE_HEADER, []),
                body,
                clock(),
            )
        except Rejected as e:
            rejections.rejected(request.remote, str(e))
            return web.json_response(unauthorized, status=401)
        if await is_repeat(body, request.headers.get(RETRY_HEADER), first_delivery):
            return web.Response(status=200)  # acknowledged, so Slack stops retrying; not acted on again
        try:  # signed by Slack, so this should not fail
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=request.query_string,
                headers=request.headers,  # type: ignore[arg-type]
                context={VERIFIED: True},
            )
        except Exception:
            log.exception("a signed Slack request could not be read")
            return web.json_response({"error": "unreadable request"}, status=400)
        return await to_aiohttp_response(await bolt_app.async_dispatch(bolt_request))

    web_app = web.Application()
    web_app.router.add_post(path, handle)
    return web_app

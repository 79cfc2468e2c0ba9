"""What a Slack user is told when a listener fails, in one place.

Listeners ack first and let errors propagate to ``guarded`` (around every listener) or, for Bolt's own
middleware, to ``on_error`` (the app's error handler). Both call ``report``, which
- logs the detail (a database failure or a bug with its traceback, our explained errors as one line),
- tells the user privately, in words without internal details: a database failure (StoreError, whose
  message names the server's database file) becomes "couldn't save your answer, try again",
- and never acts on a request that was not verified: in HTTP mode only requests that passed
  ``http.verify_request`` carry the VERIFIED mark (a forged body's ``response_url`` is never called).
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.http import VERIFIED
from bot.adapters.slack.runtime import user_of
from bot.core.errors import ANSWER_NOT_SAVED, ClassbotError, StoreError, user_message

log = logging.getLogger(__name__)

STORE_ANSWER = ANSWER_NOT_SAVED
STORE_OTHER = "Sorry, I couldn't reach my records just now. Please try again in a moment."


def _kind(body: dict) -> str:
    """What the request was, for the log: `/trivia`, `block_actions trivia_choice_0`, `view_submission`..."""
    if body.get("command"):
        return str(body["command"])[:40]
    kind = str(body.get("type") or "request")[:40]
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        first = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
        return f"{kind} {str(first.get('action_id') or '')[:40]}"
    if kind == "event_callback":
        event = body.get("event")
        return f"event {str(event.get('type') or '')[:40] if isinstance(event, dict) else ''}"
    return kind


def _is_answer(body: dict) -> bool:
    """A trivia answer: a choice click or the free-text form."""
    if body.get("type") == "view_submission":
        view = body.get("view")
        return isinstance(view, dict) and view.get("callback_id") == render.TRIVIA_MODAL
    if body.get("type") == "block_actions":
        actions = body.get("actions")
        return isinstance(actions, list) and any(str(a.get("action_id") or "").startswith(render.TRIVIA_CHOICE) for a in actions if isinstance(a, dict))
    return False


def failure_text(error: BaseException, body: dict) -> str:
    """Log `error` as it deserves and return what the user is told (short, no internal details)."""
    kind = _kind(body)
    if isinstance(error, StoreError):
        log.error("the database failed while handling %s", kind, exc_info=error)
        return STORE_ANSWER if _is_answer(body) else STORE_OTHER
    if isinstance(error, ClassbotError):
        log.warning("%s failed: %s", kind, error)
        return render.safe(user_message(error), 500)
    log.error("a Slack listener failed on %s", kind, exc_info=error)
    return user_message(error)


def modal_channel(view: dict) -> str | None:
    """The channel our trivia form was opened from (kept in its private_metadata)."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        channel = meta.get("ch") if isinstance(meta, dict) else None
    except ValueError:
        return None
    return channel if isinstance(channel, str) and channel else None


async def tell_privately(client: Any, body: dict, respond: Any, say: Any, text: str) -> None:
    """Only the user sees it: the response_url when the request has one (commands, clicks), an ephemeral
    message in the form's channel for a modal, a thread reply for an event (a mention, a DM)."""
    if respond is not None and (body.get("response_url") or body.get("response_urls")):
        await respond(response_type="ephemeral", replace_original=False, text=text)
        return
    if body.get("type") == "view_submission":
        channel, user = modal_channel(body.get("view") or {}), user_of(body)
        if channel and user:
            await client.chat_postEphemeral(channel=channel, user=user, text=text)
        return
    event = body.get("event")
    if isinstance(event, dict) and say is not None and event.get("user"):
        await say(text=text, thread_ts=event.get("thread_ts") or event.get("ts"))


async def report(error: Exception, body: Any, request: Any, context: Any, client: Any, respond: Any, say: Any) -> None:
    """Log a failure and tell the user privately, unless the request was not verified."""
    body = body if isinstance(body, dict) else {}
    text = failure_text(error, body)
    if request.mode != "socket_mode" and not context.get(VERIFIED):
        log.warning("not answering a Slack request that was not verified")
        return
    try:
        await tell_privately(client, body, respond, say, text)
    except Exception:  # the response_url may have expired, Slack may be down
        log.warning("could not tell the user about a failed listener", exc_info=True)


async def on_error(error: Exception, body: dict, request: Any, context: Any, client: Any, respond: Any, say: Any) -> None:
    """Bolt's error handler: errors of Bolt's middleware (and of any listener not wrapped in ``guarded``)."""
    await report(error, body, request, context, client, respond, say)


def guarded(listener: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """A listener whose errors are reported here and never reach Bolt.

    Bolt (1.x) resets a listener's ack when the listener raises, even after ack() was sent back: Slack then
    gets no ack (Socket Mode) or a 404 (HTTP) three seconds later, shows the user an error and retries
    events, so a failed mention is handled again. Bolt reads a listener's argument names; the wrapper asks
    for all of them (``args``) and hands the listener those it names.
    """
    names = list(inspect.signature(listener).parameters)

    async def run(args: Any) -> None:
        try:
            await listener(**{name: getattr(args, name) for name in names})
        except Exception as error:
            if args.ack.response is None:  # not acked yet: ack now, or Slack shows a timeout on top
                await args.ack()
            await report(error, args.body, args.request, args.context, args.client, args.respond, args.say)

    run.__name__ = run.__qualname__ = listener.__name__
    run.__doc__ = listener.__doc__
    return run

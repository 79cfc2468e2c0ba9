"""Q&A listeners: /ask, @mentions, direct messages, suggestion buttons and /topics."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.failures import guarded
from bot.adapters.slack.runtime import Runtime, team_of, user_of

log = logging.getLogger(__name__)

_USAGE = "Ask me about the course, e.g. `/ask Who did Robert Kennedy meet?`"
_SUGGESTION = re.compile(rf"^{render.ASK_SUGGESTION}_\d+$")


def _wait_text(wait: float) -> str:
    return f"Please wait {math.ceil(wait)} s before asking again."


def strip_mentions(text: str, bot_user_id: str | None) -> str:
    """The question of an @mention: the app's own mention removed (anywhere), leading mentions too."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    text = re.sub(r"^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+", "", text)
    return " ".join(text.split())


def register(app: Any, rt: Runtime) -> None:
    async def reply_blocks(question: str, *, team: str, channel: str | None, user: str) -> tuple[str, list[dict]]:
        answer = await rt.answer(question, team_id=team, channel_id=channel, user_id=user)
        return render.answer_text(answer), render.answer_blocks(answer)

    @app.command("/ask")

    @guarded
    async def ask_command(ack, command, respond, context, body):
        await ack()
        question = render.from_slack(command.get("text") or "").strip()
        team, user, channel = team_of(body, context), command.get("user_id", ""), command.get("channel_id")
        if not question:
            await respond(response_type="ephemeral", text=_USAGE)
            return
        wait = rt.cooldown_left(team, user)
        if wait:
            await respond(response_type="ephemeral", text=_wait_text(wait))
            return
        text, blocks = await reply_blocks(question, team=team, channel=channel, user=user)
        await respond(response_type="in_channel", text=text, blocks=blocks)

    @app.event("app_mention")

    @guarded
    async def on_mention(event, say, context, body):
        question = render.from_slack(strip_mentions(event.get("text") or "", context.bot_user_id)).strip()
        team, user, channel = team_of(body, context), event.get("user", ""), event.get("channel")
        thread = event.get("thread_ts") or event.get("ts")
        if not question:
            await say(text=_USAGE, thread_ts=thread)
            return
        if rt.cooldown_left(team, user):
            return  # silently: a reply per message would be the spam the cooldown prevents
        text, blocks = await reply_blocks(question, team=team, channel=channel, user=user)
        await say(text=text, blocks=blocks, thread_ts=thread)

    @app.event("message")

    @guarded
    async def on_message(event, say, context, body):
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        question = render.from_slack(strip_mentions(event.get("text") or "", context.bot_user_id)).strip()
        team, user, channel = team_of(body, context), event.get("user", ""), event.get("channel")
        if not question:
            return
        if rt.cooldown_left(team, user):
            if rt.cooldown.should_notice((team, user)):  # once per window: a reply per message is spam too
                await say(text="Please wait a few seconds before asking again.")
            return
        text, blocks = await reply_blocks(question, team=team, channel=channel, user=user)
        await say(text=text, blocks=blocks)

    @app.action(_SUGGESTION)

    @guarded
    async def on_suggestion(ack, action, body, respond, context):
        await ack()
        question = (action.get("value") or "").strip()
        if not question:
            return
        team, user = team_of(body, context), user_of(body)
        channel = (body.get("channel") or {}).get("id")
        wait = rt.cooldown.try_follow_up((team, user))  # not refused by the question that offered it
        if wait:
            await respond(response_type="ephemeral", replace_original=False, text=_wait_text(wait))
            return
        text, blocks = await reply_blocks(question, team=team, channel=channel, user=user)
        await respond(response_type="in_channel", replace_original=False, text=text, blocks=blocks)

    @app.command("/topics")

    @guarded
    async def topics_command(ack, respond, command, context, body):
        await ack()
        engine = await rt.asking.engine_for(team_of(body, context), command.get("channel_id"))  # the channel's course
        try:
            topics = list(engine.topics())
        except Exception:  # the engine should not fail here; say so instead of staying silent
            log.exception("engine.topics() failed")
            topics = []
        await respond(
            response_type="ephemeral",
            text="Topics of the course",
            blocks=render.topics_blocks(topics, engine.course.title),
        )

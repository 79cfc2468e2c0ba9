"""Helpful / Not helpful buttons under answers: one vote per user per answer, kept in the store."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.failures import guarded
from bot.adapters.slack.runtime import PLATFORM, Runtime, channel_of, team_of, user_of


def register(app: Any, rt: Runtime) -> None:
    async def vote(ack, action, body, respond, context, helpful: bool) -> None:
        await ack()
        question, fact_id = render.parse_feedback_value(action.get("value") or "")
        user = user_of(body)
        channel = channel_of(body)
        message_id = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
        # a database failure goes to the app's error handler (bot.adapters.slack.failures)
        await rt.store.record_feedback(
            PLATFORM, team_of(body, context), channel, user, question, fact_id, helpful, message_id=message_id
        )
        thanks = "Thanks, glad it helped!" if helpful else "Thanks, noted: your teacher will see it."
        await respond(response_type="ephemeral", replace_original=False, text=thanks)

    @app.action(render.FEEDBACK_HELPFUL)

    @guarded
    async def on_helpful(ack, action, body, respond, context):
        await vote(ack, action, body, respond, context, True)

    @app.action(render.FEEDBACK_UNHELPFUL)

    @guarded
    async def on_unhelpful(ack, action, body, respond, context):
        await vote(ack, action, body, respond, context, False)

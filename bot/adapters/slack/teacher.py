"""The teacher's and the student's own commands on Slack: /report (teachers) and /forgetme (everyone).

Parsing and rendering only: bot.core.chatreport builds the report of the channel's course,
bot.core.forgetme says what a student's data is and deletes it; the teacher rule is the one of
/trivia (workspace admins and owners, the configured teacher ids and user group).

    /report [weeks]   the report, privately (an ephemeral message); its chart comes as a PNG in a
                      direct message from the bot: a file cannot be shared privately in a channel
    /forgetme         what the bot keeps about you in this workspace, with Delete and Cancel buttons
                      (their value is the student's id: another user's click deletes nothing)
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.failures import guarded
from bot.adapters.slack.report import report_blocks, report_text
from bot.adapters.slack.runtime import PLATFORM, Runtime, team_of, user_of
from bot.adapters.slack.teacher_check import is_teacher
from bot.adapters.slack.webapi import api_error
from bot.core.chatreport import USAGE, channel_report, parse_weeks
from bot.core.forgetme import CANCEL_LABEL, CONFIRM_LABEL, ForgetMe
from bot.core.reports import Report

log = logging.getLogger(__name__)

REFUSAL = "Sorry, only teachers (workspace admins or the configured teachers) can see the class report."
CHART_COMING = "The chart comes in a direct message from me."
CHART_FAILED = "I couldn't send you the chart in a direct message just now"
CHART_NAME = "class-report.png"
FORGET_CONFIRM = "forgetme_confirm"
FORGET_CANCEL = "forgetme_cancel"


async def send_chart(client: Any, user: str, report: Report, timeout: float = 30.0) -> str | None:
    """The chart of ``report`` as a PNG in a DM with ``user``; None when it went, else what went wrong."""
    from bot.charts import report_chart

    try:
        png = await asyncio.to_thread(report_chart, report)
    except Exception:
        log.exception("could not draw the report chart")
        return "it could not be drawn (see the bot's log)"
    try:
        opened = await asyncio.wait_for(client.conversations_open(users=user), timeout)
        channel = opened["channel"]["id"]
        await asyncio.wait_for(client.files_upload_v2(
            channel=channel, file=png, filename=CHART_NAME, title=f"Class report: {report.course_title}",
            alt_txt="Participation and trivia answers right per unit over the last weeks",
            initial_comment=render.safe(f"The chart of your class report ({report.course_title}).", 300),
        ), timeout)
    except Exception as e:
        reason = api_error(e)
        log.warning("could not send the report chart in a DM: %s", reason)
        if reason in ("missing_scope", "not_allowed_token_type"):
            return "the app needs the files:write and im:write scopes (see docs/slack-manifest.yaml)"
        return f"Slack said: {render.safe(reason, 100)}"
    return None


def register(app: Any, rt: Runtime) -> None:
    forgetme = ForgetMe(rt.store, PLATFORM)

    @app.command("/report")

    @guarded
    async def report_command(ack, command, respond, client, context, body):
        await ack()
        team, user, here = team_of(body, context), command.get("user_id", ""), command.get("channel_id")
        if not await is_teacher(client, rt.settings, user, rt.teacher_check_timeout):  # may raise TeacherCheckFailed
            await respond(response_type="ephemeral", text=REFUSAL)
            return
        weeks = parse_weeks(command.get("text") or "")
        if weeks is None:
            await respond(response_type="ephemeral", text=USAGE)
            return
        report = await channel_report(rt.store, rt.engine, PLATFORM, team, here, rt.clock.now(), weeks)
        await respond(response_type="ephemeral", text=report_text(report), blocks=report_blocks(report, CHART_COMING))
        problem = await send_chart(client, user, report)
        if problem is not None:
            await respond(response_type="ephemeral", replace_original=False, text=f"{CHART_FAILED}: {problem}.")

    @app.command("/forgetme")

    @guarded
    async def forgetme_command(ack, command, respond, context, body):
        await ack()
        team, user = team_of(body, context), command.get("user_id", "")
        preview = await forgetme.preview(team, user)
        if preview.empty:
            await respond(response_type="ephemeral", text=preview.text)
            return
        blocks = [
            render.section(render.escape(preview.text)),
            render.actions([render.button(CONFIRM_LABEL, FORGET_CONFIRM, user, "danger"),
                            render.button(CANCEL_LABEL, FORGET_CANCEL, user)], block_id="forgetme"),
        ]
        await respond(response_type="ephemeral", text=render.escape(preview.text), blocks=blocks)

    async def answer(respond: Any, outcome: Any) -> None:
        if outcome.done:  # the student's own click: the confirmation becomes the result
            await respond(response_type="ephemeral", replace_original=True, text=outcome.text)
        else:  # someone else's click: told apart, the student's confirmation stays as it is
            await respond(response_type="ephemeral", replace_original=False, text=outcome.text)

    @app.action(FORGET_CONFIRM)
    @guarded
    async def on_confirm(ack, action, body, respond, context):
        await ack()
        await answer(respond, await forgetme.confirm(team_of(body, context), str(action.get("value") or ""), user_of(body)))

    @app.action(FORGET_CANCEL)
    @guarded
    async def on_cancel(ack, action, body, respond):
        await ack()
        await answer(respond, forgetme.cancel(str(action.get("value") or ""), user_of(body)))


__all__ = ["CHART_COMING", "FORGET_CANCEL", "FORGET_CONFIRM", "REFUSAL", "register", "send_chart"]

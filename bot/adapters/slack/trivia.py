"""Trivia listeners: /trivia (teachers), /leaderboard, /mystats, answer buttons; the scheduler's Slack poster."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.failures import guarded
from bot.adapters.slack.parsing import LEADERBOARD_USAGE, TRIVIA_USAGE, parse_leaderboard, parse_trivia
from bot.adapters.slack.runtime import PLATFORM, Runtime, channel_of, team_of, user_of
from bot.adapters.slack.teacher_check import is_teacher
from bot.adapters.slack.trivia_replies import WORDS, leaderboard_text
from bot.adapters.slack.webapi import api_error
from bot.core.errors import PlatformError
from bot.core.trivia import wording
from bot.core.trivia.admin import TriviaAdmin
from bot.core.trivia.rounds import AnswerOrigin, parse_round_id

log = logging.getLogger(__name__)

REFUSAL = "Sorry, only teachers (workspace admins or the configured teachers) can change trivia settings."


def make_service(rt: Runtime, course: Any) -> Any:
    """The trivia engine for this course, or None when the course has no trivia questions."""
    from bot.core.courses import as_library
    from bot.core.trivia.rounds import TriviaService

    library = as_library(rt.engine)  # several courses: trivia if any has some
    if not course.trivia_items and not (library and library.has_trivia()):
        return None
    return TriviaService(rt.store, course, rt.settings.trivia, rt.clock, library)


class SlackTrivia:
    """Sends rounds and reveals to Slack: the Scheduler's callbacks, and /trivia now."""

    def __init__(self, rt: Runtime, client: Any):
        self.rt = rt
        self.client = client

    async def post_question(self, config: Any, trivia_round: Any, question: Any) -> str:
        """Post a round's question in its channel; returns the message ts (the round's message id).

        A refusal becomes a short PlatformError (Slack's error code): its text reaches the teacher and the
        round's record, where slack-sdk's own message would show the API URL and Slack's raw answer.
        """
        from slack_sdk.errors import SlackApiError

        try:
            resp = await self.client.chat_postMessage(
                channel=trivia_round.channel_id,
                text=render.trivia_question_text(question),
                blocks=render.trivia_question_blocks(question),
            )
        except SlackApiError as e:
            raise PlatformError(f"Slack refused the message: {api_error(e)}") from e
        return str(resp["ts"])

    async def post_reveal(self, reveal: Any) -> None:
        """The answer with its citation, in the question's thread; the question loses its buttons."""
        r = reveal.round
        thread = r.message_id or None
        await self.client.chat_postMessage(
            channel=r.channel_id,
            text=render.reveal_text(reveal),
            blocks=render.reveal_blocks(reveal),
            thread_ts=thread,
            reply_broadcast=bool(thread),
        )
        if thread and self.rt.trivia is not None:
            question = self.rt.trivia.question(r)
            try:
                await self.client.chat_update(
                    channel=r.channel_id,
                    ts=thread,
                    text=render.trivia_question_text(question),
                    blocks=render.trivia_question_blocks(question, closed=True),
                )
            except Exception as e:  # cosmetic: the reveal itself went out
                log.warning("could not close trivia question message %s: %s", thread, e)

    async def send_question(self, trivia_round: Any, question: Any) -> str:
        """post_question for a teacher's /trivia now (no scheduled config)."""
        return await self.post_question(None, trivia_round, question)


def admin_of(rt: Runtime) -> TriviaAdmin:
    """The trivia use-cases for this workspace's course (built per command: the course may change)."""
    return TriviaAdmin(rt.store, PLATFORM, rt.trivia, rt.clock)


def make_scheduler(rt: Runtime, client: Any) -> Any:
    """The trivia engine's Scheduler with Slack callbacks, or None when there is no trivia."""
    if rt.trivia is None:
        return None
    from bot.core.schedule import Scheduler

    slack = SlackTrivia(rt, client)
    return Scheduler(rt.store, rt.trivia, PLATFORM, slack.post_question, slack.post_reveal, clock=rt.clock)


def register(app: Any, rt: Runtime) -> None:
    slack = SlackTrivia(rt, app.client)

    @app.command("/trivia")

    @guarded
    async def trivia_command(ack, command, respond, client, context, body):
        await ack()
        user = command.get("user_id", "")
        team = team_of(body, context)
        cmd = parse_trivia(command.get("text") or "", command.get("channel_id"))
        admin = admin_of(rt)
        if cmd.action in ("optout", "optin"):  # everyone's, like /leaderboard optout
            text = wording.opted_out(WORDS, await admin.set_optout(team, user, cmd.action == "optout"))
            await respond(response_type="ephemeral", text=text)
            return
        if not await is_teacher(client, rt.settings, user, rt.teacher_check_timeout):  # may raise TeacherCheckFailed
            await respond(response_type="ephemeral", text=REFUSAL)
            return
        if cmd.action == "help":
            text = (render.escape(cmd.error) + "\n" if cmd.error else "") + TRIVIA_USAGE
            await respond(response_type="ephemeral", text=text)
            return
        if cmd.action == "schedule":
            scheduled = await admin.schedule(
                team, cmd.channel_id, cmd.post_time or "", cmd.timezone or "UTC", free_text=cmd.free_text
            )
            await respond(response_type="ephemeral", text=wording.scheduled(WORDS, scheduled))
        elif cmd.action == "off":
            await respond(response_type="ephemeral", text=wording.turned_off(WORDS, await admin.turn_off(team)))
        elif cmd.action == "settings":
            await respond(response_type="ephemeral", text=wording.status(WORDS, await admin.status(team)))
        elif cmd.action == "now":
            result = await admin.post_now(team, slack.send_question, current_channel=cmd.channel_id)
            await respond(response_type="ephemeral", text=wording.posted_now(WORDS, result))

    @app.command("/leaderboard")

    @guarded
    async def leaderboard_command(ack, respond, context, body, command):
        await ack()
        cmd = parse_leaderboard(command.get("text") or "")
        team, user = team_of(body, context), command.get("user_id", "")
        if cmd.action == "help":
            await respond(response_type="ephemeral", text=(render.escape(cmd.error) + "\n" if cmd.error else "") + LEADERBOARD_USAGE)
            return
        admin = admin_of(rt)
        if cmd.action in ("optout", "optin"):
            text = wording.opted_out(WORDS, await admin.set_optout(team, user, cmd.action == "optout"))
            await respond(response_type="ephemeral", text=text)
            return
        board = await admin.leaderboard(team, cmd.period)
        text = leaderboard_text(board)
        if not board.rows:
            await respond(response_type="ephemeral", text=text)
            return
        await respond(response_type="ephemeral", text=text, blocks=[render.section(text)])

    @app.command("/mystats")

    @guarded
    async def mystats_command(ack, respond, context, body, command):
        await ack()
        team, user = team_of(body, context), command.get("user_id", "")
        await respond(response_type="ephemeral", text=wording.stats(WORDS, await admin_of(rt).my_stats(team, user)))

    async def confirm_privately(client, channel: str | None, user: str, text: str, respond=None) -> None:
        """An ephemeral message in the channel; when Slack refuses it (a channel the app cannot post in) the
        click's response_url: a recorded answer must not come back as an error."""
        if channel:
            try:
                await client.chat_postEphemeral(channel=channel, user=user, text=text)
                return
            except Exception as e:
                if respond is None:
                    raise
                log.warning("chat.postEphemeral in %s failed (%s); answering through the response_url", channel, api_error(e))
        if respond is not None:
            await respond(response_type="ephemeral", replace_original=False, text=text)

    @app.action(re.compile(rf"^{render.TRIVIA_CHOICE}_\d+$"))
    @guarded
    async def on_choice(ack, action, body, client, respond, context):
        await ack()
        parsed = render.parse_choice_value(action.get("value") or "")
        user = user_of(body)
        channel = channel_of(body)
        round_id = parse_round_id(parsed[0]) if parsed else None
        if parsed is None or round_id is None or rt.trivia is None:
            await confirm_privately(client, channel, user, "That trivia question no longer exists.", respond)
            return
        origin = AnswerOrigin(team_of(body, context), channel or "")
        result = await rt.trivia.submit_answer(round_id, user, parsed[1], origin)
        await confirm_privately(client, channel, user, result.message, respond)

    @app.action(render.TRIVIA_OPEN_ANSWER)
    @guarded
    async def on_open_answer(ack, action, body, client, respond, context):
        await ack()
        user = user_of(body)
        channel = channel_of(body) or ""
        round_id = parse_round_id(action.get("value"))
        trivia_round, refused = None, None
        if round_id is not None and rt.trivia is not None:
            trivia_round, refused = await rt.trivia.answerable_round(round_id, AnswerOrigin(team_of(body, context), channel))
        if trivia_round is None or round_id is None or rt.trivia is None:
            text = refused.message if refused else "That trivia question no longer exists."
            await confirm_privately(client, channel, user, text, respond)
            return
        question = rt.trivia.question(trivia_round).question
        await client.views_open(trigger_id=body["trigger_id"], view=render.answer_modal(round_id, channel, question))

    @app.view(render.TRIVIA_MODAL)
    @guarded
    async def on_modal_answer(ack, body, view, client, context):
        await ack()
        user = user_of(body)
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            round_id, channel = parse_round_id(meta["r"]), meta.get("ch") or None
        except (ValueError, KeyError, TypeError):
            return
        if round_id is None or rt.trivia is None:
            return
        given = ((view.get("state") or {}).get("values") or {}).get("answer", {}).get("answer", {}).get("value") or ""
        result = await rt.trivia.submit_answer(round_id, user, given, AnswerOrigin(team_of(body, context), channel))
        await confirm_privately(client, channel, user, result.message)

"""Trivia listeners: /trivia (teachers), /leaderboard, /mystats, answer buttons; the scheduler's Slack poster."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.commands import (
    LEADERBOARD_USAGE,
    TRIVIA_USAGE,
    is_teacher,
    parse_leaderboard,
    parse_trivia,
)
from bot.adapters.slack.failures import guarded
from bot.adapters.slack.runtime import PLATFORM, Runtime, channel_of, log, team_of, user_of
from bot.adapters.slack.webapi import api_error
from bot.core.errors import PlatformError
from bot.core.trivia.rounds import AnswerOrigin, parse_round_id

REFUSAL = "Sorry, only teachers (workspace admins or the configured teachers) can change trivia settings."


def make_service(rt: Runtime, course: Any) -> Any:
    """The trivia engine for this course, or None when the course has no trivia questions."""
    from bot.core.trivia.rounds import TriviaService

    if not course.trivia_items:
        return None
    return TriviaService(rt.store, course, rt.settings.trivia, rt.clock)


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

    async def start_now(self, team_id: str, channel_id: str) -> str:
        """Start and post a round now (teacher's /trivia now); returns what to tell the teacher."""
        from bot.core.errors import TriviaError

        service = self.rt.trivia
        try:
            result = await service.post_round(
                PLATFORM, team_id, channel_id, lambda trivia_round, q: self.post_question(None, trivia_round, q)
            )
        except TriviaError as e:
            return render.safe(str(e), 500)
        if not result.posted:
            log.warning("trivia round %s could not be posted: %s", result.round.id, result.error)
            return f"I could not post in <#{channel_id}>: is the app in that channel? ({render.safe(result.error or '', 200)})"
        return f"Trivia posted in <#{channel_id}>."


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
        if cmd.action in ("optout", "optin"):  # everyone's, like /leaderboard optout
            await respond(response_type="ephemeral", text=await set_optout(team, user, cmd.action == "optout"))
            return
        if not await is_teacher(client, rt.settings, user, rt.teacher_check_timeout):  # may raise TeacherCheckFailed
            await respond(response_type="ephemeral", text=REFUSAL)
            return
        if cmd.action == "help":
            text = (render.escape(cmd.error) + "\n" if cmd.error else "") + TRIVIA_USAGE
            await respond(response_type="ephemeral", text=text)
            return
        if cmd.action == "schedule":
            cfg = await rt.store.set_trivia_config(
                PLATFORM, team, cmd.channel_id, post_time=cmd.post_time, timezone=cmd.timezone, free_text=cmd.free_text
            )
            await respond(
                response_type="ephemeral",
                text=f"Daily trivia scheduled in <#{cfg.channel_id}> at {cfg.post_time} ({cfg.timezone}), {_kind(cfg)}. "
                f"{await _next_post_line(cfg)}\nIf I am not in <#{cfg.channel_id}> yet, invite me there.",
            )
        elif cmd.action == "off":
            if not await rt.store.disable_trivia(PLATFORM, team):
                await respond(response_type="ephemeral", text="Daily trivia is already off.")
                return
            await respond(response_type="ephemeral", text="Daily trivia is off.")
        elif cmd.action == "settings":
            cfg = await rt.store.get_trivia_config(PLATFORM, team)
            if cfg is None:
                text = "Daily trivia is not set up. " + "Use `/trivia schedule #channel HH:MM Area/City`."
            else:
                state = "on" if cfg.enabled else "off"
                text = f"Daily trivia is {state}: <#{cfg.channel_id}> at {cfg.post_time} ({cfg.timezone}), {_kind(cfg)}."
                if cfg.enabled:
                    text += " " + await _next_post_line(cfg)
            await respond(response_type="ephemeral", text=text)
        elif cmd.action == "now":
            if rt.trivia is None:
                await respond(response_type="ephemeral", text="This course has no trivia questions.")
                return
            cfg = await rt.store.get_trivia_config(PLATFORM, team)
            channel = cfg.channel_id if cfg is not None else cmd.channel_id
            await respond(response_type="ephemeral", text=await slack.start_now(team, channel))

    def _kind(cfg: Any) -> str:
        return "free-text answers" if cfg.free_text else "multiple choice"

    async def set_optout(team: str, user: str, optout: bool) -> str:
        await rt.store.set_leaderboard_optout(PLATFORM, team, user, optout)
        if optout:
            return (
                "You are off the leaderboard; your answers still count for `/mystats`. "
                "`/leaderboard optin` puts you back."
            )
        return "You are back on the leaderboard."

    async def _next_post_line(cfg: Any) -> str:
        from bot.core.schedule import next_post_for

        at = await next_post_for(rt.store, PLATFORM, cfg, rt.clock.now())
        stamp = int(at.timestamp())
        return f"Next question: <!date^{stamp}^{{date_short_pretty}} at {{time}}|{at:%Y-%m-%d %H:%M} UTC>."

    @app.command("/leaderboard")

    @guarded
    async def leaderboard_command(ack, respond, context, body, command):
        await ack()
        cmd = parse_leaderboard(command.get("text") or "")
        team, user = team_of(body, context), command.get("user_id", "")
        if cmd.action == "help":
            await respond(response_type="ephemeral", text=(render.escape(cmd.error) + "\n" if cmd.error else "") + LEADERBOARD_USAGE)
            return
        if cmd.action in ("optout", "optin"):
            await respond(response_type="ephemeral", text=await set_optout(team, user, cmd.action == "optout"))
            return
        period = cmd.period
        if rt.trivia is not None:
            rows = await rt.trivia.leaderboard(PLATFORM, team, period)
        else:
            rows = await rt.store.leaderboard(PLATFORM, team, period=period)
        if not rows:
            await respond(response_type="ephemeral", text="No trivia points yet.")
            return
        title = "This week" if period == "week" else "All time"
        lines = [f"*Trivia leaderboard — {title}*"]
        for r in rows:
            streak = f" :fire: {r.streak}" if r.streak > 1 else ""
            lines.append(f"{r.rank}. <@{r.user_id}> — {r.points} pts ({r.correct} correct){streak}")
        await respond(response_type="ephemeral", text="\n".join(lines), blocks=[render.section("\n".join(lines))])

    @app.command("/mystats")

    @guarded
    async def mystats_command(ack, respond, context, body, command):
        await ack()
        team, user = team_of(body, context), command.get("user_id", "")
        if rt.trivia is not None:
            s = await rt.trivia.user_stats(PLATFORM, team, user)
        else:
            s = await rt.store.user_stats(PLATFORM, team, user)
        rank = f"#{s.rank}" if s.rank else ("hidden (opted out)" if s.optout else "—")
        text = (
            f"*Your trivia*: {s.points} points ({s.week_points} this week), rank {rank}\n"
            f"{s.correct}/{s.answered} correct, streak {s.streak} (best {s.best_streak})"
        )
        await respond(response_type="ephemeral", text=text)

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

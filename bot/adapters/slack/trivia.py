"""Trivia listeners: /trivia (teachers), /leaderboard, /mystats, answer buttons; the scheduler's Slack poster."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.ask import _team
from bot.adapters.slack.commands import TRIVIA_USAGE, is_teacher, parse_trivia
from bot.adapters.slack.runtime import PLATFORM, Runtime, log
from bot.core.errors import ClassbotError

REFUSAL = "Sorry, only teachers (workspace admins or the configured teachers) can change trivia settings."


def make_service(rt: Runtime, course: Any) -> Any:
    """The trivia engine for this course, or None while it is not available."""
    return None


def make_scheduler(rt: Runtime, client: Any) -> Any:
    return None


def register(app: Any, rt: Runtime) -> None:
    @app.command("/trivia")
    async def trivia_command(ack, command, respond, client, context, body):
        await ack()
        user = command.get("user_id", "")
        if not await is_teacher(client, rt.settings, user):
            await respond(response_type="ephemeral", text=REFUSAL)
            return
        team = _team(body, context)
        cmd = parse_trivia(command.get("text") or "", command.get("channel_id"))
        if cmd.action == "help":
            text = (cmd.error + "\n" if cmd.error else "") + TRIVIA_USAGE
            await respond(response_type="ephemeral", text=text)
            return
        try:
            if cmd.action == "schedule":
                cfg = await rt.store.set_trivia_config(
                    PLATFORM, team, cmd.channel_id, post_time=cmd.post_time, timezone=cmd.timezone
                )
                await respond(
                    response_type="ephemeral",
                    text=f"Daily trivia scheduled in <#{cfg.channel_id}> at {cfg.post_time} ({cfg.timezone}).",
                )
            elif cmd.action == "off":
                cfg = await rt.store.get_trivia_config(PLATFORM, team)
                if cfg is None or not cfg.enabled:
                    await respond(response_type="ephemeral", text="Daily trivia is already off.")
                    return
                await rt.store.set_trivia_config(
                    PLATFORM, team, cfg.channel_id, cfg.post_time, cfg.timezone, enabled=False, free_text=cfg.free_text
                )
                await respond(response_type="ephemeral", text="Daily trivia is off.")
            elif cmd.action == "settings":
                cfg = await rt.store.get_trivia_config(PLATFORM, team)
                if cfg is None:
                    text = "Daily trivia is not set up. " + "Use `/trivia schedule #channel HH:MM Area/City`."
                else:
                    state = "on" if cfg.enabled else "off"
                    text = f"Daily trivia is {state}: <#{cfg.channel_id}> at {cfg.post_time} ({cfg.timezone})."
                await respond(response_type="ephemeral", text=text)
            elif cmd.action == "now":
                await respond(response_type="ephemeral", text="Trivia is not available yet.")
        except ClassbotError as e:
            log.warning("/trivia %s failed: %s", cmd.action, e)
            await respond(response_type="ephemeral", text=render.safe(str(e), 500))

    @app.command("/leaderboard")
    async def leaderboard_command(ack, respond, context, body, command):
        await ack()
        period = "week" if "week" in (command.get("text") or "").lower() else "all"
        rows = await rt.store.leaderboard(PLATFORM, _team(body, context), period=period)
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
    async def mystats_command(ack, respond, context, body, command):
        await ack()
        s = await rt.store.user_stats(PLATFORM, _team(body, context), command.get("user_id", ""))
        rank = f"#{s.rank}" if s.rank else "—"
        text = (
            f"*Your trivia*: {s.points} points ({s.week_points} this week), rank {rank}\n"
            f"{s.correct}/{s.answered} correct, streak {s.streak} (best {s.best_streak})"
        )
        await respond(response_type="ephemeral", text=text)

"""/course on Slack: show the channel's course, bind a course (teachers), reload courses (teachers).

Parsing and rendering only: bot.core.coursecommands does the work; the teacher rule is the one
of /trivia (workspace admins and owners, the configured teacher ids and user group).

    /course                          the course of this channel, and the courses there are
    /course set COURSE [#channel]    this course in that channel (without a channel: the whole workspace)
    /course set default [#channel]   remove the setting
    /course reload [COURSE]          read the course files again now
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack.failures import guarded
from bot.adapters.slack.runtime import PLATFORM, Runtime, team_of
from bot.adapters.slack.teacher_check import is_teacher
from bot.core.coursecommands import CourseCommands, choice_text, reload_text, set_text
from bot.core.courses import CourseLibrary

USAGE = (
    "`/course`: the course used here. `/course set COURSE [#channel]`: use a course in a channel "
    "(without a channel: the whole workspace; `default` removes the setting). `/course reload [COURSE]`: "
    "read the course files again now."
)
REFUSAL = "Sorry, only teachers (workspace admins or the configured teachers) can change the course."
_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True, slots=True)
class CourseCommand:
    action: str  # show | set | reload | help
    course: str | None = None
    channel_id: str | None = None
    error: str | None = None


def parse_course(text: str) -> CourseCommand:
    words = text.split()
    if not words:
        return CourseCommand("show")
    action, rest = words[0].lower(), words[1:]
    if action == "set":
        if not rest or len(rest) > 2:
            return CourseCommand("help", error="Say which course, e.g. `/course set physics #lab`.")
        channel = None
        if len(rest) == 2:
            m = _CHANNEL.match(rest[1])
            if m is None:
                return CourseCommand("help", error="Name the channel with #, e.g. `/course set physics #lab`.")
            channel = m.group(1)
        return CourseCommand("set", rest[0], channel)
    if action == "reload" and len(rest) <= 1:
        return CourseCommand("reload", rest[0] if rest else None)
    return CourseCommand("help")


def register(app: Any, rt: Runtime, library: CourseLibrary) -> None:
    commands = CourseCommands(library, rt.store, PLATFORM)

    @app.command("/course")

    @guarded
    async def course_command(ack, command, respond, client, context, body):
        await ack()
        team, user, here = team_of(body, context), command.get("user_id", ""), command.get("channel_id")
        cmd = parse_course(command.get("text") or "")
        if cmd.action == "show":
            await respond(response_type="ephemeral", text=render.escape(choice_text(await commands.show(team, here))))
            return
        if cmd.action == "help":
            await respond(response_type="ephemeral", text=(render.escape(cmd.error) + "\n" if cmd.error else "") + USAGE)
            return
        if not await is_teacher(client, rt.settings, user, rt.teacher_check_timeout):  # may raise TeacherCheckFailed
            await respond(response_type="ephemeral", text=REFUSAL)
            return
        if cmd.action == "set":
            done = await commands.set(team, cmd.channel_id, cmd.course or "", user)
            where = f"<#{cmd.channel_id}>" if cmd.channel_id else "the whole workspace"
            text = render.escape(set_text(done, "\x00")).replace("\x00", where)  # the channel link stays a link
            await respond(response_type="ephemeral", text=text)
        else:
            await respond(response_type="ephemeral", text=render.escape(reload_text(await commands.reload(cmd.course))))


__all__ = ["REFUSAL", "USAGE", "CourseCommand", "parse_course", "register"]

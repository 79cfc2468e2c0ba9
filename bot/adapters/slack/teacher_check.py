"""Who is a teacher on Slack: workspace admins and owners, configured ids, a user group."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.webapi import TRANSIENT, read_api
from bot.config import Settings
from bot.core.errors import PlatformError

CHECK_FAILED = "I couldn't check with Slack whether you are a teacher just now. Please try again in a moment."


def _undecided(answer: dict | None) -> bool:
    return answer is None or (not answer.get("ok") and str(answer.get("error")) in TRANSIENT)


class TeacherCheckFailed(PlatformError):
    """Slack did not answer the teacher check (error, unreadable reply, timeout): neither yes nor no."""


async def is_teacher(client: Any, settings: Settings, user_id: str, timeout: float) -> bool:
    """Workspace admins and owners, the configured teacher ids, and members of the teacher user group
    (each Web API call may take `timeout` seconds).

    A Slack error answer (user_not_found, missing_scope...) counts as "no" from that source (and is logged);
    raises TeacherCheckFailed when no source said yes and one gave no answer (an unreadable reply, an HTTP
    error page, a timeout, rate limits): that user may be a teacher, and may try again.
    """
    if user_id in settings.slack.teacher_user_ids:
        return True
    info = await read_api(client.users_info, "users.info", timeout, user=user_id)
    undecided = _undecided(info)
    user = info.get("user") if info is not None and info.get("ok") else None
    if isinstance(user, dict) and (user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")):
        return True
    group = settings.slack.teacher_usergroup
    if group:
        members = await read_api(client.usergroups_users_list, "usergroups.users.list", timeout, usergroup=group)
        users = members.get("users") if members is not None and members.get("ok") else None
        if isinstance(users, list) and user_id in users:
            return True
        undecided = undecided or _undecided(members)
    if undecided:
        raise TeacherCheckFailed(CHECK_FAILED)
    return False

"""Who is a teacher on Discord: Manage Server (or Administrator, or the owner), or the teacher role."""

from __future__ import annotations

import discord

from bot.adapters.discord.render import reply_privately


def is_teacher(interaction: discord.Interaction, teacher_role: str | None) -> bool:
    """Manage Server (or Administrator, or the owner), or the configured teacher role (name or id)."""
    if interaction.guild is None:
        return False
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    user = interaction.user
    if interaction.guild.owner_id == user.id:
        return True
    wanted = (teacher_role or "").strip()
    if wanted and isinstance(user, discord.Member):
        for role in user.roles:
            if role.name == wanted or str(role.id) == wanted:
                return True
    return False


async def teacher_only(interaction: discord.Interaction, teacher_role: str | None, refusal: str) -> bool:
    """Whether a teacher is asking; if not, they are told ``refusal`` privately."""
    if is_teacher(interaction, teacher_role):
        return True
    await reply_privately(interaction, refusal)
    return False


__all__ = ["is_teacher", "teacher_only"]

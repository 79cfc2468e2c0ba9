"""Discord adapter: translation between discord.py events and classbot's core types.

Import ``bot.adapters.discord.app`` (which imports discord.py) only when running on Discord.
"""

"""No token, interaction token or Socket Mode ticket in the log, even at DEBUG (issue 9, item 13).

End to end: ``classbot run discord`` / ``classbot run slack`` at DEBUG against the fake platforms,
with the log captured from the process's stderr."""

from __future__ import annotations

import asyncio
import logging
import re
import signal

import pytest

from bot.ops import logredact
from bot.ops.logredact import REDACTED, redact
from tests.adapters.discord.test_discord import classbot_run_discord, run_env
from tests.adapters.slack.test_slack_cli import _env as slack_env
from tests.adapters.slack.test_slack_cli import _finish
from tests.adapters.slack.test_slack_cli import _start as classbot_run_slack
from tests.fakes import write_course
from tests.fakes.discord_server import APP_ID, GUILD_ID, FakeDiscord
from tests.fakes.slack_server import FakeSlack

# shaped like a real Discord bot token (base64 id . timestamp . hmac); not a real one
DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.mark.parametrize(
    "line, secret, kept",
    [
        ("POST https://discord.com/api/v10/interactions/123/aW50ZXJhY3Rpb24abc/callback with None has returned 200",
         "aW50ZXJhY3Rpb24abc", "/interactions/123/[redacted]/callback"),
        ("PATCH https://discord.com/api/v10/webhooks/42/aW50ZXJhY3Rpb24xyz/messages/@original has returned 200",
         "aW50ZXJhY3Rpb24xyz", "/webhooks/42/[redacted]/messages/@original"),
        ("connecting to wss://wss-primary.slack.com/link/?ticket=abc-123-def&app_id=A1",
         "abc-123-def", "ticket=[redacted]&app_id=A1"),
        ("headers: {'Authorization': 'Bearer xoxb-1234-5678-abcdef', 'User-Agent': 'x'}",
         "xoxb-1234-5678-abcdef", "'User-Agent': 'x'"),
        ("{'Authorization': 'Bot " + DISCORD_TOKEN + "'}", DISCORD_TOKEN, "Authorization"),
        ('event: {"type": 3, "token": "aW50ZXJhY3Rpb24qqq", "id": "9"}', "aW50ZXJhY3Rpb24qqq", '"id": "9"'),
        ("app token xapp-1-A111-222-abcdef in use", "xapp-1-A111-222-abcdef", "in use"),
        ("bot token " + DISCORD_TOKEN + " rejected", DISCORD_TOKEN, "rejected"),
    ],
)  # fmt: skip
def test_redact_removes_the_secret_and_keeps_the_rest_of_the_line(line, secret, kept):
    out = redact(line)
    assert secret not in out and REDACTED in out and kept in out


def test_redact_leaves_ordinary_lines_alone():
    for line in [
        "slash command /ask failed (user 5, guild 2, channel 3): boom",
        "DISCORD_TOKEN is not set: put the bot token in the environment or in .env",
        "POST https://discord.com/api/v10/channels/300/messages has returned 200",
    ]:
        assert redact(line) == line


def test_the_filter_redacts_arguments_tracebacks_and_configured_secrets(tmp_path):
    stream = __import__("io").StringIO()
    logger = logging.getLogger("classbot.test.redact")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logredact.install(["plain-secret-value"], logger)
        logredact.install(["plain-secret-value"], logger)  # installing twice keeps one filter
        assert len(handler.filters) == 1
        logger.warning("calling %s", "https://x/webhooks/1/tok123/messages/@original")
        try:
            raise RuntimeError("failed with plain-secret-value in the message")
        except RuntimeError:
            logger.exception("oops")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "tok123" not in text and "plain-secret-value" not in text
    assert "/webhooks/1/[redacted]/messages/@original" in text and "RuntimeError: failed with [redacted]" in text


# ---- end to end ------------------------------------------------------------------------------


async def test_discord_at_debug_logs_no_token_and_stays_useful(tmp_path):
    fake = await FakeDiscord(token=DISCORD_TOKEN).start()
    course = write_course(tmp_path / "course")
    env = {**run_env(fake, tmp_path, course, DISCORD_TOKEN), "CLASSBOT_LOG_LEVEL": "DEBUG"}
    proc = await classbot_run_discord(env, tmp_path)
    try:
        await fake.wait_for_request("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands", timeout=15)
        await fake.wait_connected(timeout=10)
        iid = await fake.slash("ask", {"question": "which is the largest planet"})
        callback = await fake.wait_for_callback(iid, timeout=10)
        assert callback["type"] == 4
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 15)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.close()
    log = err.decode()
    assert proc.returncode == 0, log[-2000:]
    assert DISCORD_TOKEN not in log and f"itoken{iid}" not in log
    # still useful: the interaction and its callback are there, the secret part replaced
    assert f"/interactions/{iid}/{REDACTED}/callback" in log
    assert "DEBUG" in log and "INTERACTION_CREATE" in log


async def test_slack_socket_mode_at_debug_logs_no_token_or_ticket_and_stays_useful(tmp_path):
    async with FakeSlack() as slack:
        proc = await classbot_run_slack({**slack_env(slack, tmp_path), "CLASSBOT_LOG_LEVEL": "DEBUG"}, tmp_path)
        try:
            await slack.wait_for_connections(1, timeout=20)
            since = slack.mark()
            eid = slack.slash_command("/ask", "who walked on the moon first")
            await slack.wait_for_ack(eid)
            await slack.wait_for("response_url", since=since)
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            code, log = await _finish(proc)
    assert code == 0, log[-2000:]
    assert slack.bot_token not in log and slack.app_token not in log
    assert re.search(r"ticket=(?!\[redacted\])", log) is None
    assert f"ticket={REDACTED}" in log  # the connection is still logged, without its ticket
    assert "DEBUG" in log and "apps.connections.open" in log

"""JSON logs: one JSON object per line, through the handler the CLI sets up (and its filters)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from bot.ops.logformat import JsonFormatter, use_log_format
from tests.fakes import write_course
from tests.fakes.discord_server import GUILD_ID, FakeDiscord

ROOT = Path(__file__).resolve().parents[2]


class _Redact(logging.Filter):
    """A handler filter that rewrites the message and the traceback, as the secret redaction does."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = record.getMessage().replace("s3cret", "[redacted]"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = record.exc_text.replace("s3cret", "[redacted]")
        return True


def test_json_lines_carry_time_level_logger_message_and_the_filtered_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(_Redact())
    logger = logging.getLogger("classbot.test.jsonlogs")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        use_log_format("json", logger)
        logger.warning("token %s and a line\u2028break", "s3cret")
        try:
            raise ValueError("bad s3cret")
        except ValueError:
            logger.exception("it failed")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"time", "level", "logger", "message"}
    assert first["level"] == "WARNING" and first["logger"] == "classbot.test.jsonlogs"
    assert first["message"] == "token [redacted] and a line\u2028break"
    assert datetime.fromisoformat(first["time"].replace("Z", "+00:00")).tzinfo is not None
    assert second["level"] == "ERROR" and second["message"] == "it failed"
    assert "Traceback" in second["exc_info"] and "ValueError: bad [redacted]" in second["exc_info"]
    assert "s3cret" not in stream.getvalue()


def test_text_format_leaves_the_handlers_as_they_were():
    handler = logging.StreamHandler(io.StringIO())
    before = handler.formatter
    logger = logging.getLogger("classbot.test.textlogs")
    logger.addHandler(handler)
    try:
        use_log_format("text", logger)
    finally:
        logger.removeHandler(handler)
    assert handler.formatter is before and not isinstance(handler.formatter, JsonFormatter)


async def test_classbot_run_discord_with_json_logs_writes_one_json_object_per_line_with_secrets_redacted(tmp_path):
    fake = await FakeDiscord().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSBOT_", "DISCORD_"))}
    env.update({
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_GUILD_IDS": str(GUILD_ID),
        "CLASSBOT_DATABASE": str(tmp_path / "run.db"),
        "CLASSBOT_KNOWLEDGE": str(write_course(tmp_path / "course")),
        "CLASSBOT_LOG_FORMAT": "json",
        "CLASSBOT_LOG_LEVEL": "DEBUG",  # discord.py then logs what it sends, the token included
        "PYTHONPATH": str(ROOT),
    })
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "discord", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_connected(timeout=15)
        # answering /ask posts to /interactions/{id}/{interaction token}/callback, which discord.py logs at DEBUG
        await fake.wait_for_callback(await fake.slash("ask", {"question": "what is the biggest planet?"}), timeout=15)
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 15)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.close()
    assert proc.returncode == 0, err.decode()
    records = [json.loads(line) for line in err.decode().splitlines()]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    messages = [r["message"] for r in records if r["logger"] == "bot.adapters.discord.app"]
    assert f"slash commands synced to guild {GUILD_ID}" in messages, records
    assert "shutting down" in messages
    assert fake.token not in err.decode()
    callbacks = [r["message"] for r in records if "/callback" in r["message"]]
    assert callbacks and all("/[redacted]/callback" in m for m in callbacks), callbacks  # the redaction filter ran before the JSON formatter

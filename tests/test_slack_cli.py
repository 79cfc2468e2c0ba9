"""`python -m bot run slack`, the real entry point, as a subprocess against the fake Slack."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.fakes.slack_course import write_course
from tests.fakes.slack_server import FakeSlack

ROOT = Path(__file__).resolve().parent.parent


def _env(slack: FakeSlack, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLASSBOT_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_APP_TOKEN": slack.app_token,
            "SLACK_API_URL": slack.api_url,
            "CLASSBOT_DATABASE": str(tmp_path / "classbot.db"),
            "CLASSBOT_KNOWLEDGE": str(write_course(tmp_path / "courses")),
            "CLASSBOT_ASK_COOLDOWN": "0",
        }
    )
    env.update(extra)
    return env


async def _start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "slack",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _finish(proc: asyncio.subprocess.Process, timeout: float = 15.0) -> tuple[int, str]:
    try:
        _, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError("classbot did not exit in time") from None
    return proc.returncode, err.decode()


async def test_run_slack_connects_and_answers_then_stops_on_sigterm(tmp_path):
    async with FakeSlack() as slack:
        proc = await _start(_env(slack, tmp_path), tmp_path)
        try:
            await slack.wait_for_connections(1, timeout=20)
            since = slack.mark()
            eid = slack.slash_command("/ask", "who walked on the moon first")
            await slack.wait_for_ack(eid)
            reply = await slack.wait_for("response_url", since=since)
            assert "> Neil Armstrong was the first person to walk on the Moon." in reply.all_text()
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            code, err = await _finish(proc)
    assert code == 0, err
    assert slack.bot_token not in err and slack.app_token not in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("variable", "message"),
    [("SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN (invalid_auth)"), ("SLACK_APP_TOKEN", "SLACK_APP_TOKEN (invalid_auth)")],
)
async def test_run_slack_with_a_rejected_token_fails_with_one_line(tmp_path, variable, message):
    async with FakeSlack() as slack:
        bad = "xoxb-wrong-secret-value" if variable == "SLACK_BOT_TOKEN" else "xapp-wrong-secret-value"
        proc = await _start(_env(slack, tmp_path, **{variable: bad}), tmp_path)
        code, err = await _finish(proc)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert "wrong-secret" not in err and "Traceback" not in err


async def test_run_slack_without_tokens_says_what_is_missing(tmp_path):
    async with FakeSlack() as slack:
        env = _env(slack, tmp_path)
        del env["SLACK_APP_TOKEN"]
        proc = await _start(env, tmp_path)
        code, err = await _finish(proc)
    assert code != 0
    assert err.strip().splitlines() == [err.strip()] and "SLACK_APP_TOKEN is not set" in err


async def test_run_slack_in_http_mode_serves_signed_requests(tmp_path):
    import socket

    import aiohttp

    from tests.fakes.slack_server import sign

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with FakeSlack() as slack:
        env = _env(slack, tmp_path, SLACK_MODE="http", SLACK_SIGNING_SECRET="s3cret", SLACK_HOST="127.0.0.1")
        env["SLACK_PORT"] = str(port)
        del env["SLACK_APP_TOKEN"]  # not needed in HTTP mode
        proc = await _start(env, tmp_path)
        url = f"http://127.0.0.1:{port}/slack/events"
        try:
            from urllib.parse import urlencode

            body = urlencode(slack.slash_command_payload("/ask", "who walked on the moon first"))
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign("s3cret", body)}
            async with aiohttp.ClientSession() as http:
                for _ in range(100):  # bounded: until the server is listening
                    try:
                        async with http.post(url, data=body, headers=headers) as resp:
                            assert resp.status == 200
                            break
                    except aiohttp.ClientConnectionError:
                        if proc.returncode is not None:
                            break
                        await asyncio.sleep(0.1)
            reply = await slack.wait_for("response_url")
            assert "Neil Armstrong" in reply.all_text()
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            code, err = await _finish(proc)
    assert code == 0, err

"""`python -m bot run slack`, the real entry point, as a subprocess against the fake Slack."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from multidict import CIMultiDict

from tests.fakes.slack_course import write_course
from tests.fakes.slack_server import FakeSlack, Listener, sign

ROOT = Path(__file__).resolve().parents[3]
SECRET = "s3cret"
FORM = "application/x-www-form-urlencoded"


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


async def _finish(proc: asyncio.subprocess.Process, timeout: float = 60.0) -> tuple[int, str]:
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
    assert not (tmp_path / "classbot.db").exists()  # a run that never connected leaves no empty database


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [(200, "<html>a captive portal</html>", "application/json"), (500, "Internal Server Error", "text/plain")],
)
async def test_run_slack_when_something_else_answers_for_slack_fails_with_one_line(tmp_path, status, body, content_type):
    async with FakeSlack() as slack:
        slack.fail_once("auth.test", status=status, body=body, content_type=content_type)
        proc = await _start(_env(slack, tmp_path), tmp_path)
        code, err = await _finish(proc)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "did not answer like Slack" in lines[0] and "SLACK_API_URL" in lines[0], err
    assert "Traceback" not in err


async def test_run_slack_without_tokens_says_what_is_missing(tmp_path):
    async with FakeSlack() as slack:
        env = _env(slack, tmp_path)
        del env["SLACK_APP_TOKEN"]
        proc = await _start(env, tmp_path)
        code, err = await _finish(proc)
    assert code != 0
    assert err.strip().splitlines() == [err.strip()] and "SLACK_APP_TOKEN is not set" in err


async def test_run_slack_with_no_tokens_at_all_names_every_missing_one_on_one_line_and_exits_78(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLASSBOT_"))}
    proc = await _start(env, tmp_path)
    code, err = await _finish(proc)
    assert code == 78
    assert err.strip().splitlines() == [err.strip()], err
    assert "SLACK_BOT_TOKEN is not set" in err and "SLACK_APP_TOKEN is not set" in err and "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class HttpRun:
    """`classbot run slack` in HTTP mode, as a subprocess; `code` and `log` (its stderr) are set once it stopped."""

    url: str
    proc: asyncio.subprocess.Process
    code: int | None = None
    log: str = ""


@asynccontextmanager
async def http_mode(slack: FakeSlack, tmp_path: Path, secret: str = SECRET) -> AsyncIterator[HttpRun]:
    port = _free_port()
    env = _env(slack, tmp_path, SLACK_MODE="http", SLACK_SIGNING_SECRET=secret, SLACK_HOST="127.0.0.1")
    env["SLACK_PORT"] = str(port)
    del env["SLACK_APP_TOKEN"]  # not needed in HTTP mode
    run = HttpRun(f"http://127.0.0.1:{port}/slack/events", await _start(env, tmp_path))
    try:
        for _ in range(300):  # bounded: until the server is listening (a bare TCP connect: no request is sent)
            if run.proc.returncode is not None:
                break
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        yield run
    finally:
        if run.proc.returncode is None:
            run.proc.send_signal(signal.SIGTERM)
        run.code, run.log = await _finish(run.proc)


def _form(payload: dict) -> str:
    return urlencode(payload)


async def _post(url: str, body: str | bytes, headers: CIMultiDict) -> int:
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as resp:
        return resp.status


async def test_run_slack_in_http_mode_serves_signed_requests(tmp_path):
    async with FakeSlack() as slack, http_mode(slack, tmp_path) as run:
        body = _form(slack.slash_command_payload("/ask", "who walked on the moon first"))
        headers = CIMultiDict({"Content-Type": FORM, **sign(SECRET, body)})
        assert await _post(run.url, body, headers) == 200
        reply = await slack.wait_for("response_url")
        assert "Neil Armstrong" in reply.all_text()
    assert run.code == 0, run.log


def _unverifiable_requests(slash: str, click: str, now: int) -> list[tuple[str, list[tuple[str, str]], str | bytes]]:
    """(what, headers, body): requests that must all be refused. `slash` and `click` are form bodies whose
    response_url points at the attacker's listener."""
    ts, sig = "X-Slack-Request-Timestamp", "X-Slack-Signature"

    def signed(body: str | bytes, timestamp: str, secret: str = SECRET) -> list[tuple[str, str]]:
        raw = body.encode() if isinstance(body, str) else body
        digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + raw, hashlib.sha256).hexdigest()
        return [("Content-Type", FORM), (ts, timestamp), (sig, f"v0={digest}")]

    good = signed(slash, str(now))
    return [
        ("a timestamp of letters", signed(slash, "abc"), slash),
        ("an empty timestamp", signed(slash, ""), slash),
        ("a timestamp in exponent form", signed(slash, "1e3"), slash),
        ("a timestamp of 5000 digits", signed(slash, "9" * 5000), slash),
        ("a click with a timestamp of letters", signed(click, "abc"), click),
        ("no timestamp header", [h for h in good if h[0] != ts], slash),
        ("no signature header", [h for h in good if h[0] != sig], slash),
        ("no Slack header at all", [("Content-Type", FORM)], slash),
        ("two timestamp headers, the first garbage", [*good[:1], (ts, "abc"), *good[1:]], slash),
        ("two signature headers", [*good, (sig, "v0=" + "0" * 64)], slash),
        ("a stale timestamp (a replay), correctly signed", signed(slash, str(now - 600)), slash),
        ("a timestamp from the future, correctly signed", signed(slash, str(now + 600)), slash),
        ("a wrong signing secret", signed(slash, str(now), "not-the-secret"), slash),
        ("a malformed signature", [*good[:2], (sig, "v0=zz")], slash),
        ("an unsigned JSON body that does not parse", [("Content-Type", "application/json"), (ts, str(now)), (sig, "v0=" + "1" * 64)], "{"),
        ("an unsigned JSON list", [("Content-Type", "application/json"), (ts, str(now)), (sig, "v0=" + "1" * 64)], "[1]"),
        ("an unsigned body that is not UTF-8", [("Content-Type", FORM), (ts, "abc"), (sig, "v0=")], b"payload=\xff\xfe"),
    ]


async def test_unverifiable_requests_get_401_and_make_no_outgoing_request(tmp_path):
    async with Listener() as attacker, FakeSlack() as slack, http_mode(slack, tmp_path) as run:
        slash = slack.slash_command_payload("/ask", "MARKER-forged who walked on the moon first")
        slash["response_url"] = attacker.url("/slash")
        click = {
            "type": "block_actions",
            "user": {"id": "U1"},
            "team": {"id": "T0001"},
            "response_url": attacker.url("/click"),
            "actions": [{"action_id": "feedback_helpful", "value": "MARKER-forged"}],
        }
        slash_body, click_body = _form(slash), _form({"payload": json.dumps(click)})
        since = slack.mark()
        statuses = {}
        for what, headers, body in _unverifiable_requests(slash_body, click_body, int(time.time())):
            statuses[what] = await _post(run.url, body, CIMultiDict(headers))
        assert {what: s for what, s in statuses.items() if s != 401} == {}

        # the server still serves Slack; once this signed request is answered, anything the forged ones
        # had set off would have happened too
        after = slack.mark()
        body = _form(slack.slash_command_payload("/ask", "who walked on the moon first"))
        assert await _post(run.url, body, CIMultiDict({"Content-Type": FORM, **sign(SECRET, body)})) == 200
        assert "Neil Armstrong" in (await slack.wait_for("response_url", since=after)).all_text()
        assert attacker.requests == []
        assert slack.calls[since:after] == []  # not even auth.test: nothing was done for them
    assert run.code == 0, run.log
    assert "Traceback" not in run.log and "MARKER" not in run.log and attacker.url() not in run.log
    assert run.log.count("refused a request to /slack/events") == 1  # a flood makes one line a minute

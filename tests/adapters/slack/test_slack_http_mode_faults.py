"""Issue 9, items 8, 10 and 11, through a real HTTP request to `classbot run slack` in HTTP mode.

The bot runs as a subprocess (`python -m bot run slack`, SLACK_MODE=http) against the fake Slack (Web API and
response_url); every request is correctly signed, so what is refused is refused by the bot's own rules, and
what the student sees is what the bot sent to Slack.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import aiohttp
from multidict import CIMultiDict

from bot.adapters.slack.app import load_runtime
from bot.adapters.slack.failures import STORE_ANSWER
from bot.adapters.slack.render import choice_value
from bot.adapters.slack.teacher_check import CHECK_FAILED
from bot.store import open_store
from tests.adapters.slack.test_slack_app import make_settings
from tests.adapters.slack.test_slack_cli import FORM, SECRET, _form, http_mode
from tests.fakes.slack_server import APP_ID, TEAM_ID, FakeSlack, sign

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)


async def _rounds(slack: FakeSlack, tmp_path: Path) -> tuple[int, int]:
    """Before the bot starts: a posted round in this workspace's #C9, and one of another workspace (T_OTHER)."""
    async with open_store(tmp_path / "classbot.db") as store:
        rt = await load_runtime(make_settings(slack, tmp_path), store)
        assert rt.trivia is not None
        mine = await rt.trivia.start_round("slack", TEAM_ID, "C9")
        await store.mark_round_posted(mine.id, "1700000000.000100")
        theirs = await rt.trivia.start_round("slack", "T_OTHER", "C5")
        await store.mark_round_posted(theirs.id, "1700000000.000200")
    return mine.id, theirs.id


def _click(slack: FakeSlack, value: str, *, user: str = "U1", channel: str = "C9") -> str:
    """The form body Slack POSTs for a click on the first choice of a trivia message in `channel`."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification-token",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": channel, "is_ephemeral": False},
        "trigger_id": "trigger-1",
        "team": {"id": TEAM_ID, "domain": "testclass"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "trivia"},
        "message": {"type": "message", "ts": "1700000000.000100", "text": "Trivia", "bot_id": "BBOT"},
        "response_url": slack.response_url(),
        "actions": [
            {
                "action_id": "trivia_choice_0",
                "block_id": "choices",
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000001",
            }
        ],
    }
    return _form({"payload": json.dumps(payload)})


async def _send(url: str, body: str) -> tuple[int, str]:
    """POST `body` signed with the app's secret; the HTTP status and response body."""
    headers = CIMultiDict({"Content-Type": FORM, **sign(SECRET, body)})
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as http, http.post(url, data=body, headers=headers) as resp:
        return resp.status, await resp.text()


def _answers(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]


async def test_http_mode_a_click_on_a_locked_database_tells_the_student_to_try_again_without_the_path(tmp_path):
    db = tmp_path / "classbot.db"
    async with FakeSlack() as slack:
        slack.add_user("U1")
        mine, _ = await _rounds(slack, tmp_path)
        async with http_mode(slack, tmp_path) as run:
            locker = sqlite3.connect(db, isolation_level=None)
            try:
                locker.execute("BEGIN EXCLUSIVE")  # another process holds the database
                since = slack.mark()
                status, answer = await _send(run.url, _click(slack, choice_value(mine, 0)))
                assert status == 200
                reply = await slack.wait_for("response_url", since=since, timeout=30)
                assert reply.text == STORE_ANSWER and reply.params["response_type"] == "ephemeral"
                sent = [answer, *(json.dumps(c.params) for c in slack.calls[since:])]
                assert not any(str(tmp_path) in s or "classbot.db" in s or "Traceback" in s for s in sent), sent
            finally:
                locker.execute("ROLLBACK")
                locker.close()
            assert _answers(db) == 0

            # the lock is gone: the same click is recorded
            since = slack.mark()
            assert (await _send(run.url, _click(slack, choice_value(mine, 0))))[0] == 200
            again = await slack.wait_for("chat.postEphemeral", since=since, timeout=30)
            assert "Answer recorded" in again.text and _answers(db) == 1
    assert run.code == 0, run.log
    assert "the database failed while handling block_actions trivia_choice_0" in run.log
    assert str(db) in run.log  # the detail is in the bot's log


async def test_http_mode_a_click_naming_another_workspaces_round_or_a_huge_round_id_records_nothing(tmp_path):
    db = tmp_path / "classbot.db"
    async with FakeSlack() as slack:
        slack.add_user("U1")
        _, theirs = await _rounds(slack, tmp_path)
        async with http_mode(slack, tmp_path) as run:
            for value in (choice_value(theirs, 0), choice_value(10**30, 0)):
                since = slack.mark()
                assert (await _send(run.url, _click(slack, value)))[0] == 200, value
                reply = await slack.wait_for("chat.postEphemeral", since=since, timeout=30)
                assert (reply.params["channel"], reply.params["user"]) == ("C9", "U1")
                assert reply.text == "That trivia question no longer exists.", value
                assert _answers(db) == 0
    assert run.code == 0, run.log
    assert "Traceback" not in run.log and "OverflowError" not in run.log


async def test_http_mode_a_teacher_check_answered_with_a_body_that_is_not_json_says_try_again(tmp_path):
    async with FakeSlack() as slack:
        slack.add_user("UADMIN", is_admin=True)
        async with http_mode(slack, tmp_path) as run:
            slack.fail_once("users.info", status=200, body="<html>not JSON</html>", content_type="application/json")
            since = slack.mark()
            body = _form(slack.slash_command_payload("/trivia", "schedule <#C9|trivia> 09:00 UTC", user="UADMIN"))
            assert (await _send(run.url, body))[0] == 200
            reply = await slack.wait_for("response_url", since=since, timeout=30)
            assert reply.text == CHECK_FAILED and reply.params["response_type"] == "ephemeral"
            assert slack.find("users.info", since=since)  # it did ask Slack

            since = slack.mark()  # Slack answers again: the same command works
            body = _form(slack.slash_command_payload("/trivia", "schedule <#C9|trivia> 09:00 UTC", user="UADMIN"))
            assert (await _send(run.url, body))[0] == 200
            again = await slack.wait_for("response_url", since=since, timeout=30)
            assert "Daily trivia scheduled in <#C9>" in again.text
    assert run.code == 0, run.log
    assert "Traceback" not in run.log and "users.info" in run.log

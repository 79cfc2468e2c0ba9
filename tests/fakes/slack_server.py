"""A fake Slack for tests: the Web API, the response_url endpoint and the Socket Mode websocket.

The real slack-sdk / slack-bolt talk to it over 127.0.0.1, exactly as they would to Slack.
Test-facing API:

    async with FakeSlack() as slack:
        slack.api_url                            # give this to AsyncWebClient(base_url=...)
        eid = slack.slash_command("/ask", "who met dobrynin", user="U1")
        await slack.wait_for_ack(eid)
        call = await slack.wait_for("response_url")
        slack.click(call, "feedback_helpful", user="U1")
        slack.fail_once("chat.postMessage")      # next call answers 429 with Retry-After
        slack.request_reconnect()                # {"type": "disconnect", "reason": "refresh_requested"}
        await slack.wait_for_connections(2)

Every waiting helper is bounded by a timeout.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"
APP_ID = "A0001"


def block_texts(node: Any) -> list[str]:
    """Every "text" string inside Block Kit blocks, in order."""
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in ([v] if k == "text" and isinstance(v, str) else block_texts(v))]
    if isinstance(node, list):
        return [t for v in node for t in block_texts(v)]
    return []


@dataclass(frozen=True)
class _Failure:
    status: int
    retry_after: int
    body: str | None
    content_type: str
    delay: float


@dataclass
class ApiCall:
    """One request the fake received: a Web API method, or 'response_url'."""

    method: str
    params: dict[str, Any]
    token: str | None
    index: int
    result: dict[str, Any] = field(default_factory=dict)  # what the fake answered

    @property
    def text(self) -> str:
        return str(self.params.get("text") or "")

    @property
    def blocks(self) -> list[dict]:
        blocks = self.params.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        return blocks

    def all_text(self) -> str:
        """The fallback text and every text inside the blocks, joined: handy for assertions."""
        return "\n".join([self.text, *block_texts(self.blocks)])

    def buttons(self) -> list[dict]:
        found = []
        for block in self.blocks:
            for el in block.get("elements", []) if block.get("type") == "actions" else []:
                if el.get("type") == "button":
                    found.append(el)
            acc = block.get("accessory")
            if isinstance(acc, dict) and acc.get("type") == "button":
                found.append(acc)
        return found


class FakeSlack:
    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        app_token: str = "xapp-test-token",
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[ApiCall] = []
        self.acks: dict[str, dict] = {}
        self.connections = 0  # websocket connections accepted so far
        self.users: dict[str, dict] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.uploads: dict[str, bytes] = {}  # file id -> the bytes sent to its upload URL (files_upload_v2)
        self._failures: dict[str, list[_Failure]] = {}
        self._cond = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{id}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/link/", self._websocket)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    # ------------------------------------------------------------------ test set-up
    def add_user(self, user_id: str, *, is_admin: bool = False, is_owner: bool = False, name: str = "") -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name or user_id.lower(),
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_bot": False,
        }

    def add_usergroup(self, group_id: str, user_ids: list[str]) -> None:
        self.usergroups[group_id] = list(user_ids)

    def fail_once(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 0,
        *,
        body: str | None = None,
        content_type: str = "application/json",
        delay: float = 0.0,
    ) -> None:
        """The next call of `method` gets this HTTP status (429 with Retry-After by default). With `body`, that
        raw text is the answer (any `content_type`, JSON or not); `delay` holds the answer back that long."""
        self._failures.setdefault(method, []).append(_Failure(status, retry_after, body, content_type, delay))

    # ------------------------------------------------------------------ waiting
    async def _wait(self, found: Callable[[], Any], timeout: float) -> Any:
        async with self._cond:
            try:
                await asyncio.wait_for(self._cond.wait_for(lambda: found() is not None), timeout)
            except TimeoutError:
                raise AssertionError(f"timed out after {timeout}s waiting on the fake Slack") from None
            return found()

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    def find(self, method: str, where: Callable[[ApiCall], bool] | None = None, since: int = 0) -> list[ApiCall]:
        return [c for c in self.calls[since:] if c.method == method and (where is None or where(c))]

    async def wait_for(
        self,
        method: str,
        where: Callable[[ApiCall], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> ApiCall:
        """The first call of `method` (from index `since`) matching `where`, waiting for it if need be."""

        def first() -> ApiCall | None:
            hits = self.find(method, where, since)
            return hits[0] if hits else None

        return await self._wait(first, timeout)

    def mark(self) -> int:
        """An index for wait_for(since=...): only calls made after this point."""
        return len(self.calls)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        return await self._wait(lambda: self.acks.get(envelope_id), timeout)

    async def wait_for_connections(self, n: int, timeout: float = 10.0) -> None:
        await self._wait(lambda: True if self.connections >= n and self._open_sockets() else None, timeout)

    def _open_sockets(self) -> list[web.WebSocketResponse]:
        return [ws for ws in self._sockets if not ws.closed]

    # ------------------------------------------------------------------ sending to the app
    def send_envelope(self, type_: str, payload: dict, *, accepts_response_payload: bool = False) -> str:
        envelope_id = f"env-{next(self._ids)}"
        message = {
            "envelope_id": envelope_id,
            "type": type_,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        sockets = self._open_sockets()
        if not sockets:
            raise AssertionError("no Socket Mode connection to send to")
        asyncio.get_running_loop().create_task(sockets[-1].send_str(json.dumps(message)))
        return envelope_id

    def request_reconnect(self) -> None:
        for ws in self._open_sockets():
            asyncio.get_running_loop().create_task(
                ws.send_str(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))
            )

    def response_url(self) -> str:
        return f"{self.base}/respond/{next(self._ids)}"

    def slash_command_payload(self, command: str, text: str, *, user: str = "U1", channel: str = "C1") -> dict:
        return {
            "token": "verification-token",
            "team_id": TEAM_ID,
            "team_domain": "testclass",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.response_url(),
            "trigger_id": f"trigger-{next(self._ids)}",
        }

    def slash_command(self, command: str, text: str, *, user: str = "U1", channel: str = "C1") -> str:
        payload = self.slash_command_payload(command, text, user=user, channel=channel)
        return self.send_envelope("slash_commands", payload, accepts_response_payload=True)

    def _event(self, event: dict) -> str:
        body = {
            "token": "verification-token",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids)}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        return self.send_envelope("events_api", body)

    def new_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def mention(self, text: str, *, user: str = "U1", channel: str = "C1") -> str:
        """An app_mention event; `text` should hold f"<@{BOT_USER_ID}>" like real Slack."""
        ts = self.new_ts()
        return self._event(
            {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
        )

    def direct_message(self, text: str, *, user: str = "U1", channel: str = "D1") -> str:
        ts = self.new_ts()
        return self._event(
            {
                "type": "message",
                "channel": channel,
                "channel_type": "im",
                "user": user,
                "text": text,
                "ts": ts,
                "event_ts": ts,
            }
        )

    def click(self, message: ApiCall, action_id: str, *, user: str = "U1", channel: str | None = None) -> str:
        """Click the button `action_id` of a message the app posted (chat.postMessage or response_url)."""
        button = next((b for b in message.buttons() if b.get("action_id") == action_id), None)
        if button is None:
            ids = [b.get("action_id") for b in message.buttons()]
            raise AssertionError(f"no button {action_id!r} in the message (buttons: {ids})")
        block_id = next(
            (
                b.get("block_id")
                for b in message.blocks
                if button in b.get("elements", []) or b.get("accessory") is button
            ),
            "block",
        )
        channel = channel or message.params.get("channel") or message.result.get("channel") or "C1"
        ts = message.result.get("ts") or self.new_ts()
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
            "api_app_id": APP_ID,
            "token": "verification-token",
            "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
            "trigger_id": f"trigger-{next(self._ids)}",
            "team": {"id": TEAM_ID, "domain": "testclass"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", "ts": ts, "text": message.text, "blocks": message.blocks, "bot_id": BOT_ID},
            "response_url": self.response_url(),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": button.get("text"),
                    "value": button.get("value", ""),
                    "type": "button",
                    "action_ts": self.new_ts(),
                }
            ],
        }
        return self.send_envelope("interactive", payload)

    def submit_view(self, opened: ApiCall, values: dict[str, dict[str, str]], *, user: str = "U1") -> str:
        """Submit a modal the app opened (a views.open call); values: {block_id: {action_id: text}}."""
        view = dict(opened.result["view"])
        view["state"] = {
            "values": {
                block: {action: {"type": "plain_text_input", "value": text} for action, text in actions.items()}
                for block, actions in values.items()
            }
        }
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "testclass"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
            "api_app_id": APP_ID,
            "token": "verification-token",
            "trigger_id": f"trigger-{next(self._ids)}",
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return self.send_envelope("interactive", payload, accepts_response_payload=True)

    # ------------------------------------------------------------------ HTTP handlers
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        return params

    async def _record(self, method: str, params: dict, token: str | None, result: dict) -> ApiCall:
        call = ApiCall(method, params, token, len(self.calls), result)
        self.calls.append(call)
        await self._notify()
        return call

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.pop("token", None)
        params.pop("token", None)

        failures = self._failures.get(method)
        if failures:
            f = failures.pop(0)
            if f.delay:
                await asyncio.sleep(f.delay)
            if f.body is not None:
                await self._record(method, params, token, {"ok": False, "status": f.status, "body": f.body})
                return web.Response(status=f.status, body=f.body.encode(), headers={"Content-Type": f.content_type})
            await self._record(method, params, token, {"ok": False, "error": "ratelimited", "status": f.status})
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=f.status, headers={"Retry-After": str(f.retry_after)}
            )

        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            result = {"ok": False, "error": "invalid_auth" if token else "not_authed"}
        else:
            result = self._result(method, params)
        await self._record(method, params, token, result)
        return web.json_response(result)

    def _result(self, method: str, params: dict) -> dict:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://testclass.slack.com/",
                "team": "Test class",
                "user": "classbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket={next(self._ids)}"}
        if method == "chat.postMessage":
            channel = params.get("channel")
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            ts = self.new_ts()
            message = {"type": "message", "text": params.get("text", ""), "ts": ts, "bot_id": BOT_ID}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.new_ts()}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "views.open":
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            if not params.get("trigger_id") or not isinstance(view, dict):
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "view": {**view, "id": f"V{next(self._ids)}", "team_id": TEAM_ID}}
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.open":  # a DM with the user(s): D + the user id
            users = str(params.get("users") or "")
            if not users:
                return {"ok": False, "error": "users_list_not_supplied"}
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}
        if method == "files.getUploadURLExternal":  # step 1 of files_upload_v2
            if not params.get("filename") or not str(params.get("length") or "").isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._ids)}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
        if method == "files.completeUploadExternal":  # step 3: share the uploaded file(s) in channel_id
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            if not isinstance(files, list) or any(f.get("id") not in self.uploads for f in files):
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title") or "", "size": len(self.uploads[f["id"]])}
                                          for f in files]}
        if method == "usergroups.users.list":
            group = self.usergroups.get(str(params.get("usergroup")))
            return {"ok": True, "users": group} if group is not None else {"ok": False, "error": "no_such_subteam"}
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        params = await request.json()
        # the message it makes gets a ts, so clicks on its buttons carry the same message_ts, as in Slack
        await self._record("response_url", params, None, {"ok": True, "ts": self.new_ts()})
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """Step 2 of files_upload_v2: the file's bytes POSTed to the URL files.getUploadURLExternal gave."""
        file_id = request.match_info["file_id"]
        data = await request.read()
        self.uploads[file_id] = data
        await self._record("upload", {"file_id": file_id, "length": len(data)}, None, {"ok": True})
        return web.Response(text=f"OK - {len(data)}")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.connections += 1
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}}))
        await self._notify()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    if "envelope_id" in data:
                        self.acks[data["envelope_id"]] = data
                        await self._notify()
        finally:
            await self._notify()
        return ws


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack puts on an HTTP-mode request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class Listener:
    """A plain HTTP server on 127.0.0.1 that records every request it receives, on any path and method:
    it stands in for an address an attacker controls (a forged `response_url`)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []  # (method, path, body)
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def __aenter__(self) -> Listener:
        async def record(request: web.Request) -> web.Response:
            self.requests.append((request.method, request.path, await request.read()))
            return web.Response(text="ok")

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", record)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

"""A fake Discord (REST + gateway) on 127.0.0.1, for driving the real discord.py end to end.

Test-facing API:
- ``await FakeDiscord().start()``; ``fake.api_base`` / ``fake.gateway_url`` to point the client at it.
- ``fake.message_create(...)``, ``fake.slash(...)``, ``fake.click(...)``: dispatch gateway events.
- ``await fake.wait_for_request(method, path_regex, ...)``: the next matching request not yet taken.
- ``fake.fail_next(method, path_regex)``: answer the next matching request with a 429 (Via + retry_after).
- ``await fake.drop_gateway()``: close the socket with 4000; events dispatched meanwhile are replayed on RESUME.
- Many guilds and shards: ``FakeDiscord(guilds=many_guilds(200), shard_count=2)`` serves ``GET /gateway/bot``
  and takes one gateway connection per shard (IDENTIFY with ``shard: [id, count]``), each getting only its
  guilds (``(guild_id >> 22) % count``) and a READY carrying ``shard``. Each guild has its own channels
  (``channel_of(guild)``). ``fake.trivia_posts()`` counts the questions posted per guild.
- ``fake.hold_posts(guilds)``: messages posted to those guilds' channels are recorded, but their responses
  are held back until ``fake.release_posts()`` (a bot killed while waiting for Discord's answer).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import WSMsgType, web

BOT_ID = 100000000000000001  # real-looking snowflakes: discord.py parses mentions of 15-20 digits
APP_ID = 100000000000000002
GUILD_ID = 200000000000000001
CHANNEL_ID = 300000000000000001  # #questions
OTHER_CHANNEL_ID = 300000000000000002  # #off-topic
DM_CHANNEL_ID = 300000000000000099


def _json(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    # discord.py needs the exact content type "application/json" (no charset)
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


def user(uid: int, name: str | None = None, bot: bool = False) -> dict:
    return {
        "id": str(uid),
        "username": name or f"user{uid}",
        "discriminator": "0",
        "avatar": None,
        "global_name": None,
        "bot": bot,
    }


def many_guilds(n: int) -> tuple[int, ...]:
    """``n`` guild ids, real-looking snowflakes spread evenly over the shards (by their timestamp bits)."""
    return tuple(((1_000_000_000_000 + i) << 22) | 1 for i in range(n))


def channel_of(guild_id: int) -> int:
    """The #questions channel of a guild (CHANNEL_ID in the default guild)."""
    return CHANNEL_ID if guild_id == GUILD_ID else guild_id + 1


def other_channel_of(guild_id: int) -> int:
    return OTHER_CHANNEL_ID if guild_id == GUILD_ID else guild_id + 2


def shard_of(guild_id: int, count: int) -> int:
    return (guild_id >> 22) % count


@dataclass
class Request:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict
    json: Any
    headers: dict
    received_at: float = field(default_factory=time.perf_counter)
    files: list[Upload] = field(default_factory=list)  # the files of a multipart request, in order


@dataclass
class Upload:
    """A file the bot attached (a ``files[n]`` part next to ``payload_json``)."""

    part: str  # files[0], files[1]...: the multipart field
    filename: str
    content_type: str
    data: bytes


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern
    status: int
    body: dict
    headers: dict = field(default_factory=dict)


class FakeDiscord:
    def __init__(self, token: str = "test-token", guilds: tuple[int, ...] = (GUILD_ID,), shard_count: int = 1):
        self.token = token
        self.guilds = guilds
        self.shard_count = shard_count  # what GET /gateway/bot recommends
        self._guild_of_channel = {
            str(c): str(g) for g in guilds for c in (channel_of(g), other_channel_of(g))
        }
        self.shards: dict[int, web.WebSocketResponse] = {}  # shard id -> its open gateway connection
        self._identified_shard_count = 1  # the shard count the sharded clients identified with
        self.identify_payloads: list[dict] = []
        self._hold: frozenset[str] = frozenset()  # channel ids whose posts get no response for now
        self._release = asyncio.Event()
        self.holding = asyncio.Event()  # set once a post is being held
        self.message_content_intent = False  # True: model a bot granted the privileged intent
        self.requests: list[Request] = []
        self._taken: set[int] = set()
        self._changed = asyncio.Condition()
        self._failures: list[_Failure] = []
        self._ids = itertools.count(900_000_000_000_000_001)
        self.messages: dict[str, dict] = {}  # id -> message object the bot posted
        self._uploads: list[Upload] = []  # the files of the request being answered
        self.events: list[dict] = []  # every dispatch, with its seq
        self._ws: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self.identifies = 0
        self.identify_payload: dict = {}
        self.resumes = 0
        self.session_id = "fake-session"
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        self._release.set()
        for ws in [self._ws, *self.shards.values()]:
            if ws is not None and not ws.closed:
                await ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def new_id(self) -> str:
        return str(next(self._ids))

    # ---- test-facing: requests -------------------------------------------------------------
    def fail_next(self, method: str, path: str, retry_after: float = 0.05) -> None:
        """Answer the next matching request with a 429 that discord.py retries."""
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        self._failures.append(_Failure(method, re.compile(path), 429, body, {"Via": "1.1 google"}))

    def hold_posts(self, guilds) -> None:
        """Record the messages posted in these guilds' channels but hold their responses back."""
        self._hold = frozenset(str(c) for g in guilds for c in (channel_of(g), other_channel_of(g)))
        self._release.clear()
        self.holding.clear()

    def release_posts(self) -> None:
        self._hold = frozenset()
        self._release.set()

    def trivia_posts(self) -> dict[str, int]:
        """How many trivia questions (messages with answer buttons, not replies) each guild got."""
        counts: dict[str, int] = {}
        for r in self.matching("POST", r"/channels/\d+/messages"):
            body = r.json or {}
            if body.get("components") and not body.get("message_reference"):
                guild = self._guild_of_channel.get(r.path.split("/")[2], "?")
                counts[guild] = counts.get(guild, 0) + 1
        return counts

    async def wait_shards(self, n: int, timeout: float = 20.0) -> None:
        """Until ``n`` shards are connected and identified."""
        async def wait() -> None:
            while sum(1 for ws in self.shards.values() if not ws.closed) < n:
                await asyncio.sleep(0.05)

        await asyncio.wait_for(wait(), timeout)

    def matching(self, method: str, path: str) -> list[Request]:
        rx = re.compile(path)
        return [r for r in self.requests if r.method == method and rx.fullmatch(r.path)]

    async def wait_for_request(self, method: str, path: str, timeout: float = 5.0, where=None) -> Request:
        """The first matching request not returned before (waits for it to arrive)."""
        rx = re.compile(path)

        def find() -> Request | None:
            for i, r in enumerate(self.requests):
                if i not in self._taken and r.method == method and rx.fullmatch(r.path) and (where is None or where(r)):
                    self._taken.add(i)
                    return r
            return None

        async def wait() -> Request:
            async with self._changed:
                while (found := find()) is None:
                    await self._changed.wait()
                return found

        return await asyncio.wait_for(wait(), timeout)

    async def wait_for_reply(self, channel_id: int = CHANNEL_ID, timeout: float = 5.0) -> dict:
        """The next message the bot posts in a channel (its JSON payload)."""
        return (await self.wait_for_request("POST", f"/channels/{channel_id}/messages", timeout)).json

    async def wait_for_callback(self, interaction_id: str, timeout: float = 5.0) -> dict:
        return (await self.wait_for_request("POST", f"/interactions/{interaction_id}/.*/callback", timeout)).json

    # ---- test-facing: gateway events -------------------------------------------------------
    async def wait_connected(self, timeout: float = 5.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def dispatch(self, event: str, data: dict) -> None:
        """Send a gateway event now, or on RESUME if the client is disconnected."""
        payload = {"op": 0, "t": event, "s": len(self.events) + 1, "d": data}
        self.events.append(payload)
        if self.shards and data.get("guild_id"):  # sharded: the connection of the guild's shard
            ws = self.shards.get(shard_of(int(data["guild_id"]), self._identified_shard_count))
            if ws is not None and not ws.closed:
                await ws.send_str(json.dumps(payload))
            return
        if self._ws is not None and not self._ws.closed and self._connected.is_set():
            await self._ws.send_str(json.dumps(payload))

    async def drop_gateway(self) -> None:
        """Close the gateway socket as Discord does on a server-side hiccup (4000: resumable)."""
        self._connected.clear()
        if self._ws is not None:
            await self._ws.close(code=4000, message=b"fake drop")

    async def message_create(
        self,
        content: str,
        author_id: int = 500000000000000001,
        channel_id: int = CHANNEL_ID,
        *,
        dm: bool = False,
        mention_bot: bool = False,
        author_bot: bool = False,
    ) -> dict:
        mentions = [user(BOT_ID, "classbot", bot=True)] if mention_bot else []
        if mention_bot and f"<@{BOT_ID}>" not in content:
            content = f"<@{BOT_ID}> {content}"
        data = {
            "id": self.new_id(),
            "type": 0,
            "channel_id": str(DM_CHANNEL_ID if dm else channel_id),
            "author": user(author_id, bot=author_bot),
            # without the message-content intent, Discord blanks content unless mentioned or in a DM
            "content": content if (dm or mention_bot or self.message_content_intent) else "",
            "timestamp": "2026-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentions,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "flags": 0,
        }
        if not dm:
            data["guild_id"] = str(GUILD_ID)
            data["member"] = {
                "roles": [],
                "joined_at": "2025-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    def _interaction(
        self, itype: int, data: dict, user_id: int, channel_id: int, message: dict | None, guild_id: int = GUILD_ID
    ) -> dict:
        iid = self.new_id()
        payload = {
            "id": iid,
            "application_id": str(APP_ID),
            "type": itype,
            "token": f"itoken{iid}",
            "version": 1,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": {  # as Discord sends it: a full channel (the bot may not have the guild cached)
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": "questions",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "permissions": "2147483647",
            },
            "member": {
                "user": user(user_id),
                "roles": [],
                "joined_at": "2025-01-01T00:00:00+00:00",
                "permissions": "2147483647",
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "data": data,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": "2147483647",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        return payload

    async def slash(
        self, name: str, options: dict | None = None, user_id: int = 500000000000000001, channel_id: int = CHANNEL_ID
    ) -> str:
        """Run a slash command; returns the interaction id."""
        data = {
            "id": self._command_id(name),
            "name": name,
            "type": 1,
            "guild_id": str(GUILD_ID),
            "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()],
        }
        payload = self._interaction(2, data, user_id, channel_id, None)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload["id"]

    async def click(
        self,
        message: dict,
        custom_id: str,
        user_id: int = 500000000000000001,
        *,
        guild_id: int = GUILD_ID,
        channel_id: int | None = None,
    ) -> str:
        """Click a button on a message the bot posted; returns the interaction id. ``guild_id`` /
        ``channel_id``: where Discord says the click happened (a forged button on another message)."""
        data = {"custom_id": custom_id, "component_type": 2}
        channel = int(message["channel_id"]) if channel_id is None else channel_id
        payload = self._interaction(
            3, data, user_id, channel, {**message, "channel_id": str(channel), "guild_id": str(guild_id)}, guild_id
        )
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload["id"]

    def _command_id(self, name: str) -> str:
        for r in reversed(self.requests):
            if r.method == "PUT" and isinstance(r.json, list):
                for i, c in enumerate(r.json):
                    if c.get("name") == name:
                        return str(700000000000000000 + i)
        return "700000000000000999"

    # ---- REST ------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[Upload] = []
        if request.can_read_body:
            if request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                async for part in reader:
                    if part.name == "payload_json":
                        body = json.loads(await part.text())
                    elif part.filename is not None:
                        ctype = part.headers.get("Content-Type", "application/octet-stream")
                        files.append(Upload(part.name or "", part.filename, ctype, bytes(await part.read())))
            else:
                raw = await request.read()
                body = json.loads(raw) if raw else None
        req = Request(request.method, path, dict(request.query), body, dict(request.headers), files=files)
        self.requests.append(req)
        async with self._changed:
            self._changed.notify_all()

        for f in self._failures:
            if f.method == request.method and f.pattern.fullmatch(path):
                self._failures.remove(f)
                return _json(f.body, f.status, f.headers)

        if (
            not path.startswith(("/interactions/", "/webhooks/"))
            and request.headers.get("Authorization") != f"Bot {self.token}"
        ):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        self._uploads = files  # the message stored for this request lists them as attachments
        try:
            response = self._route(request.method, path, body)
        finally:
            self._uploads = []
        m = re.fullmatch(r"/channels/(\d+)/messages", path)
        if request.method == "POST" and m and m.group(1) in self._hold:
            self.holding.set()  # the message is stored: Discord posted it, the bot never hears back
            await self._release.wait()
        return response

    def _route(self, method: str, path: str, body: Any) -> web.Response:
        if method == "GET" and path == "/gateway/bot":
            return _json({
                "url": self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            })  # fmt: skip
        if method == "GET" and path == "/users/@me":
            return _json(user(BOT_ID, "classbot", bot=True))
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "classbot",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "00",
                    "owner": user(100000000000000009, "teacher"),
                    "flags": 0,
                }
            )
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            return _json(
                [
                    {**c, "id": str(700000000000000000 + i), "application_id": str(APP_ID), "version": "1"}
                    for i, c in enumerate(body or [])
                ]
            )
        if (m := re.fullmatch(r"/channels/(\d+)/messages", path)) and method == "POST":
            return _json(self._store_message(m.group(1), body or {}))
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            return self._callback(m.group(1), body or {})
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path) and method == "POST":
            return _json(self._store_message(str(CHANNEL_ID), body or {}))
        if m := re.fullmatch(r"/webhooks/\d+/[^/]+/messages/(@original|\d+)", path):
            return _json(self._store_message(str(CHANNEL_ID), body or {}))
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _store_message(self, channel_id: str, body: dict) -> dict:
        msg = {
            "id": self.new_id(),
            "type": 0,
            "channel_id": channel_id,
            "author": user(BOT_ID, "classbot", bot=True),
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "timestamp": "2026-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [
                {"id": self.new_id(), "filename": u.filename, "size": len(u.data), "content_type": u.content_type,
                 "url": f"https://cdn.example/attachments/{u.filename}", "proxy_url": f"https://cdn.example/{u.filename}"}
                for u in self._uploads
            ],
            "pinned": False,
            "flags": body.get("flags") or 0,
        }
        if channel_id != str(DM_CHANNEL_ID):
            msg["guild_id"] = self._guild_of_channel.get(channel_id, str(GUILD_ID))
        self.messages[msg["id"]] = msg
        return msg

    def _callback(self, interaction_id: str, body: dict) -> web.Response:
        rtype = body.get("type", 4)
        interaction = {"id": interaction_id, "type": rtype}
        resource: dict = {"type": rtype}
        if rtype in (4, 5, 7):
            msg = self._store_message(str(CHANNEL_ID), body.get("data") or {})
            interaction["response_message_id"] = msg["id"]
            interaction["response_message_loading"] = rtype == 5
            interaction["response_message_ephemeral"] = bool((body.get("data") or {}).get("flags", 0) & 64)
            resource["message"] = msg
        return _json({"interaction": interaction, "resource": resource})

    # ---- gateway ---------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            op = data.get("op")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                self.identify_payload = data["d"]
                self.identify_payloads.append(data["d"])
                await self._identify(ws, data["d"].get("shard"))
            elif op == 6:
                await self._resume(ws, data["d"].get("seq") or 0)
        if self._ws is ws:
            self._connected.clear()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, shard: list[int] | None = None) -> None:
        self.identifies += 1
        guilds = self.guilds
        if shard is not None:
            shard_id, count = int(shard[0]), int(shard[1])
            guilds = tuple(g for g in self.guilds if shard_of(g, count) == shard_id)
            self.shards[shard_id] = ws
            self._identified_shard_count = count
        ready = {
            "v": 10,
            "user": user(BOT_ID, "classbot", bot=True),
            "session_id": self.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        for event, d in [("READY", ready)] + [("GUILD_CREATE", self._guild(g)) for g in guilds]:
            payload = {"op": 0, "t": event, "s": len(self.events) + 1, "d": d}
            self.events.append(payload)
            await ws.send_str(json.dumps(payload))
        self._connected.set()

    async def _resume(self, ws: web.WebSocketResponse, seq: int) -> None:
        self.resumes += 1
        for payload in self.events[seq:]:
            await ws.send_str(json.dumps(payload))
        payload = {"op": 0, "t": "RESUMED", "s": len(self.events) + 1, "d": {}}
        self.events.append(payload)
        await ws.send_str(json.dumps(payload))
        self._connected.set()

    def _guild(self, gid: int) -> dict:
        channel = {
            "type": 0,
            "guild_id": str(gid),
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }
        return {
            "id": str(gid),
            "name": "History 101",
            "unavailable": False,
            "owner_id": "100000000000000009",
            "member_count": 3,
            "roles": [
                {
                    "id": str(gid),
                    "name": "@everyone",
                    "permissions": "2147483647",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                }
            ],
            "channels": [
                {**channel, "id": str(channel_of(gid)), "name": "questions"},
                {**channel, "id": str(other_channel_of(gid)), "name": "off-topic", "position": 1},
            ],
            "members": [
                {
                    "user": user(BOT_ID, "classbot", bot=True),
                    "roles": [],
                    "joined_at": "2025-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "voice_states": [],
            "presences": [],
            "large": False,
            "joined_at": "2025-01-01T00:00:00+00:00",
            "premium_tier": 0,
            "preferred_locale": "en-US",
        }


@pytest.fixture(autouse=True)
def restore_discord_endpoints():
    """build_bot points discord.py (process-wide) at the fake: put the real endpoints back afterwards."""
    import discord

    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved

"""The deployment files: compose.yaml is valid YAML describing PostgreSQL and two Discord shard
processes; the Dockerfile exposes the configured ports and checks /healthz; the image's health
check command works against a real endpoint."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import yaml

from bot.config import Settings, SlackSettings
from bot.ops.server import start_ops
from bot.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_postgres_and_two_discord_shards_of_two_on_it():
    data = compose()
    services = data["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert "healthcheck" in services["postgres"]
    shards = {name: s for name, s in services.items() if name.startswith("discord-shard-")}
    assert len(shards) == 2
    owned = []
    for service in shards.values():
        env = service["environment"]
        assert env["CLASSBOT_PLATFORM"] == "discord"
        assert re.fullmatch(r"postgresql://classbot:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/classbot", env["CLASSBOT_DATABASE_URL"])
        assert env["DISCORD_SHARD_COUNT"] == "2"
        owned += [int(i) for i in env["DISCORD_SHARD_IDS"].split()]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert env["CLASSBOT_METRICS_PORT"] == "9108"
    assert sorted(owned) == [0, 1]  # every shard owned by exactly one process
    host_ports = [p.split(":")[1] for s in shards.values() for p in s["ports"]]
    assert len(set(host_ports)) == len(host_ports)  # no two processes publish the same host port


def test_compose_needs_the_secrets_from_the_environment_and_holds_none():
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    env = compose()["services"]["discord-shard-0"]["environment"]
    assert env["DISCORD_TOKEN"].startswith("${DISCORD_TOKEN:?")  # compose refuses to start without it
    assert "${POSTGRES_PASSWORD:?" in compose()["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert "xoxb-" not in text and "POSTGRES_PASSWORD: " + "classbot" not in text


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_dockerfile_exposes_slack_http_mode_and_the_metrics_port_it_sets():
    text = dockerfile()
    exposed = {int(p) for line in re.findall(r"^EXPOSE (.+)$", text, re.M) for p in line.split()}
    metrics_port = int(re.search(r"CLASSBOT_METRICS_PORT=(\d+)", text).group(1))
    assert SlackSettings().port in exposed and metrics_port in exposed
    assert Settings().metrics_port is None  # outside the image the endpoint stays off by default


def test_dockerfile_healthcheck_runs_the_healthcheck_module():
    match = re.search(r"^HEALTHCHECK .*\\\n\s+CMD \[(.+)\]$", dockerfile(), re.M)
    assert match and '"-m", "bot.ops.healthcheck"' in match.group(1)


async def healthcheck(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLASSBOT_")}
    full.update({"PYTHONPATH": str(ROOT), **env})
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.ops.healthcheck", env=full, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode, (out + err).decode()


async def test_healthcheck_command_follows_healthz(tmp_path):
    store = await open_store(tmp_path / "classbot.db")
    ops = await start_ops(Settings(database_path=tmp_path / "classbot.db", metrics_port=0, metrics_host="127.0.0.1"), "discord", store)
    try:
        code, out = await healthcheck({"CLASSBOT_METRICS_PORT": str(ops.port)}, tmp_path)
        assert code == 1 and '"platform": {"ok": false, "detail": "not connected yet"}' in out

        async def connected() -> bool:
            return True

        ops.platform_check(connected)
        code, out = await healthcheck({"CLASSBOT_METRICS_PORT": str(ops.port)}, tmp_path)
        assert code == 0 and '"status": "ok"' in out
    finally:
        await ops.close()
        await store.close()
    code, out = await healthcheck({"CLASSBOT_METRICS_PORT": str(ops.port)}, tmp_path)  # nothing listens now
    assert code == 1 and "no answer from" in out


async def test_healthcheck_without_a_metrics_port_passes_on_the_process_alone(tmp_path):
    code, out = await healthcheck({}, tmp_path)
    assert code == 0 and "metrics_port is not set" in out

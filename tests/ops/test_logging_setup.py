"""Logging is set up in one place (bot/ops/logsetup.py) and every module logs under its own name."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def calls(attr: str) -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attr:
                found.append((str(path.relative_to(ROOT)), node))
    return found


def test_basic_config_is_called_only_by_setup_logging():
    assert [where for where, _ in calls("basicConfig")] == ["bot/ops/logsetup.py"]


def test_our_loggers_are_named_after_their_module():
    """getLogger(__name__) (or a child of it), or no name (the root) or a library's logger by its name."""
    wrong = []
    for where, call in calls("getLogger"):
        arg = call.args[0] if call.args else None
        if arg is None or (isinstance(arg, ast.Name) and arg.id == "__name__"):
            continue
        if isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Name) and arg.left.id == "__name__":
            continue
        if isinstance(arg, ast.Constant) and str(arg.value).split(".")[0] in {"discord", "slack_bolt", "slack_sdk"}:
            continue
        wrong.append(f"{where}:{call.lineno}")
    assert wrong == []


def test_setup_logging_logs_at_the_configured_level_without_secrets(tmp_path):
    """In a fresh interpreter (pytest has its own handlers): the format, the level, and a token redacted."""
    code = (
        "import logging, sys\n"
        "from bot.config import load_settings\n"
        "from bot.ops.logsetup import setup_logging\n"
        "s = load_settings(None)\n"
        "setup_logging(s)\n"
        "logging.getLogger('bot.test').debug('hidden')\n"
        "logging.getLogger('bot.test').warning('token %s', s.discord.token)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "MTIz.abc.sekrit-token-value",
           "CLASSBOT_LOG_LEVEL": "INFO"}  # fmt: skip
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "WARNING bot.test: token " in p.stderr and "sekrit" not in p.stderr and "hidden" not in p.stderr

"""Settings: loaded once at start-up from a YAML file plus environment overrides, then passed down.

Precedence (highest first): environment variables, a `.env` file in the working directory,
the YAML config file (``--config`` or ``CLASSBOT_CONFIG``), built-in defaults.
Secrets (tokens) come from the environment or `.env` only, never from the YAML file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import ConfigError
from bot.core.settings import TriviaSettings  # the core's own settings (a port): config only fills them in


def bundled_knowledge_path() -> Path:
    """The course that ships with classbot (inside the wheel, or the checkout's knowledge/)."""
    checkout = Path(__file__).resolve().parent.parent / "knowledge" / "cuban-missile-crisis"
    if checkout.is_dir():
        return checkout
    import classbot_knowledge  # knowledge/ as installed from the wheel (a namespace package)

    return Path(next(iter(classbot_knowledge.__path__))) / "cuban-missile-crisis"


@dataclass(frozen=True)
class DiscordSettings:
    token: str | None = None  # DISCORD_TOKEN (environment only)
    api_base: str = "https://discord.com/api/v10"  # DISCORD_API_BASE
    gateway_url: str = "wss://gateway.discord.gg/"  # DISCORD_GATEWAY_URL
    guild_ids: tuple[int, ...] = ()  # DISCORD_GUILD_IDS: sync commands to these guilds (instant)
    mention_channels: tuple[int, ...] = ()  # DISCORD_MENTION_CHANNELS: empty = everywhere
    teacher_role: str | None = None  # DISCORD_TEACHER_ROLE: role name (or id) allowed to run teacher commands
    shard_count: int = 0  # DISCORD_SHARD_COUNT: total shards across every process (0: not sharded)
    shard_ids: tuple[int, ...] = ()  # DISCORD_SHARD_IDS ("0,1"): the shards this process runs (empty: all)

    def __repr__(self) -> str:  # never show the token
        return (
            f"DiscordSettings(api_base={self.api_base!r}, guild_ids={self.guild_ids!r}, "
            f"shard_count={self.shard_count!r}, shard_ids={self.shard_ids!r})"
        )


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str | None = None  # SLACK_BOT_TOKEN (environment only)
    app_token: str | None = None  # SLACK_APP_TOKEN, for Socket Mode
    signing_secret: str | None = None  # SLACK_SIGNING_SECRET, for HTTP mode
    api_url: str = "https://slack.com/api/"  # SLACK_API_URL
    mode: str = "socket"  # SLACK_MODE: socket | http
    host: str = "0.0.0.0"  # SLACK_HOST (HTTP mode)
    port: int = 3000  # SLACK_PORT (HTTP mode)
    teacher_user_ids: tuple[str, ...] = ()  # SLACK_TEACHER_USER_IDS
    teacher_usergroup: str | None = None  # SLACK_TEACHER_USERGROUP

    def __repr__(self) -> str:
        return f"SlackSettings(api_url={self.api_url!r}, mode={self.mode!r})"


@dataclass(frozen=True)
class Settings:
    knowledge_path: Path = field(default_factory=bundled_knowledge_path)  # CLASSBOT_KNOWLEDGE
    database_path: Path = Path("classbot.db")  # CLASSBOT_DATABASE
    # CLASSBOT_DATABASE_URL: postgresql://user:password@host:5432/db uses PostgreSQL instead of the SQLite file.
    # Left out of repr (it may hold a password); a password in it only from the environment or .env.
    database_url: str | None = field(default=None, repr=False)
    platform: str = "console"  # CLASSBOT_PLATFORM: discord | slack | console
    log_level: str = "INFO"  # CLASSBOT_LOG_LEVEL
    ask_cooldown_seconds: float = 5.0  # CLASSBOT_ASK_COOLDOWN
    record_asker_ids: bool = False  # CLASSBOT_RECORD_ASKER_IDS: keep who asked unanswered questions
    retention_days: int = 180  # CLASSBOT_RETENTION_DAYS: delete unanswered questions and votes older than this (0 = keep)
    default_course: str | None = None  # CLASSBOT_DEFAULT_COURSE: course id used where none is bound (several courses)
    course_watch_seconds: float = 5.0  # CLASSBOT_COURSE_WATCH_SECONDS: how often to look for course edits (0 = never)
    metrics_port: int | None = None  # CLASSBOT_METRICS_PORT: serve /healthz and /metrics here (None: off, 0: any free port)
    metrics_host: str = "0.0.0.0"  # CLASSBOT_METRICS_HOST
    log_format: str = "text"  # CLASSBOT_LOG_FORMAT: text | json (one JSON object per line)
    scheduler_tick_seconds: float = 30.0  # CLASSBOT_SCHEDULER_TICK_SECONDS: how often trivia is checked
    scheduler_lease_seconds: float = 90.0  # CLASSBOT_SCHEDULER_LEASE_SECONDS: Slack workers: a dead scheduler's lease lasts this long
    # CLASSBOT_TEST_CLOCK_FILE: a TEST HOOK, never for production: trivia reads the time from this file
    # (an ISO instant, re-read at every tick), so tests can drive bots running as subprocesses.
    test_clock_file: str | None = None
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    trivia: TriviaSettings = field(default_factory=TriviaSettings)

    @property
    def database(self) -> str | Path:
        """What to give open_store: the PostgreSQL URL when there is one, else the SQLite file."""
        return self.database_url or self.database_path


# environment variable -> (section or None, field name)
_ENV: dict[str, tuple[str | None, str]] = {
    "CLASSBOT_KNOWLEDGE": (None, "knowledge_path"),
    "CLASSBOT_DATABASE": (None, "database_path"),
    "CLASSBOT_DATABASE_URL": (None, "database_url"),
    "CLASSBOT_PLATFORM": (None, "platform"),
    "CLASSBOT_LOG_LEVEL": (None, "log_level"),
    "CLASSBOT_ASK_COOLDOWN": (None, "ask_cooldown_seconds"),
    "CLASSBOT_RECORD_ASKER_IDS": (None, "record_asker_ids"),
    "CLASSBOT_RETENTION_DAYS": (None, "retention_days"),
    "CLASSBOT_DEFAULT_COURSE": (None, "default_course"),
    "CLASSBOT_COURSE_WATCH_SECONDS": (None, "course_watch_seconds"),
    "CLASSBOT_METRICS_PORT": (None, "metrics_port"),
    "CLASSBOT_METRICS_HOST": (None, "metrics_host"),
    "CLASSBOT_LOG_FORMAT": (None, "log_format"),
    "CLASSBOT_SCHEDULER_TICK_SECONDS": (None, "scheduler_tick_seconds"),
    "CLASSBOT_SCHEDULER_LEASE_SECONDS": (None, "scheduler_lease_seconds"),
    "CLASSBOT_TEST_CLOCK_FILE": (None, "test_clock_file"),
    "DISCORD_TOKEN": ("discord", "token"),
    "DISCORD_API_BASE": ("discord", "api_base"),
    "DISCORD_GATEWAY_URL": ("discord", "gateway_url"),
    "DISCORD_GUILD_IDS": ("discord", "guild_ids"),
    "DISCORD_MENTION_CHANNELS": ("discord", "mention_channels"),
    "DISCORD_TEACHER_ROLE": ("discord", "teacher_role"),
    "DISCORD_SHARD_COUNT": ("discord", "shard_count"),
    "DISCORD_SHARD_IDS": ("discord", "shard_ids"),
    "SLACK_BOT_TOKEN": ("slack", "bot_token"),
    "SLACK_APP_TOKEN": ("slack", "app_token"),
    "SLACK_SIGNING_SECRET": ("slack", "signing_secret"),
    "SLACK_API_URL": ("slack", "api_url"),
    "SLACK_MODE": ("slack", "mode"),
    "SLACK_HOST": ("slack", "host"),
    "SLACK_PORT": ("slack", "port"),
    "SLACK_TEACHER_USER_IDS": ("slack", "teacher_user_ids"),
    "SLACK_TEACHER_USERGROUP": ("slack", "teacher_usergroup"),
    "TRIVIA_ANSWER_WINDOW_MINUTES": ("trivia", "answer_window_minutes"),
    "TRIVIA_GRACE_MINUTES": ("trivia", "grace_minutes"),
    "TRIVIA_POINTS": ("trivia", "points"),
    "TRIVIA_STREAK_BONUS": ("trivia", "streak_bonus"),
    "TRIVIA_STREAK_BONUS_CAP": ("trivia", "streak_bonus_cap"),
}
_SECRETS = {"token", "bot_token", "app_token", "signing_secret"}
_SECTIONS = {"discord": DiscordSettings, "slack": SlackSettings, "trivia": TriviaSettings}


def _coerce(cls: type, name: str, value: Any, origin: str) -> Any:
    """Turn a YAML or environment value into the type the field declares."""
    default = next(f for f in fields(cls) if f.name == name)
    kind = str(default.type)
    try:
        if value is None or value == "":
            return None if "None" in kind else _default_of(cls, name)
        if kind.startswith("tuple"):
            items = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
            return tuple(int(v) for v in items) if "int" in kind else tuple(str(v) for v in items)
        if kind == "Path":
            return Path(str(value)).expanduser()
        if kind == "bool":
            if isinstance(value, bool):
                return value
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        if kind in ("int", "int | None"):
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: {name} should be {kind}, got {value!r}") from None


def _default_of(cls: type, name: str) -> Any:
    return getattr(cls(), name)


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments skipped; surrounding quotes removed."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text: save it as UTF-8") from None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        out[key.strip()] = value.strip().strip("'\"")
    return out


def load_settings(
    config_file: str | os.PathLike | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv: str | os.PathLike | None = ".env",
) -> Settings:
    """Build the Settings once, at start-up."""
    env = dict(read_dotenv(Path(dotenv))) if dotenv else {}
    env.update(os.environ if environ is None else environ)
    config_file = config_file or env.get("CLASSBOT_CONFIG")

    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
    if config_file:
        path = Path(config_file)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except UnicodeDecodeError:
            raise ConfigError(f"config file {path} is not UTF-8 text: save it as UTF-8") from None
        except OSError as e:
            raise ConfigError(f"cannot read config file {path}: {e.strerror}") from None
        except yaml.YAMLError as e:
            raise ConfigError(f"config file {path} is not valid YAML: {e}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"config file {path} should be a mapping of settings")
        for key, value in data.items():
            if key in _SECTIONS:
                if not isinstance(value, dict):
                    raise ConfigError(f"{path}: '{key}' should be a mapping")
                for k, v in value.items():
                    _check_key(_SECTIONS[key], k, f"{path}: {key}")
                    if k in _SECRETS:
                        raise ConfigError(f"{path}: put {key}.{k} in the environment, not in a config file")
                    sections[key][k] = _coerce(_SECTIONS[key], k, v, str(path))
            else:
                _check_key(Settings, key, str(path))
                top[key] = _coerce(Settings, key, value, str(path))
                if key == "database_url" and _has_password(top[key]):
                    raise ConfigError(
                        f"{path}: put the database password in the environment (CLASSBOT_DATABASE_URL or "
                        "PGPASSWORD), not in a config file"
                    )

    for var, (section, name) in _ENV.items():
        if var in env:
            cls = _SECTIONS[section] if section else Settings
            value = _coerce(cls, name, env[var], f"environment {var}")
            (sections[section] if section else top)[name] = value

    built = {name: cls(**sections[name]) for name, cls in _SECTIONS.items()}
    settings = Settings(**top, **built)
    _check_ranges(settings)
    return settings


def _has_password(url: str | None) -> bool:
    from urllib.parse import parse_qs, urlsplit

    try:
        parts = urlsplit(url or "")
        return parts.password is not None or "password" in parse_qs(parts.query)
    except ValueError:
        return True  # unreadable: treat as secret


def _check_ranges(s: Settings) -> None:
    if s.database_url is not None and s.database_url.split("://", 1)[0].lower() not in {"postgresql", "postgres"}:
        # the value is not quoted: it may hold a password
        raise ConfigError("database_url (CLASSBOT_DATABASE_URL) should start with postgresql://")
    if s.platform not in {"discord", "slack", "console"}:
        raise ConfigError(f"platform should be discord, slack or console, got {s.platform!r}")
    if s.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"log_level should be DEBUG, INFO, WARNING or ERROR, got {s.log_level!r}")
    if s.slack.mode not in {"socket", "http"}:
        raise ConfigError(f"slack mode should be socket or http, got {s.slack.mode!r}")
    if s.metrics_port is not None and not 0 <= s.metrics_port <= 65535:
        raise ConfigError(f"metrics_port should be between 0 and 65535 (0: any free port), got {s.metrics_port}")
    if s.log_format not in {"text", "json"}:
        raise ConfigError(f"log_format should be text or json, got {s.log_format!r}")
    if not 1 <= s.slack.port <= 65535:
        raise ConfigError(f"slack port should be between 1 and 65535, got {s.slack.port}")
    checks = {
        "ask_cooldown_seconds": (s.ask_cooldown_seconds, 0),
        "retention_days": (s.retention_days, 0),
        "course_watch_seconds": (s.course_watch_seconds, 0),
        "trivia answer_window_minutes": (s.trivia.answer_window_minutes, 1),
        "trivia grace_minutes": (s.trivia.grace_minutes, 0),
        "trivia points": (s.trivia.points, 0),
        "trivia streak_bonus": (s.trivia.streak_bonus, 0),
        "trivia streak_bonus_cap": (s.trivia.streak_bonus_cap, 0),
    }
    for name, (value, least) in checks.items():
        if value < least:
            raise ConfigError(f"{name} should be {least} or more, got {value}")
    _check_scale(s)


def _check_scale(s: Settings) -> None:
    """Shards and the scheduler's timing (several processes, issue 13)."""
    d = s.discord
    if d.shard_count < 0:
        raise ConfigError(f"discord shard_count should be 0 (not sharded) or more, got {d.shard_count}")
    if d.shard_ids and not d.shard_count:
        raise ConfigError("discord shard_ids needs shard_count: the total number of shards across every process")
    bad = [i for i in d.shard_ids if not 0 <= i < d.shard_count]
    if bad:
        raise ConfigError(f"discord shard_ids should be between 0 and {d.shard_count - 1} (shard_count - 1), got {bad}")
    if len(set(d.shard_ids)) != len(d.shard_ids):
        raise ConfigError(f"discord shard_ids lists a shard twice: {list(d.shard_ids)}")
    if s.scheduler_tick_seconds <= 0:
        raise ConfigError(f"scheduler_tick_seconds should be more than 0, got {s.scheduler_tick_seconds}")
    if s.scheduler_lease_seconds <= 2 * s.scheduler_tick_seconds:
        raise ConfigError(
            f"scheduler_lease_seconds ({s.scheduler_lease_seconds}) should be more than twice "
            f"scheduler_tick_seconds ({s.scheduler_tick_seconds}): the lease is renewed at every tick"
        )


def _check_key(cls: type, key: str, origin: str) -> None:
    names = [f.name for f in fields(cls)]
    if key not in names:
        import difflib

        close = difflib.get_close_matches(key, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"{origin}: unknown setting '{key}'{hint}")


__all__ = ["Settings", "DiscordSettings", "SlackSettings", "TriviaSettings", "load_settings"]

"""Settings: loaded once at start-up from a YAML file plus environment overrides, then passed down.

Precedence (highest first): environment variables, a `.env` file in the working directory,
the YAML config file (``--config`` or ``CLASSBOT_CONFIG``), built-in defaults.
Secrets (tokens) come from the environment or `.env` only, never from the YAML file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bot.core.errors import ConfigError
from bot.core.settings import TriviaSettings  # the core's own settings (a port): config only fills them in


def default_cache_dir() -> Path:
    """Where courses' sentence vectors are kept between starts: $XDG_CACHE_HOME/classbot, else ~/.cache/classbot."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "classbot"


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
    cache_dir: Path = field(default_factory=default_cache_dir)  # CLASSBOT_CACHE_DIR: the courses' sentence vectors
    # CLASSBOT_DATABASE_URL: postgresql://user:password@host:5432/db uses PostgreSQL instead of the SQLite file.
    # Left out of repr (it may hold a password); a password in it only from the environment or .env.
    database_url: str | None = field(default=None, repr=False)
    platform: str = "console"  # CLASSBOT_PLATFORM: discord | slack | console
    log_level: str | None = None  # CLASSBOT_LOG_LEVEL (unset: INFO for `run`, WARNING for the terminal commands)
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
    "CLASSBOT_CACHE_DIR": (None, "cache_dir"),
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


class _Invalid(ValueError):
    """A value that cannot be used for a setting; the message says what it should be."""


def _kind_words(kind: str) -> str:
    if kind.startswith("tuple"):
        return "a list of numbers (ids)" if "int" in kind else "a list of names"
    return {"int": "a whole number", "float": "a number", "bool": "true or false", "Path": "a file or folder path"}.get(
        kind, "a text")


def _coerce(cls: type, name: str, value: Any, origin: str) -> Any:
    """Turn a YAML or environment value into the type the field declares; ConfigError says what was expected."""
    default = next(f for f in fields(cls) if f.name == name)
    kind = str(default.type)
    try:
        return _convert(cls, name, kind, value)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{origin}: {name} should be {_kind_words(kind)}, got {_shown(value)}") from None


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:59] + "\u2026"


def _convert(cls: type, name: str, kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None if "None" in kind else _default_of(cls, name)
    if kind.startswith("tuple"):
        items = value if isinstance(value, list) else str(value).replace(",", " ").split()
        if isinstance(value, dict) or any(isinstance(v, (list, dict, bool, float)) for v in items):
            raise _Invalid
        return tuple(int(v) for v in items) if "int" in kind else tuple(str(v) for v in items)
    if isinstance(value, (list, dict)):
        raise _Invalid
    if kind == "Path":
        return Path(str(value)).expanduser()
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in {"1", "true", "yes", "on"}:
            return True
        if word in {"0", "false", "no", "off"}:
            return False
        raise _Invalid
    if kind in ("int", "int | None"):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise _Invalid
        return int(value)
    if kind == "float":
        if isinstance(value, bool):
            raise _Invalid
        number = float(value)
        if not math.isfinite(number):  # "nan" compares false with every bound: it would switch the check off
            raise _Invalid
        return number
    return str(value)


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
    """Build the Settings once, at start-up. Every problem is reported at once, file and line first."""
    env = dict(read_dotenv(Path(dotenv))) if dotenv else {}
    env.update(os.environ if environ is None else environ)
    config_file = config_file or env.get("CLASSBOT_CONFIG")

    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
    problems: list[str] = []
    origins: dict[tuple[str | None, str], str] = {}  # where each value was set, for messages
    if config_file:
        problems += _read_config_file(Path(config_file), top, sections, origins)

    for var, (section, name) in _ENV.items():
        if var in env:
            cls = _SECTIONS[section] if section else Settings
            try:
                value = _coerce(cls, name, env[var], f"environment {var}")
            except ConfigError as e:
                problems.append(str(e))
                continue
            (sections[section] if section else top)[name] = value
            origins[(section, name)] = f"environment {var}"

    # the values that did read are checked too, so one run lists every problem
    built = {name: cls(**sections[name]) for name, cls in _SECTIONS.items()}
    settings = Settings(**top, **built)
    problems += _range_problems(settings, origins)
    if problems:
        raise ConfigError(_together(problems))
    return settings


def _together(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems with the settings:\n" + "\n".join(f"  {p}" for p in problems)


def _read_config_file(path: Path, top: dict[str, Any], sections: dict[str, dict[str, Any]],
                      origins: dict[tuple[str | None, str], str]) -> list[str]:
    """Read the YAML settings file into top/sections; return every problem as 'file:line: message'."""
    from bot.core.yamlfile import LDict, load_yaml

    shown = str(path)
    if not path.is_file():
        return [f"cannot read config file {shown}: " + ("it is a folder" if path.is_dir() else "no such file")]
    data, problems = load_yaml(path, shown)
    if problems:
        return [f"config file {p}" for p in problems]
    if data is None:
        return []
    if not isinstance(data, LDict):
        return [f"config file {shown}: should be a mapping of settings (name: value, one per line)"]
    out: list[str] = []

    def at(d: LDict, key: str) -> str:
        line, col = d.key_pos[key]
        return f"{shown}:{line}:{col}"

    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, LDict):
                out.append(f"{at(data, key)}: '{key}' should be a mapping of settings (indented lines of name: value)")
                continue
            for k, v in value.items():
                where = at(value, k)
                if k in _SECRETS:
                    out.append(f"{where}: put {key}.{k} in the environment ({_env_name(key, k)}), not in a config file")
                elif problem := _unknown(_SECTIONS[key], k, key):
                    out.append(f"{where}: {problem}")
                else:
                    try:
                        sections[key][k] = _coerce(_SECTIONS[key], k, v, where)
                        origins[(key, k)] = where
                    except ConfigError as e:
                        out.append(str(e))
        elif problem := _unknown(Settings, key, None):
            out.append(f"{at(data, key)}: {problem}")
        else:
            try:
                top[key] = _coerce(Settings, key, value, at(data, key))
                origins[(None, key)] = at(data, key)
            except ConfigError as e:
                out.append(str(e))
            else:
                if key == "database_url" and _has_password(top[key]):
                    out.append(f"{at(data, key)}: put the database password in the environment "
                               "(CLASSBOT_DATABASE_URL or PGPASSWORD), not in a config file")
    return out


def _has_password(url: str | None) -> bool:
    from urllib.parse import parse_qs, urlsplit

    try:
        parts = urlsplit(url or "")
        return parts.password is not None or "password" in parse_qs(parts.query)
    except ValueError:
        return True  # unreadable: treat as secret


def _env_name(section: str | None, name: str) -> str:
    return next((var for var, where in _ENV.items() if where == (section, name)), name.upper())


# (section or None, field) -> (least, most): beyond these a value is a typo, not a choice
_RANGES: dict[tuple[str | None, str], tuple[float, float]] = {
    (None, "ask_cooldown_seconds"): (0, 3600),  # an hour between questions is already unusable
    (None, "retention_days"): (0, 36500),  # 0 keeps everything
    (None, "course_watch_seconds"): (0, 86400),  # 0 never looks
    (None, "metrics_port"): (0, 65535),  # 0: any free port (None, the default, is off)
    ("trivia", "answer_window_minutes"): (1, 7 * 24 * 60),  # a week
    ("trivia", "grace_minutes"): (0, 24 * 60),
    ("trivia", "points"): (0, 1_000_000),  # scores stay far inside SQLite's 64-bit integers
    ("trivia", "streak_bonus"): (0, 1_000_000),
    ("trivia", "streak_bonus_cap"): (0, 1_000_000),
    ("slack", "port"): (1, 65535),
}
_CHOICES: dict[tuple[str | None, str], tuple[str, ...]] = {
    (None, "platform"): ("discord", "slack", "console"),
    (None, "log_level"): ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
    ("slack", "mode"): ("socket", "http"),
    (None, "log_format"): ("text", "json"),
}


def _range_problems(s: Settings, origins: dict[tuple[str | None, str], str] | None = None) -> list[str]:
    """Every value out of range or not one of its choices, each with where it was set."""
    origins = origins or {}
    problems: list[str] = []

    def value_of(section: str | None, name: str):
        return getattr(getattr(s, section) if section else s, name)

    def said(section: str | None, name: str, message: str) -> None:
        where = origins.get((section, name))
        problems.append(f"{where}: {message}" if where else message)

    for (section, name), choices in _CHOICES.items():
        value = value_of(section, name)
        if value is None:  # an optional choice left unset (log_level: the command's own default)
            continue
        if (value.upper() if name == "log_level" else value) not in choices:
            shown = choices[:-1] if name == "log_level" else choices  # CRITICAL works but is not advertised
            label = f"{section} {name}" if section else name
            said(section, name, f"{label} should be {', '.join(shown[:-1])} or {shown[-1]}, got {value!r}")
    for (section, name), (least, most) in _RANGES.items():
        value = value_of(section, name)
        if value is None:  # an optional setting left unset
            continue
        label = f"{section} {name}" if section else name
        if not least <= value <= most:
            port = name.endswith("port")  # a port is shown as people write it: 65535, not 65,535
            bound = f"between {least} and {most if port else f'{most:,}'}" if value > most or port else f"{least} or more"
            said(section, name, f"{label} should be {bound}, got {value}")
    if s.database_url is not None and s.database_url.split("://", 1)[0].lower() not in {"postgresql", "postgres"}:
        # the value is not quoted: it may hold a password
        said(None, "database_url", "database_url (CLASSBOT_DATABASE_URL) should start with postgresql://")
    return problems + _scale_problems(s)


def _scale_problems(s: Settings) -> list[str]:
    """Shards and the scheduler's timing (several processes, issue 13)."""
    d, out = s.discord, []
    if d.shard_count < 0:
        out.append(f"discord shard_count should be 0 (not sharded) or more, got {d.shard_count}")
    if d.shard_ids and not d.shard_count:
        out.append("discord shard_ids needs shard_count: the total number of shards across every process")
    elif bad := [i for i in d.shard_ids if not 0 <= i < d.shard_count]:
        out.append(f"discord shard_ids should be between 0 and {d.shard_count - 1} (shard_count - 1), got {bad}")
    if len(set(d.shard_ids)) != len(d.shard_ids):
        out.append(f"discord shard_ids lists a shard twice: {list(d.shard_ids)}")
    if s.scheduler_tick_seconds <= 0:
        out.append(f"scheduler_tick_seconds should be more than 0, got {s.scheduler_tick_seconds}")
    elif s.scheduler_lease_seconds <= 2 * s.scheduler_tick_seconds:
        out.append(
            f"scheduler_lease_seconds ({s.scheduler_lease_seconds}) should be more than twice "
            f"scheduler_tick_seconds ({s.scheduler_tick_seconds}): the lease is renewed at every tick"
        )
    return out


def _unknown(cls: type, key: str, section: str | None) -> str | None:
    """Why a key is not a setting of ``cls``, with a hint; None when it is one."""
    names = [f.name for f in fields(cls) if f.name not in _SECTIONS]
    if key in names or (cls is Settings and key in _SECTIONS):
        return None
    import difflib

    where = f" in {section}" if section else ""
    secrets = [n for n in _SECRETS if any(f.name == n for f in fields(cls))] if section else sorted(_SECRETS)
    close = difflib.get_close_matches(key, names + secrets, n=1)
    if close and close[0] in secrets:  # "tokn": never suggest writing a secret into the file
        names_of = _env_name(section, close[0]) if section else ", ".join(
            var for var, (_, name) in _ENV.items() if name in _SECRETS)
        return (f"unknown setting '{key}'{where}; tokens and secrets are read from the environment only "
                f"(set {names_of} in the environment or in .env), never from a config file")
    if close:
        return f"unknown setting '{key}'{where} (did you mean '{close[0]}'?)"
    shown = (n for n in names if n not in _SECRETS and not n.startswith("test_"))  # test hooks are not advertised
    return f"unknown setting '{key}'{where} (settings{where}: {', '.join(shown)})"


__all__ = ["Settings", "DiscordSettings", "SlackSettings", "TriviaSettings", "load_settings"]

"""Configuration: one TOML file, validated, with every key documented in config/config.toml.

Errors name the file, the key and what was expected, so a typo in a systemd deployment is a
one-line fix rather than a traceback in the journal.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from syncd.errors import ConfigError

APP = "syncd"
SYSTEM_CONFIG = Path("/etc/syncd/config.toml")


def state_dir() -> Path:
    """Where the default database and secrets live (XDG state dir, or $STATE_DIRECTORY)."""
    override = os.environ.get("STATE_DIRECTORY")  # systemd StateDirectory=
    if override:
        return Path(override.split(":")[0])
    return Path(platformdirs.user_state_dir(APP))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Section):
    url: str = ""  # empty: sqlite in the state dir


class StravaConfig(_Section):
    client_id: int | None = None
    client_secret: str | None = Field(default=None, repr=False)
    api_host: str = "www.strava.com"
    redirect_port: int = Field(default=8721, ge=0, le=65535)
    fetch_details: bool = False  # detailed activity + laps: two extra calls per activity
    write_scope: bool = False  # request activity:write (for features that post to Strava)
    overlap_days: int = Field(default=7, ge=0, le=90)
    per_page: int = Field(default=200, ge=1, le=200)
    timeout_s: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=4, ge=0, le=10)

    @field_validator("api_host")
    @classmethod
    def _host(cls, v: str) -> str:
        rest = v.split("://", 1)[1] if v.startswith(("http://", "https://")) else v
        if not rest or "/" in rest.rstrip("/") or " " in rest or "://" in rest:
            raise ValueError(
                "a bare host name such as 'www.strava.com' (or http://HOST:PORT for a local "
                "stand-in), no path"
            )
        return v.rstrip("/")


class SecretsConfig(_Section):
    backend: Literal["keyring", "file"] = "keyring"
    path: Path | None = None
    keyring_backend: str = "keyring.backends.SecretService.Keyring"


class AthleteConfig(_Section):
    max_hr: int | None = Field(default=None, ge=100, le=250)
    resting_hr: int | None = Field(default=None, ge=25, le=120)
    threshold_hr: int | None = Field(default=None, ge=80, le=230)
    long_run_minutes: float = Field(default=90.0, ge=20, le=600)
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("an IANA time zone name such as 'Europe/Paris'") from exc
        return v


class ImportConfig(_Section):
    workers: int = Field(default=0, ge=0, le=64)  # 0: one per CPU
    watch: Path | None = None  # the daemon imports new files from here (a mounted watch)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_duration(text: str) -> float:
    """'30m', '1h', '90s', '1h30m' -> seconds."""
    import re

    parts = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*", text)
    if not parts or not any(parts.groups()):
        raise ValueError("a duration such as '30m', '1h' or '90s'")
    h, m, sec = (int(g or 0) for g in parts.groups())
    return float(h * 3600 + m * 60 + sec)


def parse_weekly(text: str) -> tuple[str, int, int, int]:
    """'mon 07:00' (or 'mon 07:00:30') -> ('mon', 7, 0, 0)."""
    try:
        day, hhmm = text.strip().lower().split()
        parts = [int(x) for x in hhmm.split(":")]
        if len(parts) not in (2, 3):
            raise ValueError
        hour, minute, second = (*parts, 0)[:3]
    except ValueError:
        raise ValueError("a day and a time such as 'mon 07:00'") from None
    if day[:3] not in _DAYS or not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        raise ValueError("a day and a time such as 'mon 07:00'")
    return day[:3], hour, minute, second


class ScheduleConfig(_Section):
    pull_every: str = "30m"  # with jitter; backs off after failures
    full_relist: str = "sun 03:30"  # weekly: list pages only, reconciles old edits/deletions
    digest: str = "mon 07:00"  # athlete's local time: posts the week before

    @field_validator("pull_every")
    @classmethod
    def _every(cls, v: str) -> str:
        if parse_duration(v) < 60:
            raise ValueError("at least '1m' (Strava's limits are per 15 minutes)")
        return v

    @field_validator("full_relist", "digest")
    @classmethod
    def _weekly(cls, v: str) -> str:
        parse_weekly(v)
        return v


def _threshold_fields() -> dict[str, type]:
    from dataclasses import fields

    from syncd.classify.thresholds import Thresholds

    return {f.name: type(f.default) for f in fields(Thresholds)}


class PlanConfig(_Section):
    file: Path | None = None  # the coach's plan (TOML); relative to this config file
    # Extra keyword -> type rules for `syncd plan import FILE.ics`, e.g. {"threshold" = "interval"}
    ics_mapping: dict[str, str] = Field(default_factory=dict)

    @field_validator("ics_mapping")
    @classmethod
    def _types(cls, v: dict[str, str]) -> dict[str, str]:
        allowed = ("easy", "hill", "interval", "long", "race", "rest")
        for key, value in v.items():
            if value not in allowed:
                raise ValueError(f"'{key}' to map to one of {', '.join(allowed)}")
        return v


class DigestConfig(_Section):
    # Apprise URLs (mailto://, ntfy://, matrix://, slack://, discord://, json://, ...),
    # file:///dir (writes the HTML and Markdown there) and "strava" (description lines).
    post_to: list[str] = Field(default_factory=list, repr=False)


class LoggingConfig(_Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class Config(_Section):
    database: DatabaseConfig = DatabaseConfig()
    strava: StravaConfig = StravaConfig()
    secrets: SecretsConfig = SecretsConfig()
    athlete: AthleteConfig = AthleteConfig()
    imports: ImportConfig = Field(default=ImportConfig(), alias="import")
    logging: LoggingConfig = LoggingConfig()
    plan: PlanConfig = PlanConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    digest: DigestConfig = DigestConfig()
    # Overrides of syncd.classify.thresholds.Thresholds, by field name.
    classify: dict[str, float] = Field(default_factory=dict)

    @field_validator("classify")
    @classmethod
    def _known_thresholds(cls, v: dict[str, float]) -> dict[str, float]:
        known = _threshold_fields()
        for key, value in v.items():
            if key not in known:
                raise ValueError(f"a classifier threshold name, and '{key}' is not one")
            if key == "long_run_minutes":
                raise ValueError("long_run_minutes under [athlete], not [classify]")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"a number for '{key}'")
            if value < 0:
                raise ValueError(f"a non-negative number for '{key}'")
        return v

    # Where this config came from, for messages; not a TOML key.
    source: str = Field(default="<defaults>", exclude=True)

    def thresholds(self):  # noqa: ANN201 - syncd.classify.Thresholds
        from syncd.classify.thresholds import Thresholds

        known = _threshold_fields()
        values = {k: known[k](v) for k, v in self.classify.items()}
        return Thresholds(**values, long_run_minutes=self.athlete.long_run_minutes)

    def profile(self):  # noqa: ANN201 - syncd.classify.AthleteProfile
        from syncd.classify.model import AthleteProfile

        a = self.athlete
        return AthleteProfile(max_hr=a.max_hr, resting_hr=a.resting_hr, threshold_hr=a.threshold_hr)

    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{state_dir() / 'syncd.db'}"

    def secrets_path(self) -> Path:
        return self.secrets.path or state_dir() / "secrets.json"

    def lock_dir(self) -> Path:
        return state_dir()

    def strava_client_secret(self) -> str | None:
        """The client secret from the config, the environment or a systemd credential."""
        if self.strava.client_secret:
            return self.strava.client_secret
        env = os.environ.get("SYNCD_STRAVA_CLIENT_SECRET")
        if env:
            return env.strip()
        cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
        if cred_dir:
            cred = Path(cred_dir) / "strava_client_secret"
            if cred.is_file():
                return cred.read_text().strip()
        return None


def find_config(explicit: Path | None) -> Path | None:
    """First found: --config, $SYNCD_CONFIG, $XDG_CONFIG_HOME/syncd/config.toml, /etc/syncd."""
    if explicit is not None:
        return explicit
    env = os.environ.get("SYNCD_CONFIG")
    if env:
        return Path(env)
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for candidate in (xdg / APP / "config.toml", SYSTEM_CONFIG):
        if candidate.is_file():
            return candidate
    return None


def load_config(explicit: Path | None = None) -> Config:
    """Read and validate the config; no file at all means the defaults."""
    path = find_config(explicit)
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc.__class__.__name__}.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from exc
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], source: str) -> Config:
    """Validate a parsed TOML document, turning pydantic's report into one paragraph."""
    data = _rebase_paths(data, source)
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None
    return cfg.model_copy(update={"source": source})


# Keys holding file paths, rebased on the config file's folder.
_PATH_KEYS = (("secrets", "path"), ("import", "watch"), ("plan", "file"))


def _rebase_paths(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Relative paths in a config file are relative to that file, not to the working dir."""
    base = Path(source).resolve().parent if source != "<defaults>" else Path.cwd()
    for section, key in _PATH_KEYS:
        table = data.get(section)
        if isinstance(table, dict) and isinstance(table.get(key), str):
            p = Path(table[key]).expanduser()
            full = p if p.is_absolute() else (base / p).resolve()
            data = {**data, section: {**table, key: str(full)}}
    db = data.get("database")
    if isinstance(db, dict) and isinstance(db.get("url"), str):
        url = db["url"]
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix:
            rel = url[len(prefix):]
            if rel and rel != ":memory:":
                data = {**data, "database": {**db, "url": prefix + str((base / rel).resolve())}}
    return data


def _describe(exc: ValidationError, source: str) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown key '{key}' (not a syncd setting; see config/config.toml)")
            continue
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = "expected " + msg[len("Value error, "):]
        got = err.get("input")
        hidden = "secret" in key or key.startswith("digest")  # Apprise URLs carry passwords
        shown = "" if isinstance(got, dict) or hidden else f" (got {got!r})"
        problems.append(f"key '{key}': {msg}{shown}")
    return f"Config file {source} is invalid: " + "; ".join(problems) + "."

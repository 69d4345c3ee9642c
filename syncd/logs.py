"""Logging: one structlog pipeline for our events and for library (stdlib) logs, with redaction.

Why the shape:

* Under systemd stderr goes to journald, so a non-TTY stream gets JSON lines; a TTY gets the
  readable console renderer.
* Our structlog events and stdlib records (stravalib, requests, urllib3) end in the same
  handler and `ProcessorFormatter`, so library logs are formatted and redacted like ours.
  Library records pass at WARNING and above only (urllib3 logs every request at DEBUG).
* Tokens must never reach a log line. Tracebacks are rendered without local variables (a
  frame's locals often hold a token), and a redaction step runs on every event just before
  rendering and once more on the rendered text: registered secret values, values of
  secret-looking keys, and ``Bearer x`` / ``access_token=x``-style fragments are replaced.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Mapping
from typing import Any, TextIO

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from syncd.errors import ConfigError

__all__ = [
    "REDACTED",
    "configure_logging",
    "is_sensitive_key",
    "redact",
    "redact_value",
    "register_secret",
]

REDACTED = "[redacted]"

# Shorter values would redact ordinary words; real tokens are 40 hex chars.
_MIN_SECRET_LEN = 8
# Library loggers only reach the output at this level or above.
_FOREIGN_MIN_LEVEL = logging.WARNING

_SENSITIVE_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "client_secret",
        "code",
        "password",
        "passwd",
        "authorization",
        "token",
        "secret",
        "api_key",
        "cookie",
        "set_cookie",
    }
)
_SENSITIVE_SUFFIXES = ("_token", "_secret", "_password")

# Fragments that carry a credential inside free text (URLs, headers, JSON bodies).
_PARAM_NAMES = r"access_token|refresh_token|client_secret|code|password"
_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]+"), rf"\1 {REDACTED}"),
    (re.compile(rf"(?i)\b({_PARAM_NAMES})=[^&\s\"',;)\]}}]+"), rf"\1={REDACTED}"),
    (
        re.compile(rf"(?i)([\"']({_PARAM_NAMES})[\"']\s*:\s*)([\"'])(?:(?!\3).)*\3"),
        rf"\1\3{REDACTED}\3",
    ),
)

_lock = threading.Lock()
_secrets: set[str] = set()
_secrets_re: re.Pattern[str] | None = None


def register_secret(value: str) -> None:
    """Remember a secret so every later log line (and `redact`) scrubs it.

    Values shorter than 8 characters are ignored: redacting them would mangle ordinary text.
    """
    global _secrets_re
    if not isinstance(value, str) or len(value) < _MIN_SECRET_LEN:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        # Longest first so a secret containing another is replaced whole.
        ordered = sorted(_secrets, key=len, reverse=True)
        _secrets_re = re.compile("|".join(re.escape(s) for s in ordered))


def _clear_secrets() -> None:
    """Forget registered secrets (tests only)."""
    global _secrets_re
    with _lock:
        _secrets.clear()
        _secrets_re = None


def is_sensitive_key(key: object) -> bool:
    """True for keys whose value is a credential (access_token, Authorization, code, ...)."""
    if not isinstance(key, str):
        return False
    k = key.strip().lower().replace("-", "_")
    return k in _SENSITIVE_KEYS or k.endswith(_SENSITIVE_SUFFIXES)


def redact(text: str) -> str:
    """Scrub registered secrets and credential-looking fragments from free text.

    The CLI passes error messages through this before printing them.
    """
    if not text:
        return text
    pattern = _secrets_re
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    for regex, repl in _TEXT_PATTERNS:
        text = regex.sub(repl, text)
    return text


def redact_value(value: Any, _depth: int = 0) -> Any:
    """Recursively redact strings in dicts, lists and tuples; values under secret keys go whole.

    Other objects are returned unchanged: the renderer's output is redacted again as text.
    """
    if isinstance(value, str):
        return redact(value)
    if _depth > 20:  # pathological nesting: let the rendered-text pass handle it
        return value
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if is_sensitive_key(k) and v is not None else redact_value(v, _depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_value(v, _depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_value(v, _depth + 1) for v in value)
    return value


def _redact_event(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Processor: redact the event dict (keys starting with '_' are structlog plumbing)."""
    out: EventDict = {}
    for key, value in event_dict.items():
        if key.startswith("_") or key == "exc_info":
            out[key] = value
        elif is_sensitive_key(key) and value is not None:
            out[key] = REDACTED
        else:
            out[key] = redact_value(value)
    return out


def _redact_rendered(_logger: WrappedLogger, _name: str, rendered: Any) -> Any:
    """Final processor: a last pass over the rendered line (covers reprs of odd objects)."""
    if isinstance(rendered, str):
        return redact(rendered)
    if isinstance(rendered, bytes):
        return redact(rendered.decode("utf-8", "replace")).encode("utf-8")
    return rendered


def _resolve_exc_info(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Turn ``exc_info=True`` into the real tuple while we are still inside ``except``."""
    if event_dict.get("exc_info") is True:
        event_dict["exc_info"] = sys.exc_info()
    return event_dict


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """Our handler, a distinct class so a second `configure_logging` can find and replace it."""


class _LevelFilter(logging.Filter):
    """Our events pass at the configured level; library records at WARNING and above."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level
        self.foreign_level = max(level, _FOREIGN_MIN_LEVEL)

    def filter(self, record: logging.LogRecord) -> bool:
        from_structlog = isinstance(record.msg, dict) and hasattr(record, "_logger")
        return record.levelno >= (self.level if from_structlog else self.foreign_level)


def _parse_level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelNamesMapping().get(level.strip().upper())
    if value is None:
        raise ConfigError(
            f"unknown log level {level!r}",
            hint="use one of: debug, info, warning, error, critical",
        )
    return value


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def configure_logging(
    *, level: str = "info", json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Set up structlog and stdlib logging to write to `stream` (default: stderr).

    JSON lines when `stream` is not a TTY (journald), console output on a TTY; `json`
    overrides the guess. Safe to call again: the previous handler is replaced, not doubled.
    """
    if stream is None:
        stream = sys.stderr
    lvl = _parse_level(level)
    as_json = (not _is_tty(stream)) if json is None else json

    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        timestamper,
    ]

    renderer: Processor
    exception_step: Processor
    if as_json:
        exception_step = structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        )
        renderer = structlog.processors.JSONRenderer()
    else:
        # Format the traceback to text *before* redaction, so an exception message carrying a
        # token is scrubbed; plain formatting never shows locals.
        exception_step = structlog.processors.format_exc_info
        renderer = structlog.dev.ConsoleRenderer(
            colors=_is_tty(stream), exception_formatter=structlog.dev.plain_traceback
        )

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            exception_step,
            _redact_event,
            renderer,
            _redact_rendered,
        ],
    )

    handler = _Handler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(_LevelFilter(lvl))

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(min(lvl, _FOREIGN_MIN_LEVEL))

    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            _resolve_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(lvl),
        # Not cached: a later configure_logging (tests, CLI --verbose) must take effect on
        # loggers already created at import time.
        cache_logger_on_first_use=False,
    )

"""One error hierarchy: every failure a user can fix maps to a message, a kind and an exit code.

The CLI shows a `SyncdError` as its message alone (no traceback); anything else is a bug and
keeps its traceback. Messages must never carry a secret: build them from names, not values.
Each error has a stable `kind`: it survives the daemon's child process, `syncd status` judges
health by it (never by the message's words), and `EXIT_CODES` maps it to the exit code. The
README's exit-code table is this table (a test holds them together).
"""

from __future__ import annotations

from typing import ClassVar

# kind -> (exit code, what it means to the user). One table for the CLI, status and README.
KINDS: dict[str, tuple[int, str]] = {
    "transient": (1, "failed, may pass on a retry (network, server errors, database)"),
    "crash": (1, "a bug: the log has the traceback"),
    "bad-input": (2, "bad config, usage or input (the message names the file, the key and "
                     "what was expected)"),
    "auth": (3, "a source needs authorising again (`syncd auth ...`)"),
    "subscription": (3, "the API application is inactive or lacks the subscription"),
    "rate-limit": (4, "stopped on a rate limit; the next pull resumes"),
    "lock": (5, "another syncd holds the writer lock (the message says which)"),
}
EXIT_CODES: dict[str, int] = {k: code for k, (code, _) in KINDS.items()}
BROKEN_KINDS = frozenset({"auth", "subscription", "bad-input"})  # need a person, not a retry


class SyncdError(Exception):
    """A failure the user can act on. `kind` decides the exit code (`EXIT_CODES`)."""

    kind: ClassVar[str] = "transient"
    exit_code: int = 1

    def __init_subclass__(cls, **kw: object) -> None:
        super().__init_subclass__(**kw)
        cls.exit_code = EXIT_CODES[cls.kind]

    def __init__(self, message: str, *, hint: str | None = None, kind: str | None = None,
                 ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if kind is not None and kind != type(self).kind:  # an error rebuilt from its kind
            if kind not in EXIT_CODES:
                kind = "crash"
            self.kind = kind  # type: ignore[misc]
            self.exit_code = EXIT_CODES[kind]

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class ConfigError(SyncdError):
    """Bad or missing configuration: names the file, the key and what was expected."""

    kind = "bad-input"


class UsageError(SyncdError):
    """A command was asked for something it cannot do as asked (unknown athlete, bad date)."""

    kind = "bad-input"


class SecretsError(SyncdError):
    """The secrets backend is unusable (no keyring, unsafe file permissions)."""

    kind = "bad-input"


class AuthError(SyncdError):
    """Strava refused our credentials: the athlete must authorise again."""

    kind = "auth"


class AppInactiveError(SyncdError):
    """Strava answered 403 "Inactive": the API application itself is switched off."""

    kind = "subscription"


class SourceError(SyncdError):
    """A source sent something unusable (a malformed payload): that item is marked failed."""

    kind = "transient"


class SourceUnavailable(SourceError):
    """A source kept failing (5xx, timeouts, dropped connections) after bounded retries:
    what is left waits for the next sync."""


class RateLimitStop(SyncdError):
    """A rate-limit window is spent and we were told not to wait; the next pull resumes."""

    kind = "rate-limit"


class LockBusy(SyncdError):
    """Another process holds the store's writer lock."""

    kind = "lock"


class JobCrashed(SyncdError):
    """A job died or raised something that is not a user error (see its log event)."""

    kind = "crash"


class FileImportError(SyncdError):
    """One activity file could not be read. Import reports it and goes on with the rest."""

    kind = "bad-input"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Parsing runs in worker processes: the error must survive pickling.
        return (type(self), (self.path, self.reason))


class StoreError(SyncdError):
    """The database could not be opened or migrated."""

    kind = "transient"

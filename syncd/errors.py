"""One error hierarchy: every failure a user can fix maps to a message and an exit code.

The CLI shows a `SyncdError` as its message alone (no traceback); anything else is a bug and
keeps its traceback. Messages must never carry a secret: build them from names, not values.
"""

from __future__ import annotations


class SyncdError(Exception):
    """A failure the user can act on. `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class ConfigError(SyncdError):
    """Bad or missing configuration: names the file, the key and what was expected."""

    exit_code = 2


class UsageError(SyncdError):
    """A command was asked for something it cannot do as asked (unknown athlete, bad date)."""

    exit_code = 2


class SecretsError(SyncdError):
    """The secrets backend is unusable (no keyring, unsafe file permissions)."""

    exit_code = 2


class AuthError(SyncdError):
    """Strava refused our credentials: the athlete must authorise again."""

    exit_code = 3


class AppInactiveError(SyncdError):
    """Strava answered 403 "Inactive": the API application itself is switched off."""

    exit_code = 3


class SourceError(SyncdError):
    """The remote API misbehaved (malformed payload, repeated 5xx) beyond our retries."""

    exit_code = 1


class RateLimitStop(SyncdError):
    """A rate-limit window is spent and we were told not to wait; the next pull resumes."""

    exit_code = 4


class FileImportError(SyncdError):
    """One activity file could not be read. Import reports it and goes on with the rest."""

    exit_code = 1

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Parsing runs in worker processes: the error must survive pickling.
        return (type(self), (self.path, self.reason))


class StoreError(SyncdError):
    """The database could not be opened or migrated."""

    exit_code = 1

"""Where OAuth tokens live: an explicitly chosen keyring backend, or a 0600 JSON file.

Tokens never go into the database, logs or exception messages. Every value loaded or saved
here is registered with `syncd.logs` so a token that slips into a log line is scrubbed.

The keyring backend is always named explicitly: keyring's automatic choice can land on a
backend that prompts for a password, which blocks or crashes a daemon. A daemon under
systemd usually has no D-Bus session, so the Secret Service is out of reach there; the file
backend is the answer for servers.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn, Protocol

from syncd.errors import ConfigError, SecretsError
from syncd.logs import is_sensitive_key, redact, register_secret

__all__ = [
    "DEFAULT_KEYRING_BACKEND",
    "FileSecretStore",
    "KeyringSecretStore",
    "SecretStore",
    "open_secret_store",
    "register_secret_values",
    "strava_token_key",
]

DEFAULT_KEYRING_BACKEND = "keyring.backends.SecretService.Keyring"
# Backends that talk to a desktop service over the D-Bus session bus.
_DBUS_BACKEND_MODULES = frozenset(
    {"keyring.backends.SecretService", "keyring.backends.kwallet", "keyring.backends.libsecret"}
)
_FILE_BACKEND_HINT = (
    'Use the file backend instead: in the config set [secrets] backend = "file" and '
    'path = "/path/to/secrets.json" (created with mode 0600).'
)


class SecretStore(Protocol):
    """A small key -> JSON-object store for credentials."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any]) -> None: ...

    def delete(self, key: str) -> None: ...


def strava_token_key(athlete_id: int) -> str:
    """The store key of one athlete's Strava token set."""
    return f"strava-token:{int(athlete_id)}"


def register_secret_values(value: Any) -> None:
    """Register the string values under secret-looking keys (access_token, ...) for redaction.

    Only those keys: registering every string (e.g. a firstname) would redact ordinary words.
    """
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and is_sensitive_key(k):
                register_secret(v)
            else:
                register_secret_values(v)
    elif isinstance(value, list | tuple):
        for v in value:
            register_secret_values(v)


def _check_value(value: Any) -> None:
    if not isinstance(value, dict):
        raise TypeError(f"secret values must be dicts, got {type(value).__name__}")


# --------------------------------------------------------------------------- keyring


class KeyringSecretStore:
    """Values as JSON strings in a keyring under (service, key), on an explicit backend."""

    def __init__(self, service: str = "syncd", backend: str | None = None) -> None:
        self.service = service
        self.backend_path = backend or DEFAULT_KEYRING_BACKEND
        self._keyring = _load_backend(self.backend_path)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._errors("read", key):
            raw = self._keyring.get_password(self.service, key)
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise SecretsError(
                f"the keyring entry {key!r} of service {self.service!r} is not a JSON object",
                hint="delete it and authorise again",
            ) from None
        register_secret_values(value)
        return value

    def set(self, key: str, value: dict[str, Any]) -> None:
        _check_value(value)
        register_secret_values(value)
        raw = json.dumps(value, sort_keys=True)
        with self._errors("write", key):
            self._keyring.set_password(self.service, key, raw)

    def delete(self, key: str) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            with self._errors("delete", key):
                self._keyring.delete_password(self.service, key)
        except SecretsError as exc:
            if isinstance(exc.__cause__, PasswordDeleteError):
                return  # not there: deleting is idempotent
            raise

    @contextlib.contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        """Turn any backend failure into SecretsError (message redacted, cause chained)."""
        try:
            yield
        except Exception as exc:  # backends raise KeyringError, D-Bus and OS errors alike
            raise SecretsError(
                f"keyring backend {self.backend_path} could not {action} {key!r}: "
                f"{type(exc).__name__}: {redact(str(exc))}",
                hint=_FILE_BACKEND_HINT,
            ) from exc


def _load_backend(path: str) -> Any:
    """Import, vet and instantiate the named backend class; never keyring's automatic pick."""
    from keyring.backend import KeyringBackend

    module_name, _, class_name = path.rpartition(".")
    if not module_name or not class_name:
        raise ConfigError(
            f"secrets.keyring_backend = {path!r} is not a 'module.Class' path",
            hint=f"for example {DEFAULT_KEYRING_BACKEND!r}",
        )
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            f"secrets.keyring_backend = {path!r} cannot be loaded: {type(exc).__name__}: {exc}",
            hint=f"for example {DEFAULT_KEYRING_BACKEND!r}",
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, KeyringBackend)):
        raise ConfigError(f"secrets.keyring_backend = {path!r} is not a keyring backend class")

    if cls.__module__ in _DBUS_BACKEND_MODULES and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        # Checked before touching the backend: probing D-Bus without a session can hang.
        _no_keyring(path, "DBUS_SESSION_BUS_ADDRESS is not set")
    try:
        priority = cls.priority
    except Exception as exc:  # keyring's contract: priority raises when unusable
        _no_keyring(path, f"{type(exc).__name__}: {redact(str(exc))}", exc)
    if not isinstance(priority, int | float) or priority < 0:
        _no_keyring(path, f"its priority is {priority!r}")
    try:
        return cls()
    except Exception as exc:
        _no_keyring(path, f"{type(exc).__name__}: {redact(str(exc))}", exc)


def _no_keyring(path: str, reason: str, cause: BaseException | None = None) -> NoReturn:
    raise SecretsError(
        f"no working keyring: backend {path} is not usable ({reason}). A daemon under "
        "systemd or on a headless server has no D-Bus session, so no desktop keyring.",
        hint=_FILE_BACKEND_HINT,
    ) from cause


# --------------------------------------------------------------------------- file


class FileSecretStore:
    """One JSON file {key: value}, mode 0600, replaced atomically on every write.

    A file readable or writable by group or others is refused: tokens in it may have leaked,
    and silently tightening the mode would hide that.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).expanduser()

    def get(self, key: str) -> dict[str, Any] | None:
        value = self._read().get(key)
        if value is not None:
            register_secret_values(value)
        return value

    def set(self, key: str, value: dict[str, Any]) -> None:
        _check_value(value)
        register_secret_values(value)
        with self._lock():
            data = self._read()
            data[key] = value
            self._write(data)

    def delete(self, key: str) -> None:
        with self._lock():
            data = self._read()
            if key in data:
                del data[key]
                self._write(data)

    # -- internals

    def _read(self) -> dict[str, Any]:
        try:
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(self.path, flags)  # NONBLOCK: a FIFO must not hang us
        except FileNotFoundError:
            return {}
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise SecretsError(
                    f"secrets file {self.path} is a symlink, which is refused",
                    hint="point secrets.path at the real file (writes replace the path itself)",
                ) from None
            raise SecretsError(
                f"cannot open secrets file {self.path}: {exc.strerror}",
                hint=f"it must be a regular file owned by this user with mode 0600 "
                f"(chmod 600 {self.path})",
            ) from None
        try:
            st = os.fstat(fd)  # on the open file: no window for a swap
            if not stat.S_ISREG(st.st_mode):
                raise SecretsError(f"secrets file {self.path} is not a regular file")
            self._check_mode(st.st_mode)
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as fh:
            raw = fh.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            # Never echo the content: it holds tokens.
            raise SecretsError(
                f"secrets file {self.path} is corrupt (not a JSON object of objects)",
                hint="restore it from a backup or delete it and authorise again",
            ) from None
        return data

    def _check_mode(self, mode: int) -> None:
        if mode & 0o077:
            raise SecretsError(
                f"secrets file {self.path} has mode {stat.S_IMODE(mode):04o}: readable or "
                "writable by group or others, so it is refused",
                hint=f"restrict it with: chmod 600 {self.path} (and consider rotating tokens)",
            )

    def _ensure_dir(self) -> Path:
        parent = self.path.parent
        if not parent.exists():
            os.makedirs(parent, mode=0o700, exist_ok=True)
        return parent

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise read-modify-write between processes (daemon refresh vs. CLI)."""
        self._ensure_dir()
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - non-POSIX: no inter-process lock
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _write(self, data: dict[str, Any]) -> None:
        parent = self._ensure_dir()
        tmp = parent / f".{self.path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                os.fchmod(fh.fileno(), 0o600)  # whatever the umask did
                json.dump(data, fh, indent=2, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(parent)


def _fsync_dir(path: Path) -> None:
    """Make the rename durable; not every platform can open a directory."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- factory


def open_secret_store(
    backend: str, path: Path | None = None, keyring_backend: str | None = None
) -> SecretStore:
    """The store named by config `[secrets] backend` ("keyring" or "file")."""
    kind = (backend or "").strip().lower()
    if kind == "keyring":
        return KeyringSecretStore(backend=keyring_backend)
    if kind == "file":
        if path is None:
            raise ConfigError(
                'secrets.path is required when secrets.backend = "file"',
                hint='for example path = "~/.config/syncd/secrets.json"',
            )
        return FileSecretStore(Path(path))
    raise ConfigError(
        f"secrets.backend = {backend!r} is not supported", hint='use "keyring" or "file"'
    )

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import keyring.backend
import keyring.errors
import pytest

from syncd import logs
from syncd import secrets as sec
from syncd.errors import ConfigError, SecretsError

ACCESS = "acc3ss0123456789abcdef0123456789abcdef01"
REFRESH = "r3fr3sh0123456789abcdef0123456789abcdef0"
TOKENS = {"access_token": ACCESS, "refresh_token": REFRESH, "expires_at": 1767225600}


# -- keyring backends used through their dotted path --------------------------------------


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A tiny in-memory keyring; `store` is class-level so tests can inspect it."""

    priority = 1
    store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        try:
            del self.store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None


class NegativeKeyring(MemoryKeyring):
    priority = -1


class RaisingPriorityKeyring(MemoryKeyring):
    @keyring.backend.properties.classproperty
    def priority(cls):
        raise RuntimeError("no backend daemon")


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class NotABackend:
    priority = 1


def _path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


@pytest.fixture(autouse=True)
def _clean():
    MemoryKeyring.store = {}
    logs._clear_secrets()
    yield
    logs._clear_secrets()


def test_strava_token_key():
    assert sec.strava_token_key(12345) == "strava-token:12345"


def test_keyring_round_trip_through_named_backend():
    store = sec.KeyringSecretStore(service="syncd-test", backend=_path(MemoryKeyring))
    assert store.get("strava-token:1") is None
    store.set("strava-token:1", TOKENS)
    raw = MemoryKeyring.store[("syncd-test", "strava-token:1")]
    assert json.loads(raw) == TOKENS  # stored as a JSON string under (service, key)
    assert store.get("strava-token:1") == TOKENS
    store.delete("strava-token:1")
    assert store.get("strava-token:1") is None
    store.delete("strava-token:1")  # idempotent


def test_keyring_uses_the_named_backend_not_the_global_one(monkeypatch):
    import keyring

    def boom(*_a, **_k):
        raise AssertionError("the global keyring must not be used")

    monkeypatch.setattr(keyring, "get_keyring", boom)
    monkeypatch.setattr(keyring, "set_password", boom)
    monkeypatch.setattr(keyring, "get_password", boom)
    store = sec.open_secret_store("keyring", None, _path(MemoryKeyring))
    store.set("k", {"a": 1})
    assert store.get("k") == {"a": 1}


def test_secret_service_without_dbus_session_points_to_file_backend(monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with pytest.raises(SecretsError) as info:
        sec.KeyringSecretStore()  # default backend: SecretService
    text = str(info.value)
    assert "no working keyring" in text
    assert "D-Bus" in text
    assert 'backend = "file"' in text
    assert "path" in text


@pytest.mark.parametrize(
    ("cls", "reason"),
    [(NegativeKeyring, "priority is -1"), (RaisingPriorityKeyring, "no backend daemon")],
)
def test_unusable_backend_is_a_secrets_error(cls, reason):
    with pytest.raises(SecretsError, match="no working keyring") as info:
        sec.KeyringSecretStore(backend=_path(cls))
    assert reason in str(info.value)
    assert 'backend = "file"' in str(info.value)


@pytest.mark.parametrize(
    "path", ["nodots", "no.such.module.Keyring", "keyring.backends.fail.Nope", None]
)
def test_bad_backend_path_is_a_config_error(path):
    path = path or _path(NotABackend)
    with pytest.raises(ConfigError, match="keyring_backend"):
        sec.KeyringSecretStore(backend=path)


def test_keyring_errors_during_use_become_secrets_errors():
    store = sec.KeyringSecretStore(backend=_path(LockedKeyring))
    with pytest.raises(SecretsError, match="could not read") as info:
        store.get("strava-token:1")
    assert isinstance(info.value.__cause__, keyring.errors.KeyringLocked)


def test_keyring_entry_that_is_not_json_is_reported_without_content():
    MemoryKeyring.store[("syncd", "k")] = "not json " + ACCESS
    store = sec.KeyringSecretStore(backend=_path(MemoryKeyring))
    with pytest.raises(SecretsError, match="not a JSON object") as info:
        store.get("k")
    assert ACCESS not in str(info.value)


def test_values_are_registered_for_redaction_on_save_and_load(tmp_path):
    store = sec.FileSecretStore(tmp_path / "s.json")
    store.set("k", TOKENS)
    assert logs.redact(f"x {ACCESS} {REFRESH}") == "x [redacted] [redacted]"
    logs._clear_secrets()
    assert store.get("k") == TOKENS
    assert ACCESS not in logs.redact(ACCESS)
    assert logs.redact("1767225600") == "1767225600"  # non-secret values are left alone


def test_register_secret_values_walks_nested_values():
    sec.register_secret_values({"app": {"client_secret": "c1i3nt-s3cr3t"}, "list": [TOKENS]})
    assert logs.redact("c1i3nt-s3cr3t " + REFRESH) == "[redacted] [redacted]"


# -- file store --------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_round_trip_and_modes(tmp_path):
    path = tmp_path / "new-dir" / "secrets.json"
    store = sec.FileSecretStore(path)
    assert store.get("strava-token:1") is None
    assert not path.exists()
    store.set("strava-token:1", TOKENS)
    store.set("strava-token:2", {"access_token": "x" * 10})
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert json.loads(path.read_text()) == {
        "strava-token:1": TOKENS,
        "strava-token:2": {"access_token": "x" * 10},
    }
    assert sec.FileSecretStore(path).get("strava-token:1") == TOKENS
    store.delete("strava-token:1")
    store.delete("strava-token:1")
    assert sec.FileSecretStore(path).get("strava-token:1") is None
    assert sec.FileSecretStore(path).get("strava-token:2") == {"access_token": "x" * 10}
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_file_mode_is_0600_even_with_a_strict_umask(tmp_path):
    old = os.umask(0o277)
    try:
        sec.FileSecretStore(tmp_path / "s.json").set("k", {"a": 1})
    finally:
        os.umask(old)
    assert _mode(tmp_path / "s.json") == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o660])
def test_file_readable_or_writable_by_others_is_refused(tmp_path, mode):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"k": TOKENS}))
    path.chmod(mode)
    store = sec.FileSecretStore(path)
    for action in (lambda: store.get("k"), lambda: store.set("k", {"a": 1})):
        with pytest.raises(SecretsError) as info:
            action()
        text = str(info.value)
        assert str(path) in text
        assert f"{mode:04o}" in text
        assert f"chmod 600 {path}" in text
        assert ACCESS not in text
    assert json.loads(path.read_text()) == {"k": TOKENS}  # untouched


def test_corrupt_file_is_reported_without_its_content(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"k": {"access_token": "' + ACCESS + '"')  # truncated
    path.chmod(0o600)
    with pytest.raises(SecretsError, match="corrupt") as info:
        sec.FileSecretStore(path).get("k")
    assert str(path) in str(info.value)
    assert ACCESS not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize("content", ["[1, 2]", '{"k": "flat string"}', "\xff\xfe"])
def test_wrong_shape_is_corrupt(tmp_path, content):
    path = tmp_path / "s.json"
    path.write_text(content, encoding="latin-1")
    path.chmod(0o600)
    with pytest.raises(SecretsError, match="corrupt"):
        sec.FileSecretStore(path).get("k")


def test_symlinked_or_non_regular_file_is_refused(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("{}")
    target.chmod(0o600)
    link = tmp_path / "s.json"
    link.symlink_to(target)
    with pytest.raises(SecretsError, match="symlink"):
        sec.FileSecretStore(link).get("k")
    with pytest.raises(SecretsError, match="not a regular file"):
        sec.FileSecretStore(tmp_path).get("k")


@pytest.mark.parametrize("failing", ["json.dump", "os.replace", "os.fsync"])
def test_crash_during_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch, failing):
    path = tmp_path / "s.json"
    store = sec.FileSecretStore(path)
    store.set("k", TOKENS)
    before = path.read_bytes()

    module_name, func = failing.split(".")
    module = {"json": sec.json, "os": sec.os}[module_name]
    real = getattr(module, func)

    def crash(*args, **kwargs):
        if module_name == "json":  # write part of the document first, like a real crash
            args[1].write('{"k": {"access_')
        raise OSError("disk on fire")

    monkeypatch.setattr(module, func, crash)
    with pytest.raises(OSError, match="disk on fire"):
        store.set("k", {"access_token": "new-value-12345"})
    monkeypatch.setattr(module, func, real)

    assert path.read_bytes() == before
    assert sec.FileSecretStore(path).get("k") == TOKENS
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_temp_file_is_created_0600(tmp_path, monkeypatch):
    seen: list[tuple[str, int]] = []
    real_open = sec.os.open

    def spy(path, flags, mode=0o777, *a, **k):
        if str(path).endswith(".tmp"):
            seen.append((str(path), mode))
            assert flags & os.O_EXCL
        return real_open(path, flags, mode, *a, **k)

    monkeypatch.setattr(sec.os, "open", spy)
    sec.FileSecretStore(tmp_path / "s.json").set("k", {"a": 1})
    assert len(seen) == 1
    assert seen[0][1] == 0o600
    assert Path(seen[0][0]).parent == tmp_path  # same directory: os.replace stays atomic


def test_set_rejects_non_dict(tmp_path):
    with pytest.raises(TypeError):
        sec.FileSecretStore(tmp_path / "s.json").set("k", "token")  # type: ignore[arg-type]


# -- factory -----------------------------------------------------------------------------


def test_open_secret_store(tmp_path):
    assert isinstance(sec.open_secret_store("file", tmp_path / "s.json", None), sec.FileSecretStore)
    store = sec.open_secret_store("keyring", None, _path(MemoryKeyring))
    assert isinstance(store, sec.KeyringSecretStore)
    with pytest.raises(ConfigError, match="secrets.path"):
        sec.open_secret_store("file", None, None)
    with pytest.raises(ConfigError, match="not supported"):
        sec.open_secret_store("vault", None, None)

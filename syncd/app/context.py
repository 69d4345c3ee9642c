"""`App`: config, store and secrets, each opened once and only when first needed.

`syncd --help` must not touch the database, and the resident daemon must stay small, so
nothing heavy is imported at module level.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncd.config import Config, load_config

if TYPE_CHECKING:
    from syncd.store.repo import Store
    from syncd.store.tables import Athlete


def open_store(cfg: Config) -> Store:
    """The configured store, its schema upgraded."""
    from syncd.store.db import open_store as open_engine
    from syncd.store.repo import Store

    return Store(open_engine(cfg.database_url()))


class App:
    """What every job and view needs. Give a config path (None: the usual search) or a
    config already loaded (the daemon's child)."""

    def __init__(self, config_path: Path | None = None, *, config: Config | None = None) -> None:
        self.config_path = config_path
        self._config = config
        self._store: Store | None = None
        self._secrets: Any = None

    def reconfigured(self, config: Config) -> App:
        """The same app on a new config (the daemon's reload); the store stays open when the
        database is the same."""
        new = App(self.config_path, config=config)
        if self._store is not None and config.database_url() == self.config.database_url():
            new._store = self._store
        return new

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.config)
        return self._store

    def secrets(self) -> Any:
        """The secrets backend (a syncd.secrets.SecretStore); a method, so that callers can
        hand it on unopened and open it only when they need it."""
        if self._secrets is None:
            from syncd.secrets import open_secret_store

            cfg = self.config.secrets
            self._secrets = open_secret_store(cfg.backend, self.config.secrets_path(),
                                              cfg.keyring_backend)
        return self._secrets

    def athlete(self, selector: str | None, *, create: bool = False) -> Athlete:
        """The athlete an `--athlete` selector names (see `Store.resolve_athlete`); without one,
        the only athlete."""
        return self.store.resolve_athlete(selector, create=create)

    @contextmanager
    def writer_lock(self, what: str, *, timeout: float | None = None) -> Iterator[None]:
        """The store's one-writer lock, held for `what` (the holder says it to a waiter)."""
        from syncd.store.lock import writer_lock

        kw = {} if timeout is None else {"timeout": timeout}
        with writer_lock(self.config.database_url(), what, fallback_dir=self.config.lock_dir(),
                         **kw):
            yield

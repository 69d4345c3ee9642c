"""A fresh access token on demand; syncd, not stravalib, owns the refresh.

stravalib's own refresh reads the client id from the environment, refreshes only once the
token has expired and keeps the rotated refresh token in memory. Strava invalidates the old
refresh token as soon as it hands out a new one, so we refresh early (a margin), one process
at a time (a file lock), and persist the new pair before anything else happens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import structlog
from filelock import FileLock
from filelock import Timeout as LockTimeout

from syncd.errors import AuthError, SyncdError
from syncd.sources.strava.api import DEFAULT_API_HOST
from syncd.sources.strava.oauth import TokenSet, refresh_tokens

log = structlog.get_logger("syncd.strava")

LOCK_TIMEOUT_S = 120.0


class SecretStore(Protocol):
    """The slice of syncd.secrets this module needs."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any]) -> None: ...


Refresher = Callable[..., TokenSet]


class TokenManager:
    """Hands out a valid access token, refreshing (and persisting) with a margin."""

    def __init__(
        self,
        secret_store: SecretStore,
        key: str,
        *,
        client_id: int,
        client_secret: str,
        api_host: str = DEFAULT_API_HOST,
        lock_path: Path,
        margin_s: int = 3600,
        clock: Callable[[], float] = time.time,
        refresher: Refresher = refresh_tokens,
    ) -> None:
        self._store = secret_store
        self.key = key
        self._client_id = client_id
        self._client_secret = client_secret
        self.api_host = api_host
        self.lock_path = Path(lock_path)
        self.margin_s = margin_s
        self._clock = clock
        self._refresher = refresher
        self._cached: TokenSet | None = None

    def __repr__(self) -> str:
        return f"TokenManager(key={self.key!r}, lock_path={str(self.lock_path)!r})"

    def _fresh(self, tokens: TokenSet) -> bool:
        return tokens.expires_at - self._clock() >= self.margin_s

    def _load(self) -> TokenSet:
        data = self._store.get(self.key)
        if not data:
            raise AuthError("Strava is not authorised yet: run `syncd auth strava`.")
        return TokenSet.from_dict(data)

    def tokens(self) -> TokenSet:
        """The current token set, refreshed first if it expires within the margin."""
        if self._cached is not None and self._fresh(self._cached):
            return self._cached
        stored = self._load()
        if self._fresh(stored):
            self._cached = stored
            return stored
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_S):
                # Another process may have refreshed while we waited for the lock: its pair is
                # the only valid one now (ours was invalidated by its refresh).
                stored = self._load()
                if self._fresh(stored):
                    log.info("strava.token.refreshed_elsewhere", key=self.key)
                    self._cached = stored
                    return stored
                new = self._refresher(
                    self._client_id,
                    self._client_secret,
                    stored.refresh_token,
                    api_host=self.api_host,
                )
                merged = TokenSet(
                    access_token=new.access_token,
                    refresh_token=new.refresh_token,
                    expires_at=new.expires_at,
                    scopes=new.scopes or stored.scopes,
                    athlete_id=new.athlete_id if new.athlete_id is not None else stored.athlete_id,
                    athlete=new.athlete if new.athlete is not None else stored.athlete,
                )
                # Persist before anyone uses it: the old refresh token is already dead.
                self._store.set(self.key, merged.to_dict())
                log.info("strava.token.refreshed", key=self.key, expires_at=merged.expires_at)
        except LockTimeout:
            raise SyncdError(
                f"Another syncd process has held the token lock {self.lock_path} for over "
                f"{int(LOCK_TIMEOUT_S)} s.",
                hint="wait for it to finish, or remove the lock file if no syncd is running",
            ) from None
        self._cached = merged
        return merged

    def access_token(self) -> str:
        """A token valid for at least `margin_s` more seconds (refreshing if needed)."""
        return self.tokens().access_token

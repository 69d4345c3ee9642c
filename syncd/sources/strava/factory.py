"""Building Strava's source from config and secrets: the API application's credentials, the
athlete's tokens (refreshed under a lock, one refresher at a time), the rate budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from syncd.config import Config
from syncd.errors import AuthError, ConfigError
from syncd.store.repo import Store
from syncd.store.tables import Athlete


def strava_client(cfg: Config) -> tuple[int, str]:
    """The API application's id and secret, or a ConfigError naming the missing key."""
    if cfg.strava.client_id is None:
        raise ConfigError(
            f"Config file {cfg.source}: key 'strava.client_id' is missing: expected the "
            "numeric Client ID of your API application (https://www.strava.com/settings/api)."
        )
    secret = cfg.strava_client_secret()
    if not secret:
        raise ConfigError(
            f"Config file {cfg.source}: no Strava client secret: expected 'strava.client_secret',"
            " $SYNCD_STRAVA_CLIENT_SECRET or a systemd credential named strava_client_secret."
        )
    from syncd.logs import register_secret

    register_secret(secret)
    return cfg.strava.client_id, secret


def strava_api(
    cfg: Config, store: Store | None, secrets: Any, who: Athlete,
    *, waiter: Callable[[float, str], None] | None = None,
) -> tuple[Any, list[str], Any]:
    """(StravaAPI, granted scopes, TokenManager) for one athlete; AuthError if not authorised."""
    from syncd.secrets import strava_token_key
    from syncd.sources.strava.api import StravaAPI
    from syncd.sources.strava.ratelimit import RateBudget
    from syncd.sources.strava.tokens import TokenManager

    client_id, client_secret = strava_client(cfg)
    if who.strava_id is None:
        raise AuthError(f"Athlete {who.id} is not linked to Strava yet.",
                        hint="Run `syncd auth strava` first.")
    key = strava_token_key(who.strava_id)
    lock_dir = cfg.lock_dir()
    lock_dir.mkdir(parents=True, exist_ok=True)
    tokens = TokenManager(
        secrets, key, client_id=client_id, client_secret=client_secret,
        api_host=cfg.strava.api_host, lock_path=lock_dir / f"strava-{who.strava_id}.lock",
    )
    stored = secrets.get(key) or {}
    api = StravaAPI(
        tokens.access_token, RateBudget(), api_host=cfg.strava.api_host, waiter=waiter,
        max_retries=cfg.strava.max_retries, timeout=cfg.strava.timeout_s,
    )
    return api, list(stored.get("scopes") or []), tokens


def strava_source(cfg: Config, secrets: Any, who: Athlete, *,
                  waiter: Callable[[float, str], None] | None = None) -> Any:
    """The athlete's Strava as a `Source` (syncd.sources.strava.source.StravaSource)."""
    from syncd.sources.strava.source import StravaSource

    api, scopes, _tokens = strava_api(cfg, None, secrets, who, waiter=waiter)
    return StravaSource(api, per_page=cfg.strava.per_page, fetch_details=cfg.strava.fetch_details,
                        trust_short_page="activity:read_all" in scopes)


def strava_athletes(store: Store) -> list[Athlete]:
    """The stored athletes linked to a Strava account."""
    return [a for a in store.athletes() if a.strava_id is not None]

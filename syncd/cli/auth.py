"""`syncd auth strava`: the OAuth dance, once per athlete; the tokens go to the secrets
backend and the athlete into the store."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from syncd.cli.common import app_of, command_group, err, out
from syncd.errors import AuthError

group = command_group("Authorise syncd against a service (once per athlete).")


@group.command("strava")
def auth_strava(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Option(
        help="Exchange a code pasted by hand (headless servers): the code, or the whole "
        "redirect URL from the browser's address bar.")] = None,
    port: Annotated[int | None, typer.Option(
        help="Loopback port for the redirect (default: strava.redirect_port).")] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Only print the URL; don't try to open a browser.")] = False,
) -> None:
    """Authorise syncd to read your Strava activities (once; tokens go to the secrets backend)."""
    from syncd.sources.strava import oauth
    from syncd.sources.strava.factory import strava_client

    c = app_of(ctx)
    cfg = c.config
    client_id, client_secret = strava_client(cfg)
    secrets = c.secrets()
    # activity:write only when a feature that writes to Strava is on.
    scopes = oauth.scopes(write=cfg.strava.write_scope or "strava" in cfg.digest.post_to)
    if code is not None:
        the_code, granted, _state = oauth.parse_redirect(code)
        if granted is None:
            err.print("[yellow]Only a code was given, so the granted scopes are unknown; "
                      "paste the whole redirect URL to have them checked.[/]")
    else:
        the_code, granted = oauth.run_loopback(
            client_id, port=cfg.strava.redirect_port if port is None else port, scopes=scopes,
            api_host=cfg.strava.api_host, open_browser=not no_browser,
            echo=lambda msg: err.print(msg, soft_wrap=True),
        )
    tokens = oauth.exchange_code(
        client_id, client_secret, the_code, api_host=cfg.strava.api_host,
        granted_scopes=granted or [],
    )
    _save(c, secrets, tokens)
    warning = oauth.missing_scope_warning(granted) if granted is not None else None
    if warning:
        err.print(f"[yellow]{warning}[/]")


def _save(c: Any, secrets: Any, tokens: Any) -> None:
    """The authorising athlete into the store, their tokens into the secrets backend."""
    from syncd.secrets import strava_token_key

    if tokens.athlete_id is None:
        raise AuthError("Strava's token answer did not say which athlete authorised.")
    name = ""
    if tokens.athlete:
        name = " ".join(
            str(tokens.athlete.get(k) or "") for k in ("firstname", "lastname")
        ).strip()
    athlete = c.store.ensure_athlete(strava_id=tokens.athlete_id, name=name)
    secrets.set(strava_token_key(tokens.athlete_id), tokens.to_dict())
    out.print(f"Authorised Strava athlete {tokens.athlete_id}"
              f"{f' ({name})' if name else ''} as store athlete {athlete.id}.")

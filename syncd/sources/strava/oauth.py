"""Strava OAuth: the authorize URL, a loopback redirect catcher, code exchange and refresh.

Messages built here never carry the code, the client secret or a token: they are shown to
the user and may land in logs.
"""

from __future__ import annotations

import html
import secrets
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import structlog
from stravalib import exc

from syncd.errors import AppInactiveError, AuthError, ConfigError, SourceError
from syncd.sources.strava.api import (
    DEFAULT_API_HOST,
    INACTIVE_HINT,
    INACTIVE_MESSAGE,
    REAUTH_HINT,
    TransientError,
    make_client,
)

log = structlog.get_logger("syncd.strava")

SCOPES_READ = ["read", "activity:read_all"]
MISSING_READ_ALL = (
    "You did not grant activity:read_all: private activities (and privacy-zoned data) will be "
    "missed. Run `syncd auth strava` again and keep that box ticked."
)


def scopes(write: bool = False) -> list[str]:
    """The scopes syncd asks for: read everything, and write only when asked to."""
    return [*SCOPES_READ, "activity:write"] if write else list(SCOPES_READ)


def missing_scope_warning(granted: list[str] | None) -> str | None:
    """A warning when the athlete unticked activity:read_all on Strava's page."""
    if granted is None or "activity:read_all" not in granted:
        return MISSING_READ_ALL
    return None


def authorize_url(
    client_id: int,
    redirect_uri: str,
    state: str,
    scopes: list[str],
    api_host: str = DEFAULT_API_HOST,
) -> str:
    """The page on Strava where the athlete approves syncd."""
    client = make_client(api_host)
    return client.authorization_url(
        client_id=client_id,
        redirect_uri=redirect_uri,
        approval_prompt="auto",
        scope=scopes,  # type: ignore[arg-type]
        state=state,
    )


def _split_scopes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [s for s in (p.strip() for p in value.split(",")) if s]


def parse_redirect(url_or_code: str) -> tuple[str, list[str] | None, str | None]:
    """(code, granted scopes, state) from a pasted redirect URL, or a bare code."""
    text = url_or_code.strip()
    if not text:
        raise AuthError("No authorisation code given.", hint=REAUTH_HINT)
    if "=" not in text and "?" not in text and "/" not in text:
        return text, None, None
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text
    query = query.lstrip("?")
    params = parse_qs(query, keep_blank_values=True)

    def one(name: str) -> str | None:
        values = params.get(name)
        return values[0] if values else None

    error = one("error")
    if error:
        if error == "access_denied":
            raise AuthError(
                "You declined access on Strava's page, so syncd cannot read your activities.",
                hint="run `syncd auth strava` again and press Authorize",
            )
        raise AuthError(f"Strava's authorisation page answered error={error!r}.", hint=REAUTH_HINT)
    code = one("code")
    if not code:
        raise AuthError(
            "The redirect URL has no `code` parameter: paste the whole address Strava sent "
            "the browser to.",
            hint=REAUTH_HINT,
        )
    return code, _split_scopes(one("scope")), one("state")


_DONE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>syncd</title></head>"
    "<body><h1>{title}</h1><p>{body}</p></body></html>"
)


def _page(title: str, body: str) -> bytes:
    return _DONE_PAGE.format(title=html.escape(title), body=html.escape(body)).encode()


class _LoopbackServer(HTTPServer):
    result: tuple[str, list[str]] | None
    failure: AuthError | None
    expected_state: str


class _RedirectHandler(BaseHTTPRequestHandler):
    server: _LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # The default writes the request line, code included, to stderr.
        return

    def _answer(self, status: int, title: str, body: str) -> None:
        payload = _page(title, body)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        query = urlsplit(self.path).query
        params = parse_qs(query)
        if "code" not in params and "error" not in params:
            # favicon.ico and the like: not the redirect, keep waiting.
            self._answer(404, "Not found", "This is syncd's authorisation catcher.")
            return
        state = (params.get("state") or [None])[0]
        if state is None or not secrets.compare_digest(state, self.server.expected_state):
            self.server.failure = AuthError(
                "The redirect's `state` does not match the one syncd sent: possible CSRF "
                "(someone else's authorisation). Nothing was saved.",
                hint=REAUTH_HINT,
            )
            self._answer(400, "State mismatch", "syncd did not start this authorisation.")
            return
        try:
            code, granted, _ = parse_redirect("?" + query)
        except AuthError as e:
            self.server.failure = e
            self._answer(400, "Not authorised", e.message)
            return
        self.server.result = (code, granted or [])
        self._answer(200, "syncd is authorised", "You can close this tab and go back to syncd.")


def run_loopback(
    client_id: int,
    *,
    port: int,
    scopes: list[str],
    api_host: str = DEFAULT_API_HOST,
    open_browser: bool,
    timeout: float = 300,
    echo: Callable[[str], None] = print,
) -> tuple[str, list[str]]:
    """Catch Strava's redirect on 127.0.0.1 and return (code, granted scopes).

    `port=0` picks a free port; the redirect URI carries the real one (Strava accepts any
    port on localhost/127.0.0.1 for an app whose callback domain is localhost).
    """
    try:
        server = _LoopbackServer(("127.0.0.1", port), _RedirectHandler)
    except OSError as e:
        raise AuthError(
            f"Cannot listen on 127.0.0.1:{port} for Strava's redirect ({e.strerror}).",
            hint="pick another port with --port, or paste the redirect URL with --manual",
        ) from None
    server.result = None
    server.failure = None
    server.expected_state = secrets.token_urlsafe(24)
    server.timeout = 0.2  # handle_request returns so we can check our own deadline
    try:
        real_port = server.server_address[1]
        redirect_uri = f"http://127.0.0.1:{real_port}/"
        url = authorize_url(client_id, redirect_uri, server.expected_state, scopes, api_host)
        echo(f"Open this page to authorise syncd on Strava:\n{url}")
        if open_browser:
            try:
                webbrowser.open(url)
            except Exception:  # noqa: BLE001 (no browser is fine: the URL is printed)
                log.info("oauth.browser.unavailable")
        deadline = time.monotonic() + timeout
        while server.result is None and server.failure is None:
            if time.monotonic() >= deadline:
                raise AuthError(
                    f"No answer from Strava's page within {int(timeout)} s.", hint=REAUTH_HINT
                )
            server.handle_request()
        if server.failure is not None:
            raise server.failure
        assert server.result is not None
        return server.result
    finally:
        server.server_close()


@dataclass
class TokenSet:
    """One athlete's Strava credentials. `repr` never shows the token values."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: int
    scopes: list[str] = field(default_factory=list)
    athlete_id: int | None = None
    athlete: dict[str, Any] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"TokenSet(access_token=<redacted>, refresh_token=<redacted>, "
            f"expires_at={self.expires_at}, scopes={self.scopes!r}, athlete_id={self.athlete_id})"
        )

    __str__ = __repr__

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scopes": list(self.scopes),
            "athlete_id": self.athlete_id,
            "athlete": self.athlete,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenSet:
        """Rebuild stored tokens; incomplete ones mean the athlete must authorise again."""
        try:
            access, refresh = data["access_token"], data["refresh_token"]
            expires_at = int(data["expires_at"])
        except (KeyError, TypeError, ValueError):
            raise AuthError("The stored Strava tokens are incomplete.", hint=REAUTH_HINT) from None
        if not isinstance(access, str) or not isinstance(refresh, str):
            raise AuthError("The stored Strava tokens are incomplete.", hint=REAUTH_HINT)
        athlete_id = data.get("athlete_id")
        return cls(
            access_token=access,
            refresh_token=refresh,
            expires_at=expires_at,
            scopes=list(data.get("scopes") or []),
            athlete_id=int(athlete_id) if athlete_id is not None else None,
            athlete=data.get("athlete"),
        )


def _token_call(what: str, call: Callable[[], TokenSet]) -> TokenSet:
    """Run a /oauth/token exchange and map its failures to syncd errors (no secrets).

    The error is raised outside the `except` so it chains nothing: stravalib's exception holds
    the request, whose body carries the client secret and the code or refresh token.
    """
    failure: Exception
    try:
        return call()
    except exc.ApplicationInactive:
        failure = AppInactiveError(INACTIVE_MESSAGE, hint=INACTIVE_HINT)
    except exc.Fault as e:
        failure = _token_fault(what, e.response)
    except (requests.Timeout, requests.ConnectionError):
        failure = TransientError(
            f"Could not reach Strava's /oauth/token for the token {what}; try again later."
        )
    except (KeyError, TypeError, ValueError):
        failure = SourceError(
            f"Strava's /oauth/token answered the {what} with an unexpected body "
            "(not JSON, or tokens missing)."
        )
    except requests.RequestException as e:
        failure = SourceError(f"Strava's /oauth/token request failed ({type(e).__name__}).")
    raise failure


def _error_fields(response: requests.Response | None) -> set[str]:
    """The `field`s named in Strava's error body (names only, never values)."""
    try:
        errors = response.json().get("errors") if response is not None else None
    except (ValueError, AttributeError):
        return set()
    if not isinstance(errors, list):
        return set()
    return {str(e.get("field")) for e in errors if isinstance(e, dict) and e.get("field")}


def _token_fault(what: str, response: requests.Response | None) -> Exception:
    status = response.status_code if response is not None else None
    if _error_fields(response) & {"client_id", "client_secret"}:
        return ConfigError(
            f"Strava refused the API application's client id or secret (HTTP {status}).",
            hint="check the Strava client id and secret in syncd's configuration",
        )
    if status in (400, 401):
        reason = (
            "the refresh token was revoked or is no longer valid"
            if what == "refresh"
            else "the authorisation code is invalid, expired or already used"
        )
        return AuthError(
            f"Strava refused the token {what} (HTTP {status}): {reason}.", hint=REAUTH_HINT
        )
    if status == 403:
        return AuthError(
            f"Strava refused the token {what} (HTTP 403): check the client id and secret.",
            hint=REAUTH_HINT,
        )
    return SourceError(f"Strava's /oauth/token answered HTTP {status} to the {what}.")


def exchange_code(
    client_id: int,
    client_secret: str,
    code: str,
    *,
    api_host: str = DEFAULT_API_HOST,
    granted_scopes: list[str] | None,
    session: requests.Session | None = None,
) -> TokenSet:
    """Trade the one-time code for tokens and the summary athlete (kept as raw JSON)."""
    client = make_client(api_host, session=session)

    def call() -> TokenSet:
        # The protocol layer returns the athlete as Strava sent it; Client would turn it into
        # a stravalib model.
        info, athlete = client.protocol.exchange_code_for_token(
            client_id=client_id, client_secret=client_secret, code=code, return_athlete=True
        )
        athlete = athlete if isinstance(athlete, dict) else None
        athlete_id = athlete.get("id") if athlete else None
        return TokenSet(
            access_token=str(info["access_token"]),
            refresh_token=str(info["refresh_token"]),
            expires_at=int(info["expires_at"]),
            scopes=list(granted_scopes or []),
            athlete_id=int(athlete_id) if athlete_id is not None else None,
            athlete=athlete,
        )

    return _token_call("exchange", call)


def refresh_tokens(
    client_id: int,
    client_secret: str,
    refresh_token: str,
    *,
    api_host: str = DEFAULT_API_HOST,
    session: requests.Session | None = None,
) -> TokenSet:
    """A new access token and the ROTATED refresh token (the old one dies at once)."""
    client = make_client(api_host, session=session)

    def call() -> TokenSet:
        info = client.refresh_access_token(
            client_id=client_id, client_secret=client_secret, refresh_token=refresh_token
        )
        return TokenSet(
            access_token=str(info["access_token"]),
            refresh_token=str(info["refresh_token"]),
            expires_at=int(info["expires_at"]),
        )

    return _token_call("refresh", call)

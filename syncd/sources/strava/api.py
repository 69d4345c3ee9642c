"""Raw-JSON access to Strava's API through stravalib's protocol layer.

We keep Strava's JSON as received (stravalib's models map sport types they do not know to
"Workout"), spend the rate budget deliberately, and turn every failure into a `SyncdError`
whose message never carries the access token.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests
import structlog
from stravalib import Client, exc

from syncd.errors import (
    AppInactiveError,
    AuthError,
    RateLimitStop,
    SourceError,
    SourceUnavailable,
)
from syncd.sources.strava.ratelimit import RateBudget

log = structlog.get_logger("syncd.strava")

DEFAULT_API_HOST = "www.strava.com"
STREAM_KEYS = (
    "time",
    "distance",
    "latlng",
    "altitude",
    "velocity_smooth",
    "heartrate",
    "cadence",
    "moving",
    "grade_smooth",
    "watts",
    "temp",
)
REAUTH_HINT = "run `syncd auth strava` again"
INACTIVE_MESSAGE = (
    "Strava refuses every request because the Strava API application is inactive. "
    "Strava now requires the account that owns the API application to have an active "
    "paid subscription; nothing is wrong with syncd or with your token."
)
INACTIVE_HINT = (
    "Subscribe with the account that owns the application, then reactivate it at "
    "https://www.strava.com/settings/api."
)
BACKOFF_BASE_S = 1.0
BACKOFF_FACTOR = 2.0
BACKOFF_CAP_S = 60.0


class RateLimited(RateLimitStop):
    """Strava answered 429: the caller decides whether to wait for the window or stop."""

    def __init__(self, message: str, *, reset_at: float | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class TransientError(SourceUnavailable):
    """Strava kept failing (5xx, timeouts, dropped connections) after bounded retries."""


class NotFoundError(SourceError):
    """Strava answered 404 for something we asked for by id (deleted, or not ours)."""


@contextlib.contextmanager
def _silenced_token_warnings() -> Iterator[None]:
    """stravalib warns through the root logger about env credentials at construction."""
    old = os.environ.get("SILENCE_TOKEN_WARNINGS")
    os.environ["SILENCE_TOKEN_WARNINGS"] = "true"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SILENCE_TOKEN_WARNINGS", None)
        else:
            os.environ["SILENCE_TOKEN_WARNINGS"] = old


def split_api_host(api_host: str) -> tuple[str, str]:
    """`www.strava.com` -> ("https", host); `http://127.0.0.1:8080` (a local stand-in) too."""
    if "://" in api_host:
        scheme, _, rest = api_host.partition("://")
        return scheme, rest.rstrip("/")
    return "https", api_host


def with_timeout(
    session: requests.Session, timeout: float, *, plain_http_host: str | None = None
) -> requests.Session:
    """Give every request on `session` a timeout (requests has none by default).

    stravalib always builds https URLs; for a plain-http local stand-in of the API
    (`plain_http_host`), its URLs are rewritten to http here.
    """
    original = session.request
    https_prefix = f"https://{plain_http_host}/" if plain_http_host else None

    def request(method: str, url: str, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = timeout
        if https_prefix and url.startswith(https_prefix):
            url = "http://" + url[len("https://"):]
        return original(method, url, **kwargs)

    session.request = request  # type: ignore[method-assign]
    return session


def make_client(
    api_host: str = DEFAULT_API_HOST,
    *,
    session: requests.Session | None = None,
    timeout: float = 30.0,
) -> Client:
    """A stravalib Client that talks to `api_host`, never refreshes on its own, never waits."""
    scheme, host = split_api_host(api_host)
    session = with_timeout(
        session or requests.Session(), timeout,
        plain_http_host=host if scheme == "http" else None,
    )
    with _silenced_token_warnings():
        client = Client(rate_limit_requests=False, requests_session=session)
    # syncd owns token refresh (with a margin, a lock and persistence): switch stravalib's
    # env-driven refresh off, whatever STRAVA_CLIENT_ID/SECRET say.
    client.protocol.client_id = None
    client.protocol.client_secret = None
    client.protocol.server = host
    return client


def _strava_error_detail(response: requests.Response | None) -> str:
    """Strava's own 'message' and error codes, for a readable error message."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = []
    if isinstance(body.get("message"), str):
        parts.append(body["message"])
    errors = body.get("errors")
    if isinstance(errors, list):
        for e in errors:
            if isinstance(e, dict):
                parts.append("/".join(str(e.get(k, "")) for k in ("resource", "field", "code")))
    return "; ".join(parts)


def scrub(text: str, *secrets: str | None) -> str:
    """Remove secret values from a text that is about to be shown or logged."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def _default_waiter(sleep: Callable[[float], None]) -> Callable[[float, str], None]:
    def wait(seconds: float, reason: str) -> None:
        log.info("strava.ratelimit.wait", seconds=round(seconds, 1), reason=reason)
        sleep(seconds)

    return wait


class StravaAPI:
    """The few Strava endpoints a pull needs, as raw JSON, within the rate budget."""

    def __init__(
        self,
        token_provider: Callable[[], str],
        budget: RateBudget,
        *,
        api_host: str = DEFAULT_API_HOST,
        waiter: Callable[[float, str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 4,
        timeout: float = 30.0,
        session: requests.Session | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._token_provider = token_provider
        self.budget = budget
        self.api_host = api_host
        self._sleep = sleep
        self._waiter = waiter or _default_waiter(sleep)
        self.max_retries = max_retries
        self._rng = rng
        self._last_status: int | None = None
        self._client = make_client(api_host, session=session, timeout=timeout)
        protocol = self._client.protocol
        protocol.rsession.hooks.setdefault("response", []).append(self._remember_status)
        # Installed after construction: stravalib refuses a limiter with rate_limit_requests
        # off, and we want its headers from every response, 429s included.
        protocol.rate_limiter = lambda headers, method: budget.update(headers)

    def _remember_status(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last_status = response.status_code

    # -- endpoints ----------------------------------------------------------------------------

    def list_activities(
        self, *, after: int | None, page: int, per_page: int = 200, before: int | None = None
    ) -> list[dict[str, Any]]:
        """One page of the athlete's activity summaries (newest first unless `after`)."""
        params: dict[str, Any] = {"page": page, "per_page": per_page}
        if after is not None:
            params["after"] = after
        if before is not None:
            params["before"] = before
        body = self._get("/athlete/activities", params)
        if not isinstance(body, list) or not all(isinstance(a, dict) for a in body):
            raise SourceError(
                f"Strava's /athlete/activities answered {type(body).__name__}, "
                "expected a list of activities"
            )
        return body

    def get_activity(self, activity_id: int) -> dict[str, Any]:
        """The detailed activity (laps, splits, description) as Strava sent it."""
        endpoint = f"/activities/{int(activity_id)}"
        body = self._get(endpoint, {})
        return self._expect_dict(endpoint, body)

    def get_laps(self, activity_id: int) -> list[dict[str, Any]]:
        """The laps of one activity."""
        endpoint = f"/activities/{int(activity_id)}/laps"
        body = self._get(endpoint, {})
        if not isinstance(body, list) or not all(isinstance(a, dict) for a in body):
            raise SourceError(
                f"Strava's {endpoint} answered {type(body).__name__}, expected a list of laps"
            )
        return body

    def get_streams(self, activity_id: int) -> dict[str, Any] | None:
        """All streams in one call, keyed by type; None when there are none (manual entries)."""
        endpoint = f"/activities/{int(activity_id)}/streams"
        params = {"keys": ",".join(STREAM_KEYS), "key_by_type": "true"}
        try:
            body = self._get(endpoint, params)
        except NotFoundError:
            log.info("strava.streams.none", endpoint=endpoint)
            return None
        return self._expect_dict(endpoint, body)

    def update_description(self, activity_id: int, description: str) -> dict[str, Any]:
        """Replace an activity's description (needs the activity:write scope)."""
        endpoint = f"/activities/{int(activity_id)}"
        body = self._call(endpoint, {}, put={"description": description})
        return self._expect_dict(endpoint, body)

    @staticmethod
    def _expect_dict(endpoint: str, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise SourceError(
                f"Strava's {endpoint} answered {type(body).__name__}, expected a JSON object"
            )
        return body

    # -- the one request path -----------------------------------------------------------------

    def _await_budget(self, endpoint: str, *, read: bool = True) -> None:
        while True:
            wait = self.budget.before_call(read=read)
            if wait <= 0:
                return
            log.info(
                "strava.ratelimit.decision",
                endpoint=endpoint,
                decision="wait",
                seconds=round(wait, 1),
                usage=self.budget.usage_str(),
            )
            self._waiter(wait, "15-minute rate limit window spent")

    def _backoff(self, attempt: int) -> float:
        """Exponential back-off with jitter: ~1, 2, 4 ... seconds, never above the cap."""
        delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * BACKOFF_FACTOR**attempt)
        return delay * (0.5 + 0.5 * self._rng())

    def _get(self, endpoint: str, params: dict[str, Any]) -> Any:
        return self._call(endpoint, params)

    def _call(
        self, endpoint: str, params: dict[str, Any], *, put: dict[str, Any] | None = None
    ) -> Any:
        attempt = 0
        while True:
            self._await_budget(endpoint, read=put is None)
            token = self._token_provider()
            self._client.access_token = token
            body, failure, retry_reason = self._attempt(endpoint, params, token, put=put)
            if failure is None:
                return body
            if retry_reason is not None and attempt < self.max_retries:
                attempt = self._retry(endpoint, attempt, retry_reason)
                continue
            # Raised here, outside any `except`, so the error carries no chained stravalib
            # exception (whose message quotes Strava's body verbatim).
            raise failure

    def _attempt(
        self, endpoint: str, params: dict[str, Any], token: str,
        *, put: dict[str, Any] | None = None,
    ) -> tuple[Any, Exception | None, str | None]:
        """One request: (body, None, None) or (None, error to raise, reason if retryable)."""
        self._last_status = None
        try:
            if put is None:
                body = self._client.protocol.get(endpoint, **params)
            else:
                body = self._client.protocol.put(endpoint, body=put, **params)
        except exc.ApplicationInactive as e:
            self._log_call(endpoint, e.response)
            return None, AppInactiveError(INACTIVE_MESSAGE, hint=INACTIVE_HINT), None
        except exc.Fault as e:
            self._log_call(endpoint, e.response)
            status = e.response.status_code if e.response is not None else None
            failure = self._fault_error(endpoint, status, e.response, token)
            retry = f"HTTP {status}" if status is not None and status >= 500 else None
            return None, failure, retry
        except (
            requests.Timeout,
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
        ) as e:
            kind = "timed out" if isinstance(e, requests.Timeout) else "connection failed"
            log.warning("strava.call", endpoint=endpoint, status=None, error=kind)
            failure = TransientError(
                f"Strava's {endpoint}: {kind} {self.max_retries + 1} times; try again later"
            )
            return None, failure, kind
        except ValueError:
            # stravalib parses the body with response.json(): not JSON at all.
            self._log_call(endpoint, None)
            return (
                None,
                SourceError(f"Strava's {endpoint} answered a body that is not valid JSON"),
                None,
            )
        except requests.RequestException as e:
            # Anything else requests can throw (redirect loops, bad URLs): not worth a retry.
            log.warning("strava.call", endpoint=endpoint, status=None, error=type(e).__name__)
            return (
                None,
                SourceError(f"Strava's {endpoint}: request failed ({type(e).__name__})"),
                None,
            )
        self._log_call(endpoint, None)
        return body, None, None

    def _retry(self, endpoint: str, attempt: int, why: str) -> int:
        delay = self._backoff(attempt)
        log.warning(
            "strava.retry",
            endpoint=endpoint,
            reason=why,
            attempt=attempt + 1,
            max_retries=self.max_retries,
            delay=round(delay, 2),
        )
        self._sleep(delay)
        return attempt + 1

    def _log_call(self, endpoint: str, response: requests.Response | None) -> None:
        status = response.status_code if response is not None else self._last_status
        log.info("strava.call", endpoint=endpoint, status=status, usage=self.budget.usage_str())

    def _fault_error(
        self,
        endpoint: str,
        status: int | None,
        response: requests.Response | None,
        token: str,
    ) -> Exception:
        detail = scrub(_strava_error_detail(response), token)
        suffix = f" ({detail})" if detail else ""
        if status == 401:
            return AuthError(
                f"Strava rejected the access token (401 on {endpoint}){suffix}: it was revoked "
                "or the authorisation was withdrawn.",
                hint=REAUTH_HINT,
            )
        if status == 429:
            reset = self.budget.next_window_at()
            if self.budget.daily_spent():
                msg = (
                    f"Strava answered 429 on {endpoint}: the daily API limit is spent; "
                    "the next pull resumes after midnight UTC."
                )
            else:
                msg = (
                    f"Strava answered 429 on {endpoint}: the 15-minute rate limit window is "
                    f"spent; it resets at {reset:%H:%M} UTC."
                )
            log.warning(
                "strava.ratelimit.decision",
                endpoint=endpoint,
                decision="stop",
                status=429,
                usage=self.budget.usage_str(),
            )
            return RateLimited(msg, reset_at=reset.timestamp())
        if status == 404:
            return NotFoundError(f"Strava's {endpoint} answered 404 (not found){suffix}")
        if status is not None and status >= 500:
            return TransientError(
                f"Strava's {endpoint} kept answering HTTP {status} after "
                f"{self.max_retries} retries{suffix}; try again later"
            )
        return SourceError(f"Strava's {endpoint} answered HTTP {status}{suffix}")

from __future__ import annotations

import logging
import queue
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from responses import matchers

from syncd.errors import AppInactiveError, AuthError, ConfigError, SourceError
from syncd.sources.strava import oauth
from syncd.sources.strava.api import TransientError
from syncd.sources.strava.oauth import (
    SCOPES_READ,
    TokenSet,
    authorize_url,
    exchange_code,
    missing_scope_warning,
    parse_redirect,
    refresh_tokens,
    run_loopback,
    scopes,
)

TOKEN_URL = "https://www.strava.com/oauth/token"
SECRET = "client-secret-0123456789abcdef"
CODE = "code-a1b2c3d4e5f6"
ACCESS = "access-9f8e7d6c5b4a"
REFRESH = "refresh-1a2b3c4d5e6f"
ATHLETE = {"id": 134815, "username": "marianne_t", "firstname": "Marianne", "resource_state": 2}


def test_scopes():
    assert SCOPES_READ == ["read", "activity:read_all"]
    assert scopes() == ["read", "activity:read_all"]
    assert scopes(write=True) == ["read", "activity:read_all", "activity:write"]
    scopes().append("x")
    assert SCOPES_READ == ["read", "activity:read_all"]  # not shared


def test_authorize_url_default_and_custom_host():
    url = authorize_url(1234, "http://127.0.0.1:8721/", "st4te", scopes(), "www.strava.com")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "www.strava.com",
        "/oauth/authorize",
    )
    q = parse_qs(parts.query)
    assert q == {
        "client_id": ["1234"],
        "redirect_uri": ["http://127.0.0.1:8721/"],
        "approval_prompt": ["auto"],
        "scope": ["read,activity:read_all"],
        "response_type": ["code"],
        "state": ["st4te"],
    }
    other = authorize_url(1, "http://127.0.0.1:1/", "s", scopes(), "strava.example.test")
    assert urlsplit(other).netloc == "strava.example.test"


def test_parse_redirect_full_url_and_bare_code():
    url = f"http://127.0.0.1:8721/?state=abc&code={CODE}&scope=read,activity:read_all"
    assert parse_redirect(url) == (CODE, ["read", "activity:read_all"], "abc")
    assert parse_redirect(f"  {CODE}\n") == (CODE, None, None)
    assert parse_redirect(f"?code={CODE}&scope=read") == (CODE, ["read"], None)
    assert parse_redirect(f"code={CODE}") == (CODE, None, None)


def test_parse_redirect_access_denied():
    with pytest.raises(AuthError) as info:
        parse_redirect("http://127.0.0.1:8721/?state=abc&error=access_denied")
    assert "You declined access on Strava's page" in str(info.value)
    assert info.value.exit_code == 3


@pytest.mark.parametrize("text", ["", "http://127.0.0.1:8721/?state=abc", "http://x/?code="])
def test_parse_redirect_without_code(text):
    with pytest.raises(AuthError):
        parse_redirect(text)


def test_missing_scope_warning():
    assert missing_scope_warning(["read", "activity:read_all"]) is None
    warning = missing_scope_warning(["read", "activity:read"])
    assert warning == (
        "You did not grant activity:read_all: private activities (and privacy-zoned data) "
        "will be missed. Run `syncd auth strava` again and keep that box ticked."
    )
    assert missing_scope_warning(None) == warning


def test_tokenset_roundtrip_and_repr_hides_tokens():
    ts = TokenSet(ACCESS, REFRESH, 1700000000, ["read"], 134815, ATHLETE)
    assert TokenSet.from_dict(ts.to_dict()) == ts
    for text in (repr(ts), str(ts), f"{ts}", repr([ts])):
        assert ACCESS not in text and REFRESH not in text
    assert "134815" in repr(ts)


def test_tokenset_from_incomplete_dict():
    with pytest.raises(AuthError) as info:
        TokenSet.from_dict({"access_token": ACCESS})
    assert ACCESS not in str(info.value)


# -- exchange / refresh ---------------------------------------------------------------------


@responses.activate
def test_exchange_code_returns_tokens_and_raw_athlete():
    responses.post(
        TOKEN_URL,
        json={
            "token_type": "Bearer",
            "expires_at": 1714579320,
            "expires_in": 21600,
            "refresh_token": REFRESH,
            "access_token": ACCESS,
            "athlete": ATHLETE,
        },
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "client_id": "1234",
                    "client_secret": SECRET,
                    "code": CODE,
                    "grant_type": "authorization_code",
                }
            )
        ],
    )
    ts = exchange_code(1234, SECRET, CODE, api_host="www.strava.com", granted_scopes=SCOPES_READ)
    assert ts == TokenSet(ACCESS, REFRESH, 1714579320, SCOPES_READ, 134815, ATHLETE)
    assert responses.calls[0].request.req_kwargs["timeout"] == 30.0


@responses.activate
def test_exchange_code_custom_host_without_athlete():
    responses.post(
        "https://strava.example.test/oauth/token",
        json={"access_token": ACCESS, "refresh_token": REFRESH, "expires_at": 5},
    )
    ts = exchange_code(1, SECRET, CODE, api_host="strava.example.test", granted_scopes=None)
    assert (ts.athlete_id, ts.athlete, ts.scopes) == (None, None, [])


BAD_CODE = {
    "message": "Bad Request",
    "errors": [{"resource": "AuthorizationCode", "field": "code", "code": "invalid"}],
}
REVOKED = {
    "message": "Bad Request",
    "errors": [{"resource": "RefreshToken", "field": "refresh_token", "code": "invalid"}],
}


def _no_secrets(err: BaseException) -> None:
    text = f"{err!s} {err!r} {err.__cause__!r} {err.__context__!r}"
    for secret in (SECRET, CODE, ACCESS, REFRESH):
        assert secret not in text
    assert err.__context__ is None  # nothing chained that holds the request body


@responses.activate
@pytest.mark.parametrize("status", [400, 401])
def test_exchange_bad_code_is_auth_error(status):
    responses.post(TOKEN_URL, status=status, json=BAD_CODE)
    with pytest.raises(AuthError) as info:
        exchange_code(1, SECRET, CODE, api_host="www.strava.com", granted_scopes=None)
    assert info.value.hint == "run `syncd auth strava` again"
    _no_secrets(info.value)


@responses.activate
def test_refresh_rotates_pair():
    responses.post(
        TOKEN_URL,
        json={"access_token": "new-a", "refresh_token": "new-r", "expires_at": 99},
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "client_id": "7",
                    "client_secret": SECRET,
                    "refresh_token": REFRESH,
                    "grant_type": "refresh_token",
                }
            )
        ],
    )
    ts = refresh_tokens(7, SECRET, REFRESH, api_host="www.strava.com")
    assert (ts.access_token, ts.refresh_token, ts.expires_at) == ("new-a", "new-r", 99)


@responses.activate
@pytest.mark.parametrize("status", [400, 401])
def test_revoked_refresh_token_is_auth_error(status, caplog):
    responses.post(TOKEN_URL, status=status, json=REVOKED)
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError) as info:
        refresh_tokens(7, SECRET, REFRESH, api_host="www.strava.com")
    assert info.value.exit_code == 3
    assert info.value.hint == "run `syncd auth strava` again"
    assert "revoked" in str(info.value)
    _no_secrets(info.value)
    for secret in (SECRET, REFRESH):
        assert secret not in caplog.text


@responses.activate
def test_bad_client_secret_is_config_error():
    responses.post(
        TOKEN_URL,
        status=401,
        json={
            "message": "Bad Request",
            "errors": [{"resource": "Application", "field": "client_secret", "code": "invalid"}],
        },
    )
    with pytest.raises(ConfigError) as info:
        refresh_tokens(7, SECRET, REFRESH, api_host="www.strava.com")
    _no_secrets(info.value)


@responses.activate
def test_token_endpoint_inactive_app():
    responses.post(
        TOKEN_URL,
        status=403,
        json={
            "message": "Forbidden",
            "errors": [{"resource": "Application", "field": "Status", "code": "Inactive"}],
        },
    )
    with pytest.raises(AppInactiveError) as info:
        refresh_tokens(7, SECRET, REFRESH, api_host="www.strava.com")
    _no_secrets(info.value)


@responses.activate
@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"status": 502, "body": "bad gateway"}, SourceError),
        ({"body": requests.ConnectionError("down")}, TransientError),
        ({"body": "not json"}, SourceError),
        ({"json": {"access_token": ACCESS}}, SourceError),
    ],
)
def test_token_endpoint_failures(kwargs, error):
    responses.post(TOKEN_URL, **kwargs)
    with pytest.raises(error) as info:
        refresh_tokens(7, SECRET, REFRESH, api_host="www.strava.com")
    _no_secrets(info.value)


# -- loopback --------------------------------------------------------------------------------


def _start_loopback(**kwargs):
    """Run run_loopback in a thread; return (printed-URL queue, result dict, thread)."""
    printed: queue.Queue[str] = queue.Queue()
    result: dict = {}

    def target() -> None:
        try:
            result["value"] = run_loopback(
                1234,
                port=0,
                scopes=scopes(),
                api_host="www.strava.com",
                open_browser=kwargs.pop("open_browser", False),
                timeout=kwargs.pop("timeout", 10),
                echo=printed.put,
            )
        except Exception as e:  # noqa: BLE001
            result["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    text = printed.get(timeout=5)
    url = next(line for line in text.splitlines() if line.startswith("https://"))
    q = parse_qs(urlsplit(url).query)
    return q["redirect_uri"][0], q["state"][0], result, thread


def test_loopback_real_server_returns_code_and_scopes(capsys):
    redirect_uri, state, result, thread = _start_loopback()
    port = urlsplit(redirect_uri).port
    assert redirect_uri == f"http://127.0.0.1:{port}/" and port != 0
    # A stray request (favicon) does not end the wait.
    assert requests.get(f"http://127.0.0.1:{port}/favicon.ico", timeout=5).status_code == 404
    answer = requests.get(
        redirect_uri,
        params={"state": state, "code": CODE, "scope": "read,activity:read_all"},
        timeout=5,
    )
    thread.join(5)
    assert answer.status_code == 200
    assert "close this tab" in answer.text
    assert result == {"value": (CODE, ["read", "activity:read_all"])}
    assert CODE not in capsys.readouterr().err  # http.server's request log is silenced


def test_loopback_state_mismatch_is_csrf_error():
    redirect_uri, _state, result, thread = _start_loopback()
    answer = requests.get(redirect_uri, params={"state": "forged", "code": CODE}, timeout=5)
    thread.join(5)
    assert answer.status_code == 400
    assert isinstance(result["error"], AuthError)
    assert "CSRF" in str(result["error"])


def test_loopback_access_denied():
    redirect_uri, state, result, thread = _start_loopback()
    answer = requests.get(
        redirect_uri, params={"state": state, "error": "access_denied"}, timeout=5
    )
    thread.join(5)
    assert answer.status_code == 400
    assert "declined" in str(result["error"])


def test_loopback_opens_browser(monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(oauth.webbrowser, "open", opened.append)
    redirect_uri, state, result, thread = _start_loopback(open_browser=True)
    requests.get(redirect_uri, params={"state": state, "code": CODE, "scope": "read"}, timeout=5)
    thread.join(5)
    assert len(opened) == 1 and opened[0].startswith("https://www.strava.com/oauth/authorize?")
    assert result["value"] == (CODE, ["read"])


def test_loopback_times_out():
    _uri, _state, result, thread = _start_loopback(timeout=0.3)
    thread.join(5)
    assert isinstance(result["error"], AuthError)
    assert "within" in str(result["error"])


def test_loopback_port_in_use():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(AuthError) as info:
            run_loopback(
                1,
                port=port,
                scopes=scopes(),
                api_host="www.strava.com",
                open_browser=False,
                timeout=1,
                echo=lambda _: None,
            )
    assert str(port) in str(info.value)

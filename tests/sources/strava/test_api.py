from __future__ import annotations

import logging
import os
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from structlog.testing import capture_logs

from syncd.errors import AppInactiveError, AuthError, RateLimitStop, SourceError
from syncd.sources.strava.api import (
    RateLimited,
    StravaAPI,
    TransientError,
)
from syncd.sources.strava.ratelimit import DailyLimitReached, RateBudget

TOKEN = "tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a"
BASE = "https://www.strava.com/api/v3"
RATE = {
    "X-RateLimit-Limit": "200,2000",
    "X-RateLimit-Usage": "10,100",
    "X-ReadRateLimit-Limit": "100,1000",
    "X-ReadRateLimit-Usage": "5,50",
}
INACTIVE_BODY = {
    "message": "Forbidden",
    "errors": [{"resource": "Application", "field": "Status", "code": "Inactive"}],
}


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.waits: list[tuple[float, str]] = []

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def budget(clock) -> RateBudget:
    return RateBudget(clock=clock)


@pytest.fixture
def api(budget, rec) -> StravaAPI:
    return StravaAPI(lambda: TOKEN, budget, sleep=rec.sleep, rng=lambda: 1.0)


def _query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


@responses.activate
def test_list_activities_returns_raw_json_with_bearer_and_timeout(api, budget):
    raw = [{"id": 12345678901234, "sport_type": "Padel", "type": "Workout"}]
    responses.get(f"{BASE}/athlete/activities", json=raw, headers=RATE)
    assert api.list_activities(after=1700000000, page=2, per_page=50) == raw
    call = responses.calls[0]
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert _query(call) == {"after": ["1700000000"], "page": ["2"], "per_page": ["50"]}
    assert call.request.req_kwargs["timeout"] == 30.0
    assert budget.calls == 1
    assert budget.summary()["overall_15min"] == 190  # learnt from the response headers


@responses.activate
def test_before_param_and_custom_host_and_timeout(budget, rec):
    responses.get("https://strava.example.test/api/v3/athlete/activities", json=[])
    api = StravaAPI(lambda: TOKEN, budget, api_host="strava.example.test", timeout=5.0)
    assert api.list_activities(after=None, page=1, before=1800000000) == []
    call = responses.calls[0]
    assert _query(call) == {"before": ["1800000000"], "page": ["1"], "per_page": ["200"]}
    assert call.request.req_kwargs["timeout"] == 5.0


@responses.activate
def test_token_provider_called_before_each_request(budget):
    tokens = iter(["first-token", "second-token"])
    api = StravaAPI(lambda: next(tokens), budget)
    responses.get(f"{BASE}/activities/1", json={"id": 1})
    api.get_activity(1)
    api.get_activity(1)
    assert [c.request.headers["Authorization"] for c in responses.calls] == [
        "Bearer first-token",
        "Bearer second-token",
    ]


def test_stravalib_env_refresh_disabled_and_quiet(monkeypatch, budget, caplog):
    monkeypatch.setenv("STRAVA_CLIENT_ID", "12345")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "env-secret-value")
    monkeypatch.delenv("SILENCE_TOKEN_WARNINGS", raising=False)
    with caplog.at_level(logging.DEBUG):
        api = StravaAPI(lambda: TOKEN, budget)
    assert api._client.protocol.client_id is None
    assert api._client.protocol.client_secret is None
    assert "SILENCE_TOKEN_WARNINGS" not in os.environ  # restored after construction
    assert caplog.records == []


def test_env_warnings_silenced_without_env_credentials(monkeypatch, budget, caplog):
    monkeypatch.delenv("STRAVA_CLIENT_ID", raising=False)
    monkeypatch.delenv("STRAVA_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("SILENCE_TOKEN_WARNINGS", "keep-me")
    with caplog.at_level(logging.DEBUG):
        StravaAPI(lambda: TOKEN, budget)
    assert caplog.records == []
    assert os.environ["SILENCE_TOKEN_WARNINGS"] == "keep-me"


@responses.activate
def test_get_streams_one_call_with_all_keys(api):
    body = {"time": {"data": [0, 1]}, "heartrate": {"data": [100, 101]}}
    responses.get(f"{BASE}/activities/12345678901234/streams", json=body)
    assert api.get_streams(12345678901234) == body
    assert len(responses.calls) == 1
    q = _query(responses.calls[0])
    assert q["key_by_type"] == ["true"]
    assert q["keys"][0].split(",") == [
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
    ]


@responses.activate
def test_get_streams_404_means_no_streams(api):
    responses.get(
        f"{BASE}/activities/7/streams",
        status=404,
        json={"message": "Resource Not Found", "errors": [{"resource": "Activity"}]},
    )
    assert api.get_streams(7) is None


@responses.activate
def test_get_laps_and_activity(api):
    responses.get(f"{BASE}/activities/7/laps", json=[{"lap_index": 1}])
    responses.get(f"{BASE}/activities/7", json={"id": 7})
    assert api.get_laps(7) == [{"lap_index": 1}]
    assert api.get_activity(7) == {"id": 7}


@responses.activate
@pytest.mark.parametrize(
    ("method", "path", "body", "words"),
    [
        ("list", "/athlete/activities", {"id": 1}, "expected a list"),
        ("list", "/athlete/activities", [1, 2], "expected a list"),
        ("activity", "/activities/7", [], "expected a JSON object"),
        ("laps", "/activities/7/laps", {"x": 1}, "expected a list"),
        ("streams", "/activities/7/streams", [], "expected a JSON object"),
    ],
)
def test_unexpected_shape_is_source_error(api, method, path, body, words):
    responses.get(f"{BASE}{path}", json=body)
    call = {
        "list": lambda: api.list_activities(after=None, page=1),
        "activity": lambda: api.get_activity(7),
        "laps": lambda: api.get_laps(7),
        "streams": lambda: api.get_streams(7),
    }[method]
    with pytest.raises(SourceError) as info:
        call()
    assert path in str(info.value) and words in str(info.value)


@responses.activate
def test_malformed_json_is_source_error_naming_endpoint(api, rec):
    responses.get(f"{BASE}/athlete/activities", body="<html>oops</html>", status=200)
    with pytest.raises(SourceError) as info:
        api.list_activities(after=None, page=1)
    assert "/athlete/activities" in str(info.value)
    assert "not valid JSON" in str(info.value)
    assert len(responses.calls) == 1 and rec.sleeps == []


@responses.activate
def test_401_is_auth_error_without_token(api):
    responses.get(
        f"{BASE}/athlete/activities",
        status=401,
        json={
            "message": "Authorization Error",
            "errors": [{"resource": "Athlete", "field": TOKEN, "code": "invalid"}],
        },
    )
    with pytest.raises(AuthError) as info:
        api.list_activities(after=None, page=1)
    assert "Strava rejected the access token" in str(info.value)
    assert info.value.hint == "run `syncd auth strava` again"
    assert info.value.exit_code == 3
    assert TOKEN not in str(info.value)
    assert len(responses.calls) == 1


@responses.activate
def test_403_inactive_application(api):
    responses.get(f"{BASE}/athlete/activities", status=403, json=INACTIVE_BODY)
    with pytest.raises(AppInactiveError) as info:
        api.list_activities(after=None, page=1)
    msg = str(info.value)
    assert "inactive" in msg and "subscription" in msg and "nothing is wrong with syncd" in msg


@responses.activate
def test_other_403_is_source_error(api):
    responses.get(
        f"{BASE}/activities/7",
        status=403,
        json={"message": "Forbidden", "errors": [{"resource": "Activity", "code": "forbidden"}]},
    )
    with pytest.raises(SourceError) as info:
        api.get_activity(7)
    assert not isinstance(info.value, AppInactiveError)
    assert "403" in str(info.value)


@responses.activate
def test_429_updates_budget_and_is_not_retried(api, budget, rec):
    responses.get(
        f"{BASE}/athlete/activities",
        status=429,
        json={"message": "Rate Limit Exceeded"},
        headers={**RATE, "X-RateLimit-Usage": "201,1500", "X-ReadRateLimit-Usage": "101,900"},
    )
    with pytest.raises(RateLimited) as info:
        api.list_activities(after=None, page=1)
    assert isinstance(info.value, RateLimitStop)
    assert len(responses.calls) == 1
    assert rec.sleeps == []
    assert "10:15 UTC" in str(info.value)  # clock is 10:02 UTC
    assert budget.summary()["overall_15min"] == 0
    # The budget now knows: the next call waits rather than hammering Strava.
    assert budget.before_call() == pytest.approx(13 * 60)


@responses.activate
def test_429_with_daily_spent_says_midnight(api):
    responses.get(
        f"{BASE}/athlete/activities",
        status=429,
        json={"message": "Rate Limit Exceeded"},
        headers={**RATE, "X-RateLimit-Usage": "50,2001"},
    )
    with pytest.raises(RateLimited) as info:
        api.list_activities(after=None, page=1)
    assert "daily" in str(info.value) and "midnight UTC" in str(info.value)


@responses.activate
def test_5xx_backoff_is_bounded_then_transient_error(api, rec, budget):
    responses.get(f"{BASE}/activities/7", status=503, body="Service Unavailable")
    with pytest.raises(TransientError) as info:
        api.get_activity(7)
    assert isinstance(info.value, SourceError)
    assert "503" in str(info.value)
    assert len(responses.calls) == 5  # first try + max_retries=4
    assert rec.sleeps == [1.0, 2.0, 4.0, 8.0]
    assert budget.calls == 5  # every attempt is spent from the budget


@responses.activate
def test_backoff_is_capped_and_jittered(budget, rec):
    responses.get(f"{BASE}/activities/7", status=500, json={"message": "boom"})
    api = StravaAPI(lambda: TOKEN, budget, sleep=rec.sleep, max_retries=8, rng=lambda: 1.0)
    with pytest.raises(TransientError):
        api.get_activity(7)
    assert rec.sleeps == [1, 2, 4, 8, 16, 32, 60, 60]
    rec.sleeps.clear()
    api = StravaAPI(lambda: TOKEN, budget, sleep=rec.sleep, max_retries=3, rng=lambda: 0.0)
    with pytest.raises(TransientError):
        api.get_activity(7)
    assert rec.sleeps == [0.5, 1.0, 2.0]  # jitter shortens a delay to half at most


@responses.activate
def test_5xx_then_success_returns(api, rec):
    responses.get(f"{BASE}/activities/7", status=502, body="bad gateway")
    responses.get(f"{BASE}/activities/7", status=500, json={"message": "x"})
    responses.get(f"{BASE}/activities/7", json={"id": 7})
    assert api.get_activity(7) == {"id": 7}
    assert rec.sleeps == [1.0, 2.0]


@responses.activate
@pytest.mark.parametrize(
    "error", [requests.Timeout("read timed out"), requests.ConnectionError("refused")]
)
def test_timeouts_and_connection_errors_retry_then_transient(api, rec, error):
    responses.get(f"{BASE}/activities/7", body=error)
    with pytest.raises(TransientError) as info:
        api.get_activity(7)
    assert len(responses.calls) == 5
    assert rec.sleeps == [1.0, 2.0, 4.0, 8.0]
    assert "/activities/7" in str(info.value)


@responses.activate
def test_timeout_then_success(api, rec):
    responses.get(f"{BASE}/activities/7", body=requests.Timeout("slow"))
    responses.get(f"{BASE}/activities/7", json={"id": 7})
    assert api.get_activity(7) == {"id": 7}
    assert rec.sleeps == [1.0]


@responses.activate
def test_waiter_called_when_window_spent(budget, clock):
    budget.update({"X-RateLimit-Usage": "200,300"})
    waits: list[tuple[float, str]] = []

    def waiter(seconds: float, reason: str) -> None:
        waits.append((seconds, reason))
        clock.advance(seconds)

    responses.get(f"{BASE}/activities/7", json={"id": 7})
    api = StravaAPI(lambda: TOKEN, budget, waiter=waiter)
    assert api.get_activity(7) == {"id": 7}
    assert waits == [(pytest.approx(13 * 60), "15-minute rate limit window spent")]


@responses.activate
def test_default_waiter_sleeps(budget, clock):
    budget.update({"X-RateLimit-Usage": "200,300"})
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        clock.advance(s)

    responses.get(f"{BASE}/activities/7", json={"id": 7})
    StravaAPI(lambda: TOKEN, budget, sleep=sleep).get_activity(7)
    assert slept == [pytest.approx(13 * 60)]


@responses.activate
def test_waiter_may_stop_the_pull_before_any_call(budget):
    budget.update({"X-RateLimit-Usage": "200,300"})

    def no_wait(seconds: float, reason: str) -> None:
        raise RateLimitStop(f"{reason}; resume later")

    api = StravaAPI(lambda: TOKEN, budget, waiter=no_wait)
    with pytest.raises(RateLimitStop):
        api.get_activity(7)
    assert len(responses.calls) == 0


@responses.activate
def test_daily_limit_stops_before_any_call(budget):
    budget.update({"X-RateLimit-Usage": "1,2000"})
    with pytest.raises(DailyLimitReached):
        StravaAPI(lambda: TOKEN, budget).get_activity(7)
    assert len(responses.calls) == 0


@responses.activate
def test_no_token_in_any_log_or_error(budget, rec, caplog):
    """Drive every failure path and check neither errors nor logs carry the token."""
    api = StravaAPI(lambda: TOKEN, budget, sleep=rec.sleep, max_retries=1, rng=lambda: 0.5)
    echo = {"message": f"bad token {TOKEN}", "errors": [{"field": TOKEN, "code": "invalid"}]}
    responses.get(f"{BASE}/activities/1", json={"id": 1}, headers=RATE)
    responses.get(f"{BASE}/activities/2", status=401, json=echo)
    responses.get(f"{BASE}/activities/3", status=403, json=INACTIVE_BODY)
    responses.get(f"{BASE}/activities/4", status=429, json=echo, headers=RATE)
    responses.get(f"{BASE}/activities/5", status=500, json=echo)
    responses.get(f"{BASE}/activities/6", status=400, json=echo)
    responses.get(f"{BASE}/activities/8", body=requests.Timeout(f"timeout {TOKEN}"))
    responses.get(f"{BASE}/activities/9", body=f"not json {TOKEN}")
    messages: list[str] = []
    with capture_logs() as events, caplog.at_level(logging.DEBUG):
        for activity_id in (1, 2, 3, 4, 5, 6, 8, 9):
            try:
                api.get_activity(activity_id)
            except Exception as e:  # noqa: BLE001
                messages.append(repr(e) + str(e) + repr(e.__cause__) + repr(e.__context__))
    assert len(messages) == 7
    assert any(e["event"] == "strava.call" for e in events)
    assert any(e["event"] == "strava.ratelimit.decision" for e in events)
    assert any(e["event"] == "strava.retry" for e in events)
    assert [m for m in messages if TOKEN in m] == []
    assert TOKEN not in repr(events)
    assert TOKEN not in caplog.text
    assert all(TOKEN not in repr(r.args) for r in caplog.records)


@responses.activate
def test_every_call_is_logged_with_status_and_usage(api):
    responses.get(f"{BASE}/activities/7", json={"id": 7}, headers=RATE)
    with capture_logs() as events:
        api.get_activity(7)
    calls = [e for e in events if e["event"] == "strava.call"]
    assert calls == [
        {
            "event": "strava.call",
            "log_level": "info",
            "endpoint": "/activities/7",
            "status": 200,
            "usage": "all 10/200 100/2000, read 5/100 50/1000",
        }
    ]


@responses.activate
def test_update_description_is_a_put_counted_against_the_overall_window_only(api, budget):
    import json as _json

    responses.put(f"{BASE}/activities/12345678901234", json={"id": 12345678901234,
                                                              "description": "x"}, headers=RATE)
    out = api.update_description(12345678901234, "easy run\nsyncd: easy")
    assert out["id"] == 12345678901234
    call = responses.calls[0]
    assert call.request.method == "PUT"
    assert _json.loads(call.request.body) == {"description": "easy run\nsyncd: easy"}
    assert budget.calls == 1


@responses.activate
def test_plain_http_stand_in_host(budget):
    responses.get("http://127.0.0.1:9999/api/v3/athlete/activities", json=[])
    api = StravaAPI(lambda: TOKEN, budget, api_host="http://127.0.0.1:9999")
    assert api.list_activities(after=0, page=1) == []
    assert responses.calls[0].request.url.startswith("http://127.0.0.1:9999/api/v3/")

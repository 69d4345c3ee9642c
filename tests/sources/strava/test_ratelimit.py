from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncd.errors import RateLimitStop
from syncd.sources.strava.ratelimit import DailyLimitReached, RateBudget

HEADERS = {
    "X-RateLimit-Limit": "200,2000",
    "X-RateLimit-Usage": "31,1200",
    "X-ReadRateLimit-Limit": "100,1000",
    "X-ReadRateLimit-Usage": "20,600",
}


def test_update_parses_all_four_headers(clock):
    budget = RateBudget(clock=clock)
    budget.update(HEADERS)
    assert budget.summary() == {
        "calls": 0,
        "overall_15min": 169,
        "overall_daily": 800,
        "read_15min": 80,
        "read_daily": 400,
    }


def test_header_names_are_case_insensitive(clock):
    budget = RateBudget(clock=clock)
    budget.update({k.lower(): v for k, v in HEADERS.items()})
    assert budget.summary()["overall_15min"] == 169
    budget.update({"X-RATELIMIT-USAGE": "50,1300"})
    assert budget.summary()["overall_15min"] == 150


@pytest.mark.parametrize(
    "garbled",
    [
        {},
        {"X-RateLimit-Usage": "lots"},
        {"X-RateLimit-Usage": "1,2,3"},
        {"X-RateLimit-Usage": ""},
        {"X-RateLimit-Limit": "-1,5"},
    ],
)
def test_missing_or_garbled_headers_keep_previous_knowledge(clock, garbled):
    budget = RateBudget(clock=clock)
    budget.update(HEADERS)
    before = budget.summary()
    budget.update(garbled)
    assert budget.summary() == before


def test_before_call_counts_calls_and_allows_within_budget(clock):
    budget = RateBudget(clock=clock)
    budget.update(HEADERS)
    assert budget.before_call() == 0.0
    assert budget.before_call(read=False) == 0.0
    assert budget.calls == 2
    s = budget.summary()
    assert s["overall_15min"] == 167  # both calls count overall
    assert s["read_15min"] == 79  # only the GET counts as a read


def test_waits_until_next_quarter_hour_when_short_window_spent(clock):
    budget = RateBudget(clock=clock)
    budget.update({"X-RateLimit-Usage": "200,1200", "X-RateLimit-Limit": "200,2000"})
    # clock is 10:02:00 -> next window at 10:15:00
    assert budget.before_call() == pytest.approx(13 * 60)
    assert budget.calls == 0  # a refused call is not counted


def test_read_window_limits_gets_but_not_writes(clock):
    budget = RateBudget(clock=clock)
    budget.update({"X-ReadRateLimit-Usage": "100,500", "X-RateLimit-Usage": "100,500"})
    assert budget.before_call(read=True) == pytest.approx(13 * 60)
    assert budget.before_call(read=False) == 0.0


def test_local_counting_never_exceeds_even_with_stale_headers(clock):
    budget = RateBudget(clock=clock)
    budget.update(
        {
            "X-RateLimit-Limit": "10,2000",
            "X-RateLimit-Usage": "5,5",
            "X-ReadRateLimit-Limit": "100,1000",
            "X-ReadRateLimit-Usage": "5,5",
        }
    )
    allowed = 0
    while budget.before_call() == 0.0:
        allowed += 1
        budget.update({})  # responses without rate headers
        assert allowed < 100
    assert allowed == 5


def test_header_update_replaces_local_count(clock):
    budget = RateBudget(clock=clock)
    budget.update(HEADERS)
    budget.before_call()
    budget.update({**HEADERS, "X-RateLimit-Usage": "32,1201", "X-ReadRateLimit-Usage": "21,601"})
    assert budget.summary()["overall_15min"] == 168  # not double counted


def test_window_rollover_resets_short_usage(clock):
    budget = RateBudget(clock=clock)
    budget.update({"X-RateLimit-Usage": "200,1200"})
    wait = budget.before_call()
    assert wait > 0
    clock.advance(wait)
    assert budget.before_call() == 0.0
    s = budget.summary()
    assert s["overall_15min"] == 199
    assert s["overall_daily"] == 2000 - 1201


def test_daily_limit_raises(clock):
    budget = RateBudget(clock=clock)
    budget.update({"X-RateLimit-Usage": "10,2000"})
    with pytest.raises(DailyLimitReached) as info:
        budget.before_call()
    assert isinstance(info.value, RateLimitStop)
    assert info.value.exit_code == 4
    assert "daily" in str(info.value) and "midnight UTC" in str(info.value)


def test_daily_read_limit_raises_for_reads_only(clock):
    budget = RateBudget(clock=clock)
    budget.update({"X-ReadRateLimit-Usage": "10,1000"})
    with pytest.raises(DailyLimitReached):
        budget.before_call(read=True)
    assert budget.before_call(read=False) == 0.0


def test_daily_usage_resets_at_midnight_utc(clock):
    budget = RateBudget(clock=clock)
    budget.update({"X-RateLimit-Usage": "10,2000"})
    clock.advance(14 * 3600)  # 10:02 -> 00:02 next day
    assert budget.before_call() == 0.0
    assert budget.summary()["overall_daily"] == 1999


@given(
    limit=st.integers(min_value=1, max_value=30),
    used=st.integers(min_value=0, max_value=30),
    header_every=st.integers(min_value=1, max_value=5),
)
def test_never_exceeds_short_limit(limit, used, header_every):
    """Whatever the header cadence, the calls we make never exceed the window's limit."""
    t = [1714557720.0]
    budget = RateBudget(clock=lambda: t[0])
    budget.update(
        {
            "X-RateLimit-Limit": f"{limit},10000",
            "X-RateLimit-Usage": f"{used},{used}",
            "X-ReadRateLimit-Limit": f"{limit},10000",
            "X-ReadRateLimit-Usage": f"{used},{used}",
        }
    )
    server_usage = used
    for i in range(60):
        if budget.before_call() > 0:
            break
        server_usage += 1
        if i % header_every == 0:  # only some responses carry headers
            budget.update(
                {
                    "X-RateLimit-Usage": f"{server_usage},{server_usage}",
                    "X-ReadRateLimit-Usage": f"{server_usage},{server_usage}",
                }
            )
    assert server_usage <= max(limit, used)

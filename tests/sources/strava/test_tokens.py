from __future__ import annotations

import threading

import pytest
import responses

from syncd.errors import AuthError
from syncd.sources.strava.oauth import TokenSet
from syncd.sources.strava.tokens import TokenManager

KEY = "strava:134815"
ATHLETE = {"id": 134815, "firstname": "Marianne"}


def _stored(store, clock, remaining: float, n: int = 0) -> TokenSet:
    ts = TokenSet(
        f"access-{n}",
        f"refresh-{n}",
        int(clock() + remaining),
        ["read", "activity:read_all"],
        134815,
        ATHLETE,
    )
    store.set(KEY, ts.to_dict())
    return ts


class CountingRefresher:
    """Stands in for refresh_tokens: rotates the pair like Strava does."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, client_id, client_secret, refresh_token, *, api_host) -> TokenSet:
        with self.lock:
            self.calls.append(refresh_token)
            n = len(self.calls)
        return TokenSet(f"access-new{n}", f"refresh-new{n}", int(self.clock() + 21600))


def _manager(store, clock, tmp_path, refresher, **kw) -> TokenManager:
    return TokenManager(
        store,
        KEY,
        client_id=7,
        client_secret="s3cret",
        api_host="www.strava.com",
        lock_path=tmp_path / "locks" / "strava.lock",
        clock=clock,
        refresher=refresher,
        **kw,
    )


def test_not_authorised_yet(store, clock, tmp_path):
    tm = _manager(store, clock, tmp_path, CountingRefresher(clock))
    with pytest.raises(AuthError) as info:
        tm.access_token()
    assert "not authorised yet" in str(info.value) and "syncd auth strava" in str(info.value)


def test_fresh_token_used_without_refresh(store, clock, tmp_path):
    _stored(store, clock, remaining=5 * 3600)
    refresher = CountingRefresher(clock)
    tm = _manager(store, clock, tmp_path, refresher)
    assert tm.access_token() == "access-0"
    assert refresher.calls == []


def test_refresh_within_margin_persists_rotated_pair_and_keeps_scopes(store, clock, tmp_path):
    _stored(store, clock, remaining=3599)
    refresher = CountingRefresher(clock)
    tm = _manager(store, clock, tmp_path, refresher)
    assert tm.access_token() == "access-new1"
    assert refresher.calls == ["refresh-0"]
    saved = TokenSet.from_dict(store.data[KEY])
    assert (saved.access_token, saved.refresh_token) == ("access-new1", "refresh-new1")
    assert saved.scopes == ["read", "activity:read_all"]
    assert (saved.athlete_id, saved.athlete) == (134815, ATHLETE)


def test_persisted_before_returning(store, clock, tmp_path):
    """The rotated pair is stored even if the caller crashes right after getting the token."""
    _stored(store, clock, remaining=10)
    tm = _manager(store, clock, tmp_path, CountingRefresher(clock))
    writes_before = store.writes
    tm.access_token()
    assert store.writes == writes_before + 1


def test_cached_in_memory(store, clock, tmp_path):
    _stored(store, clock, remaining=5 * 3600)
    tm = _manager(store, clock, tmp_path, CountingRefresher(clock))
    tm.access_token()
    store.data.clear()
    assert tm.access_token() == "access-0"


def test_custom_margin(store, clock, tmp_path):
    _stored(store, clock, remaining=1000)
    refresher = CountingRefresher(clock)
    assert _manager(store, clock, tmp_path, refresher, margin_s=600).access_token() == "access-0"
    clock.advance(500)
    assert _manager(store, clock, tmp_path, refresher, margin_s=600).access_token() == "access-new1"


def test_two_managers_refresh_once(store, clock, tmp_path):
    _stored(store, clock, remaining=60)
    refresher = CountingRefresher(clock)
    first = _manager(store, clock, tmp_path, refresher)
    second = _manager(store, clock, tmp_path, refresher)
    assert first.access_token() == "access-new1"
    # The second manager read nothing yet; it sees the stored refreshed pair, refreshes nothing.
    assert second.access_token() == "access-new1"
    assert refresher.calls == ["refresh-0"]


def test_rereads_inside_lock(store, clock, tmp_path):
    """A manager that saw stale tokens before the lock uses what the lock holder stored."""
    _stored(store, clock, remaining=60)
    refresher = CountingRefresher(clock)
    tm = _manager(store, clock, tmp_path, refresher)
    loads = []
    real_get = store.get

    def get(key):
        loads.append(key)
        if len(loads) == 2:  # inside the lock: another process refreshed meanwhile
            _stored(store, clock, remaining=6 * 3600, n=99)
        return real_get(key)

    store.get = get
    assert tm.access_token() == "access-99"
    assert refresher.calls == []


def test_concurrent_threads_refresh_once(store, clock, tmp_path):
    _stored(store, clock, remaining=60)
    refresher = CountingRefresher(clock)
    managers = [_manager(store, clock, tmp_path, refresher) for _ in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(len(managers))

    def run(tm: TokenManager) -> None:
        barrier.wait()
        results.append(tm.access_token())

    threads = [threading.Thread(target=run, args=(tm,)) for tm in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(refresher.calls) == 1
    assert results == ["access-new1"] * 8


@responses.activate
def test_revoked_refresh_token_is_auth_error(store, clock, tmp_path):
    """The real refresher against a mocked Strava that refuses the refresh token."""
    _stored(store, clock, remaining=60)
    responses.post(
        "https://www.strava.com/oauth/token",
        status=400,
        json={
            "message": "Bad Request",
            "errors": [{"resource": "RefreshToken", "field": "refresh_token", "code": "invalid"}],
        },
    )
    tm = TokenManager(
        store,
        KEY,
        client_id=7,
        client_secret="s3cret",
        api_host="www.strava.com",
        lock_path=tmp_path / "l.lock",
        clock=clock,
    )
    with pytest.raises(AuthError) as info:
        tm.access_token()
    assert info.value.hint == "run `syncd auth strava` again"
    assert "refresh-0" not in str(info.value) and "s3cret" not in str(info.value)
    assert TokenSet.from_dict(store.data[KEY]).refresh_token == "refresh-0"  # untouched


def test_repr_hides_secrets(store, clock, tmp_path):
    tm = _manager(store, clock, tmp_path, CountingRefresher(clock))
    assert "s3cret" not in repr(tm)

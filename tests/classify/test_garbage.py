"""Bad streams never crash: they get a label from what is usable and say what was not."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncd.classify import LABELS, ClassifyInput, classify
from syncd.sources.records import STREAM_KEYS, Streams

_values = st.one_of(
    st.none(), st.just(float("nan")), st.just(float("inf")),
    st.floats(-1e6, 1e6, allow_nan=False), st.integers(-1000, 100_000).map(float),
)


@st.composite
def streams(draw) -> Streams:
    n = draw(st.integers(0, 60))
    keys = draw(st.sets(st.sampled_from([k for k in STREAM_KEYS if k != "time"])))
    cols = {"time": draw(st.lists(_values, min_size=n, max_size=n))}
    for k in keys:
        cols[k] = draw(st.lists(_values, min_size=n, max_size=n))
    return Streams(cols)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=streams(), manual=st.booleans(), sport=st.sampled_from(["Run", "TrailRun", "VirtualRun"]))
def test_arbitrary_streams_never_crash(s: Streams, manual: bool, sport: str) -> None:
    res = classify(ClassifyInput(sport_type=sport, manual=manual, streams=s, moving_s=1800.0))
    assert res.label in LABELS
    assert 0.0 <= res.confidence <= 1.0
    assert res.reasons
    res.to_dict()


def _run(n: int = 2400, **cols) -> ClassifyInput:
    base = {"time": [float(i) for i in range(n)], "distance": [i * 2.8 for i in range(n)]}
    base.update(cols)
    return ClassifyInput(sport_type="Run", streams=Streams(base), moving_s=float(n))


def test_specific_garbage() -> None:
    empty = classify(ClassifyInput(sport_type="Run", streams=Streams({"time": []})))
    assert empty.label == "easy" and any("no streams" in r for r in empty.reasons)
    one = classify(ClassifyInput(sport_type="Run", streams=Streams({"time": [0.0]})))
    assert any("too short" in r for r in one.reasons)
    zero = classify(_run(distance=[0.0] * 2400))
    assert any("distance stream unusable" in r for r in zero.reasons)
    back = classify(_run(time=[float(i if i % 7 else i - 30) for i in range(2400)]))
    assert back.label == "easy" and any("backwards" in r for r in back.reasons)
    holes = classify(_run(distance=[None if i % 3 else i * 2.8 for i in range(2400)],
                          heartrate=[math.nan] * 2400, altitude=[None] * 2400))
    assert holes.label == "easy"
    spike = classify(_run(distance=[i * 2.8 + (2000 if i > 5 else 0) for i in range(2400)]))
    assert spike.label == "easy" and any("GPS spikes" in r for r in spike.reasons)
    long_sparse = classify(_run(n=6000))
    assert long_sparse.label == "long"

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.sources.records import STREAM_KEYS, Streams
from syncd.store import codec
from syncd.store.codec import PRECISION, decode_streams, encode_streams


def realistic_run(seconds: int = 3600, *, seed: int = 7, strava_rounding: bool = False) -> Streams:
    """A 1 Hz run: ~3 m/s with pace changes, a wandering heading, correlated GPS error,
    rolling terrain with barometric noise, HR drifting up, cadence jitter, a few stops.

    Values are full-precision floats (worst case for the codec) unless `strava_rounding`
    rounds them the way Strava's API returns them.
    """
    rng = np.random.default_rng(seed)
    n = seconds
    t = np.arange(n, dtype=float)
    speed = 3.0 + 0.3 * np.sin(t / 300) + np.cumsum(rng.normal(0, 0.02, n)).clip(-0.5, 0.5)
    stops = np.zeros(n, dtype=bool)
    for start in rng.integers(0, n - 30, 3):
        stops[start : start + 20] = True
    speed = np.where(stops, 0.0, speed + rng.normal(0, 0.15, n)).clip(0, None)
    heading = np.cumsum(rng.normal(0, 0.05, n))
    north = np.cumsum(speed * np.cos(heading))
    east = np.cumsum(speed * np.sin(heading))
    gps_err = np.zeros((n, 2))
    for i in range(1, n):  # AR(1): GPS error wanders, it is not white noise
        gps_err[i] = 0.95 * gps_err[i - 1] + rng.normal(0, 0.6, 2)
    lat0, lng0 = 48.8566, 2.3522
    lat = lat0 + (north + gps_err[:, 0]) / 111_320
    lng = lng0 + (east + gps_err[:, 1]) / (111_320 * math.cos(math.radians(lat0)))
    terrain = 35 + 12 * np.sin(north / 800) + 6 * np.sin(east / 300)
    altitude = terrain + np.cumsum(rng.normal(0, 0.05, n)) + rng.normal(0, 0.2, n)
    distance = np.cumsum(speed)
    velocity = np.convolve(speed, np.ones(5) / 5, mode="same")
    hr = 120 + 35 * (1 - np.exp(-t / 600)) + t / 360 + rng.normal(0, 1.5, n)
    cadence = np.where(stops, 0, 86 + rng.normal(0, 1.5, n))
    grade = np.gradient(altitude) / np.maximum(speed, 0.5) * 100
    moving = (~stops).astype(float)
    cols = {
        "time": t,
        "distance": distance,
        "lat": lat,
        "lng": lng,
        "altitude": altitude,
        "velocity_smooth": velocity,
        "heartrate": hr,
        "cadence": cadence,
        "moving": moving,
        "grade_smooth": grade,
    }
    if strava_rounding:
        digits = {"distance": 1, "lat": 6, "lng": 6, "altitude": 1, "velocity_smooth": 3,
                  "heartrate": 0, "cadence": 0, "grade_smooth": 1}  # fmt: skip
        cols = {k: np.round(v, digits.get(k, 0)) for k, v in cols.items()}
    return Streams({k: v.tolist() for k, v in cols.items()})


def assert_close(original: Streams, decoded: Streams) -> None:
    assert decoded.keys == original.keys
    assert len(decoded) == len(original)
    for key in original.keys:
        half = PRECISION[key] / 2
        for a, b in zip(original.columns[key], decoded.columns[key], strict=True):
            if a is None or (isinstance(a, float) and math.isnan(a)):
                assert b is None, key
            elif math.isinf(a) or abs(a) * (1 / PRECISION[key]) >= 2**53:
                assert b == a, key  # stored raw: exact
            else:
                assert b is not None, key
                assert abs(b - a) <= half * (1 + 1e-9) + abs(a) * 1e-15, (key, a, b)


# -- size target ---------------------------------------------------------------------------


@pytest.mark.parametrize("strava_rounding", [False, True])
def test_an_hour_of_1hz_data_fits_in_64_kb(strava_rounding):
    run = realistic_run(3600, strava_rounding=strava_rounding)
    blob = encode_streams(run)
    assert len(blob) <= 64 * 1024, len(blob)
    assert_close(run, decode_streams(blob))


def test_values_on_the_grid_come_back_bit_exact():
    run = realistic_run(600, strava_rounding=True)
    assert decode_streams(encode_streams(run)) == run


# -- property test -------------------------------------------------------------------------

_value = st.one_of(
    st.none(),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(min_value=-10_000, max_value=10_000).map(float),
    st.just(float("nan")),
)
_huge = st.floats(allow_nan=False, allow_infinity=True)


@st.composite
def streams_strategy(draw: st.DrawFn) -> Streams:
    n = draw(st.integers(min_value=0, max_value=60))
    keys = draw(st.sets(st.sampled_from([k for k in STREAM_KEYS if k != "time"])))
    cols: dict[str, list[float | None]] = {}
    for key in ["time", *sorted(keys)]:
        elem = draw(st.sampled_from([_value, _huge, st.none()]))
        cols[key] = draw(st.lists(elem, min_size=n, max_size=n))
    return Streams(cols)


@settings(max_examples=150, deadline=None)
@given(streams_strategy())
def test_round_trip_property(streams):
    assert_close(streams, decode_streams(encode_streams(streams)))


# -- edge cases ----------------------------------------------------------------------------


def test_empty_streams():
    s = Streams({"time": [], "heartrate": []})
    assert decode_streams(encode_streams(s)) == s


def test_one_sample():
    s = Streams({"time": [0.0], "lat": [48.8566123], "heartrate": [None]})
    out = decode_streams(encode_streams(s))
    assert out.columns == {"time": [0.0], "lat": [48.8566123], "heartrate": [None]}


def test_all_none_column_and_none_positions():
    s = Streams({"time": [0.0, 1.0, 2.0, 3.0], "heartrate": [None] * 4,
                 "cadence": [None, 80.0, None, 82.0]})  # fmt: skip
    out = decode_streams(encode_streams(s))
    assert out.columns["heartrate"] == [None] * 4
    assert out.columns["cadence"] == [None, 80.0, None, 82.0]


def test_nan_becomes_none():
    out = decode_streams(encode_streams(Streams({"time": [0.0, float("nan"), 2.0]})))
    assert out.columns["time"] == [0.0, None, 2.0]


def test_huge_negative_and_infinite_values():
    s = Streams({"time": [0.0, -5.5, 1e300, -math.inf, math.inf, 3.0],
                 "temp": [-40.0, -12.3, 0.0, 1e15, None, -1e-9]})  # fmt: skip
    out = decode_streams(encode_streams(s))
    assert out.columns["time"] == [0.0, -5.5, 1e300, -math.inf, math.inf, 3.0]
    # 1e15 is beyond 2**53 quanta of 0.1: the whole column is kept raw, so exact
    assert out.columns["temp"] == [-40.0, -12.3, 0.0, 1e15, None, -1e-9]
    big = Streams({"time": [0.0, 1.0], "distance": [-9e13, 9e13]})  # still quantised
    assert decode_streams(encode_streams(big)) == big


def test_non_monotonic_time_and_big_jumps():
    s = Streams({"time": [10.0, 5.0, 3600.0, 0.0, 1e9, -1e9], "distance": [0.0] * 6})
    assert decode_streams(encode_streams(s)) == s


def test_bools_and_ints_are_accepted():
    s = Streams({"time": [0, 1, 2], "moving": [True, False, True]})  # type: ignore[list-item]
    assert decode_streams(encode_streams(s)).columns == {
        "time": [0.0, 1.0, 2.0],
        "moving": [1.0, 0.0, 1.0],
    }


def test_non_numeric_value_is_a_value_error():
    with pytest.raises(ValueError, match="'heartrate'"):
        encode_streams(Streams({"time": [0.0], "heartrate": ["high"]}))  # type: ignore[list-item]


def test_encoding_is_deterministic_and_column_order_independent():
    a = Streams({"time": [0.0, 1.0], "heartrate": [140.0, 141.0], "lat": [1.0, 1.0]})
    b = Streams({"lat": [1.0, 1.0], "heartrate": [140.0, 141.0], "time": [0.0, 1.0]})
    assert encode_streams(a) == encode_streams(b)


# -- damaged blobs -------------------------------------------------------------------------


def _payload(blob: bytes) -> bytes:
    return zlib.decompress(blob[3:])


def _wrap(payload: bytes) -> bytes:
    return codec.MAGIC + bytes([codec.FORMAT_VERSION]) + zlib.compress(payload)


@pytest.fixture
def blob() -> bytes:
    return encode_streams(realistic_run(120))


def test_truncated_blob(blob):
    for cut in (len(blob) - 1, len(blob) // 2, 10):
        with pytest.raises(ValueError, match="corrupt stream blob"):
            decode_streams(blob[:cut])


def test_flipped_byte_is_detected(blob):
    damaged = bytearray(blob)
    damaged[len(blob) // 2] ^= 0xFF
    with pytest.raises(ValueError, match="corrupt stream blob"):
        decode_streams(bytes(damaged))


@pytest.mark.parametrize("data", [b"", b"S", b"{}", b"\x00\x00\x01abc"])
def test_not_a_blob(data):
    with pytest.raises(ValueError, match="bad magic"):
        decode_streams(data)


def test_unknown_version(blob):
    with pytest.raises(ValueError, match="unsupported stream blob version 9"):
        decode_streams(blob[:2] + b"\x09" + blob[3:])


def test_payload_truncated_inside_a_valid_zlib_stream(blob):
    payload = _payload(blob)
    for cut in (2, codec._HEAD.size + 3, len(payload) - 1):
        with pytest.raises(ValueError, match="corrupt stream blob: truncated"):
            decode_streams(_wrap(payload[:cut]))


def test_trailing_bytes(blob):
    with pytest.raises(ValueError, match="trailing"):
        decode_streams(_wrap(_payload(blob) + b"\x00"))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ((200, 1, 1, 0), "unknown column index"),
        ((0, 7, 1, 0), "unknown mode"),
        ((0, 1, 3, 0), "bad width"),
        ((1, 1, 1, 0), "no 'time' column"),
        ((0, 0, 0, 0), "lacks its data"),
    ],
)
def test_bad_column_headers(header, message):
    body = b"\x00" if header[1] == 1 and header[2] in (1, 3) else b""
    payload = codec._HEAD.pack(2, 1) + codec._COL.pack(*header) + body
    with pytest.raises(ValueError, match=message):
        decode_streams(_wrap(payload))


def test_duplicate_column():
    col = codec._COL.pack(0, 1, 1, 0)
    payload = codec._HEAD.pack(1, 2) + col + col
    with pytest.raises(ValueError, match="appears twice"):
        decode_streams(_wrap(payload))


def test_layout_of_version_1_is_stable():
    """The on-disk format is a contract: this blob must decode the same forever."""
    blob = encode_streams(Streams({"time": [0.0, 1.0, 2.5], "heartrate": [None, 150.0, 151.2]}))
    payload = _payload(blob)
    assert blob[:3] == b"SZ\x01"
    n, ncols = codec._HEAD.unpack_from(payload)
    assert (n, ncols) == (3, 2)
    time_h = codec._COL.unpack_from(payload, codec._HEAD.size)
    assert time_h == (0, 1, 2, 0)  # index, mode int, width 2 (zigzag 300 > 255), first 0
    hr_h = codec._COL.unpack_from(payload, codec._HEAD.size + codec._COL.size)
    assert hr_h == (STREAM_KEYS.index("heartrate"), 0x81, 1, 1500)  # with nulls, first 150.0
    body = payload[codec._HEAD.size + 2 * codec._COL.size :]
    # time: deltas 100, 150 -> zigzag 200, 300 as two byte planes; hr: bitmap 100, zigzag 24
    assert body == bytes([200, 300 & 0xFF, 0, 1, 0b1000_0000, 24])
    assert decode_streams(blob).columns["heartrate"] == [None, 150.0, 151.2]

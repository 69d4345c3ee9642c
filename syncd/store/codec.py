"""Compact, versioned storage of activity streams (one blob per activity).

An hour of 1 Hz samples with every column is ~43,000 numbers; stored as JSON that is ~600 KB,
here it is well under 64 KB, so years of runs fit in a small database.

Format, version 1::

    b"SZ" | version (1 byte) | zlib(payload)

    payload = n_samples:u32 | n_columns:u8 | column header * n_columns | column body * n_columns
    column header = key index in STREAM_KEYS:u8 | mode:u8 | width:u8 | first:i64
    column body   = [null bitmap, ceil(n/8) bytes, np.packbits order, if mode has NULLS]
                    + data

Each column is quantised to a fixed precision (PRECISION below), only its non-null values are
kept, and they are stored as the first value plus zigzag-coded deltas in the smallest unsigned
width that fits, split into byte planes (all low bytes, then the next ones...) so the
compressor sees long runs of similar bytes. A column whose values cannot be quantised safely
(inf, or beyond 2**53 quanta) is kept as raw float64, losslessly. zlib (with its checksum)
detects corruption.

Measured on a generated hour of 1 Hz running (all ten usual columns, GPS jitter, noise):
~33 KB with full-precision floats, ~27 KB with Strava's rounding; encode ~5 ms, decode ~1 ms.
zlib was chosen over xz: xz is ~8% smaller but decompresses ~10x slower. Byte planes save
~12% over interleaved bytes.

Round trip: every value comes back within half a quantum of PRECISION (values already on the
grid, like Strava's, come back bit-exact); None stays None; NaN is stored as None.
Decoded numbers are floats.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from syncd.sources.records import STREAM_KEYS, Streams

__all__ = ["FORMAT_VERSION", "PRECISION", "decode_streams", "encode_streams"]

MAGIC = b"SZ"
FORMAT_VERSION = 1

# Quantum per column, in the column's unit. Part of the format: changing one needs a new
# version. Times are whole seconds from Strava but may be fractional in files.
PRECISION: dict[str, float] = {
    "time": 0.01,  # s
    "distance": 0.01,  # m
    "lat": 1e-7,  # degrees (~1 cm)
    "lng": 1e-7,  # degrees
    "altitude": 0.01,  # m
    "velocity_smooth": 0.001,  # m/s
    "heartrate": 0.1,  # bpm
    "cadence": 0.1,
    "moving": 1.0,  # 0/1
    "grade_smooth": 0.01,  # %
    "watts": 0.1,
    "temp": 0.1,  # degrees C
}
# Scale factors as exact integers: dividing by an exact power of ten rounds correctly, so a
# value on the grid decodes to the same float its decimal literal parses to.
_SCALE: dict[str, int] = {k: round(1 / p) for k, p in PRECISION.items()}

_MODE_EMPTY = 0  # no non-null value
_MODE_INT = 1  # quantised, first + zigzag deltas
_MODE_FLOAT = 2  # raw float64
_NULLS = 0x80  # flag: a null bitmap precedes the data

_MAX_QUANTA = 2**53  # beyond this float64 -> int64 rounding is no longer exact
_HEAD = struct.Struct("<IB")
_COL = struct.Struct("<BBBq")
_ZLIB_LEVEL = 9


def encode_streams(streams: Streams) -> bytes:
    """Serialise `streams` into the compact blob stored in the database."""
    n = len(streams)
    keys = streams.keys  # STREAM_KEYS order: deterministic output
    headers: list[bytes] = []
    bodies: list[bytes] = []
    for key in keys:
        header, body = _encode_column(key, streams.columns[key], n)
        headers.append(header)
        bodies.append(body)
    payload = b"".join([_HEAD.pack(n, len(keys)), *headers, *bodies])
    return MAGIC + bytes([FORMAT_VERSION]) + zlib.compress(payload, _ZLIB_LEVEL)


def _encode_column(key: str, values: list[float | None], n: int) -> tuple[bytes, bytes]:
    index = STREAM_KEYS.index(key)
    try:
        arr = np.asarray(values, dtype=np.float64)  # None -> NaN
    except (TypeError, ValueError) as exc:
        raise ValueError(f"stream '{key}' holds a value that is not a number") from exc
    nulls = np.isnan(arr)
    has_nulls = bool(nulls.any())
    vals = arr[~nulls] if has_nulls else arr
    bitmap = np.packbits(nulls).tobytes() if has_nulls else b""
    flags = _NULLS if has_nulls else 0

    if vals.size == 0:
        return _COL.pack(index, _MODE_EMPTY | flags, 0, 0), bitmap

    scale = _SCALE[key]
    with np.errstate(over="ignore", invalid="ignore"):  # huge values: checked just below
        scaled = vals * scale
    if not np.isfinite(scaled).all() or np.abs(scaled).max() >= _MAX_QUANTA:
        return _COL.pack(index, _MODE_FLOAT | flags, 8, 0), bitmap + _planes(vals)

    q = np.rint(scaled).astype(np.int64)
    deltas = np.diff(q)
    zigzag = ((deltas << 1) ^ (deltas >> 63)).view(np.uint64)
    peak = int(zigzag.max()) if zigzag.size else 0
    width = 1 if peak < 1 << 8 else 2 if peak < 1 << 16 else 4 if peak < 1 << 32 else 8
    data = _planes(zigzag.astype(f"<u{width}"))
    return _COL.pack(index, _MODE_INT | flags, width, int(q[0])), bitmap + data


def _planes(arr: np.ndarray) -> bytes:
    """Little-endian bytes split into planes: byte 0 of every value, then byte 1, ..."""
    arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
    return arr.view(np.uint8).reshape(-1, arr.dtype.itemsize).T.tobytes()


def _unplanes(raw: bytes, count: int, dtype: str) -> np.ndarray:
    width = np.dtype(dtype).itemsize
    planes = np.frombuffer(raw, dtype=np.uint8).reshape(width, count)
    return np.ascontiguousarray(planes.T).view(dtype).reshape(count)


def decode_streams(blob: bytes) -> Streams:
    """Rebuild the Streams stored by `encode_streams`; ValueError if the blob is damaged."""
    blob = bytes(blob)
    if len(blob) < 3 or blob[:2] != MAGIC:
        raise ValueError("not a stream blob: bad magic bytes")
    version = blob[2]
    if version != FORMAT_VERSION:
        raise ValueError(
            f"unsupported stream blob version {version} (this syncd reads version "
            f"{FORMAT_VERSION}); upgrade syncd"
        )
    try:
        payload = zlib.decompress(blob[3:])
    except zlib.error as exc:
        raise ValueError(f"corrupt stream blob: decompression failed ({exc})") from None
    return _decode_payload(payload)


def _decode_payload(payload: bytes) -> Streams:
    view = memoryview(payload)
    pos = 0

    def take(size: int, what: str) -> memoryview:
        nonlocal pos
        if size < 0 or pos + size > len(view):
            raise ValueError(f"corrupt stream blob: truncated in {what}")
        chunk = view[pos : pos + size]
        pos += size
        return chunk

    n, ncols = _HEAD.unpack(take(_HEAD.size, "header"))
    headers = [_COL.unpack(take(_COL.size, "column headers")) for _ in range(ncols)]
    columns: dict[str, list[float | None]] = {}
    for index, mode_flags, width, first in headers:
        if index >= len(STREAM_KEYS):
            raise ValueError(f"corrupt stream blob: unknown column index {index}")
        key = STREAM_KEYS[index]
        if key in columns:
            raise ValueError(f"corrupt stream blob: column '{key}' appears twice")
        mode = mode_flags & ~_NULLS
        nulls: np.ndarray | None = None
        count = n
        if mode_flags & _NULLS:
            bits = take((n + 7) // 8, f"'{key}' null bitmap")
            nulls = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=n).astype(bool)
            count = n - int(nulls.sum())

        if mode == _MODE_EMPTY:
            if count:
                raise ValueError(f"corrupt stream blob: column '{key}' lacks its data")
            columns[key] = [None] * n
            continue
        if count == 0:
            raise ValueError(f"corrupt stream blob: column '{key}' has data but no samples")
        if mode == _MODE_INT:
            if width not in (1, 2, 4, 8):
                raise ValueError(f"corrupt stream blob: bad width {width} for '{key}'")
            raw = take((count - 1) * width, f"'{key}' data")
            zigzag = _unplanes(raw, count - 1, f"<u{width}").astype(np.uint64)
            deltas = (zigzag >> np.uint64(1)).view(np.int64) ^ -(zigzag & np.uint64(1)).view(
                np.int64
            )
            q = np.empty(count, dtype=np.int64)
            q[0] = first
            np.cumsum(deltas, out=q[1:])
            q[1:] += first
            vals = q / _SCALE[key]
        elif mode == _MODE_FLOAT:
            vals = _unplanes(take(count * 8, f"'{key}' data"), count, "<f8").astype(np.float64)
        else:
            raise ValueError(f"corrupt stream blob: unknown mode {mode} for '{key}'")

        if nulls is None:
            columns[key] = vals.tolist()
        else:
            out = np.full(n, None, dtype=object)
            out[~nulls] = vals
            columns[key] = out.tolist()

    if pos != len(view):
        raise ValueError(f"corrupt stream blob: {len(view) - pos} unexpected trailing bytes")
    if "time" not in columns:
        raise ValueError("corrupt stream blob: no 'time' column")
    return Streams(columns)

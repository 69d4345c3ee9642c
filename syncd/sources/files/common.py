"""Shared pieces of the FIT/GPX/TCX readers: ids, stream clean-up, derived summaries, hints.

Each reader only extracts what its format says; everything a format may lack (distance from
positions, speed from distance, moving time, climb) is derived here the same way for all of them.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from syncd.sources.files.sports import DEFAULT_SPORT
from syncd.sources.records import ActivityRecord, LapRecord, Streams

MOVING_SPEED = 0.5  # m/s: slower than this is standing (Strava uses a similar threshold)
EARTH_RADIUS_M = 6_371_008.8

Column = list[float | None]


def content_id(data: bytes) -> str:
    """Files have no id of their own: hash the decompressed bytes so gz/plain copies agree."""
    return hashlib.sha256(data).hexdigest()[:20]


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: datetimes as ISO text, tuples as lists, NaN as None."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return str(value)


def as_utc(dt: datetime) -> datetime:
    """Formats write UTC without saying so (tcx/gpx 'naive' times): make it explicit."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_iso(text: str | None) -> datetime | None:
    """ISO-8601 as written by devices ('Z', fractions, offsets); None when unparseable."""
    if not text:
        return None
    text = text.strip()
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def cumulative_distance(lat: Column, lng: Column) -> Column:
    """Great-circle distance along the points; a point without a fix adds nothing."""
    out: Column = []
    total = 0.0
    prev: tuple[float, float] | None = None
    rad = math.radians
    for la, lo in zip(lat, lng, strict=True):
        if la is not None and lo is not None:
            if prev is not None:
                p1, p2 = rad(prev[0]), rad(la)
                dp = p2 - p1
                dl = rad(lo - prev[1])
                a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
                total += 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
            prev = (la, lo)
        out.append(total)
    return out


def derive_velocity(time_s: Column, distance: Column, half_window: int = 2) -> Column:
    """Speed from distance over a short centred window: raw 1 s differences are too noisy."""
    n = len(time_s)
    out: Column = [None] * n
    for i in range(n):
        lo, hi = max(0, i - half_window), min(n - 1, i + half_window)
        d0, d1 = distance[lo], distance[hi]
        dt = time_s[hi] - time_s[lo]  # type: ignore[operator]
        if d0 is not None and d1 is not None and dt > 0:
            out[i] = max(0.0, (d1 - d0) / dt)
    return out


def moving_time(time_s: Column, distance: Column | None, velocity: Column | None) -> float | None:
    """Seconds spent faster than MOVING_SPEED; uses the interval's own average where possible."""
    if len(time_s) < 2 or (distance is None and velocity is None):
        return None
    total = 0.0
    for i in range(1, len(time_s)):
        dt = time_s[i] - time_s[i - 1]  # type: ignore[operator]
        speed = None
        if distance is not None and distance[i] is not None and distance[i - 1] is not None:
            speed = (distance[i] - distance[i - 1]) / dt  # type: ignore[operator]
        elif velocity is not None:
            speed = velocity[i]
        if speed is not None and speed > MOVING_SPEED:
            total += dt
    return total


def elevation_gain(altitude: Column, window: int = 5) -> float | None:
    """Sum of climbs after a moving average: raw GPS/baro noise would inflate the total."""
    values = [a for a in altitude if a is not None]
    if len(values) < 2:
        return None
    k = min(window, len(values))
    acc = sum(values[:k])
    smooth = [acc / k]
    for i in range(k, len(values)):
        acc += values[i] - values[i - k]
        smooth.append(acc / k)
    gain = 0.0
    for a, b in zip(smooth, smooth[1:], strict=False):
        if b > a:
            gain += b - a
    return round(gain, 1)


def finish_streams(cols: dict[str, Column]) -> Streams | None:
    """Drop all-empty columns and fill in distance/speed the file did not carry."""
    time_s = cols.get("time") or []
    if not time_s:
        return None
    kept = {k: v for k, v in cols.items() if k == "time" or any(x is not None for x in v)}
    if "distance" not in kept and "lat" in kept and "lng" in kept:
        kept["distance"] = cumulative_distance(kept["lat"], kept["lng"])
    if "velocity_smooth" not in kept and "distance" in kept:
        kept["velocity_smooth"] = derive_velocity(time_s, kept["distance"])
    return Streams(columns=kept)


def hinted(value: str | None, hints: dict[str, Any], key: str) -> str | None:
    return value if value else (hints.get(key) or None)


def sport_and_name(sport_type: str | None, name: str, hints: dict[str, Any]) -> tuple[str, str]:
    """The file's own sport and name, else a Strava export's; one place for import and rederive."""
    sport = hinted(sport_type, hints, "sport_type") or DEFAULT_SPORT
    return sport, hinted(name, hints, "name") or ""


def raw_fields(
    raw: dict[str, Any], *, sport_type: str | None, name: str, trainer: bool,
    measured: dict[str, float | None] | None = None,
) -> dict[str, Any]:
    """The columns `build_record` gave a file, as far as the raw JSON it stored can tell.

    `measured` holds the summary values the reader found in its raw JSON; a None there means
    the value came from the streams (not kept in the raw JSON), so it is left out.
    """
    sport, title = sport_and_name(sport_type, name, raw.get("hints") or {})
    fields: dict[str, Any] = {
        "sport_type": sport, "name": title, "trainer": trainer, "workout_type": None,
        "manual": False,
    }
    fields.update({k: v for k, v in (measured or {}).items() if v is not None})
    return fields


def build_record(
    *,
    data: bytes,
    display: str,
    hints: dict[str, Any],
    start_utc: datetime,
    sport_type: str | None,
    trainer: bool,
    name: str,
    streams: Streams | None,
    laps: list[LapRecord],
    raw: dict[str, Any],
    distance_m: float | None = None,
    moving_s: float | None = None,
    elapsed_s: float | None = None,
    elevation_gain_m: float | None = None,
    avg_hr: float | None = None,
    max_hr: float | None = None,
    workout_steps: list[dict[str, Any]] | None = None,
) -> ActivityRecord:
    """Fill what the file's summary lacked from its streams, apply export hints, build."""
    cols = streams.columns if streams is not None else {}
    time_s = cols.get("time") or []
    if distance_m is None and cols.get("distance"):
        distance_m = max((d for d in cols["distance"] if d is not None), default=None)
    if elapsed_s is None and time_s:
        elapsed_s = float(time_s[-1])  # type: ignore[arg-type]
    if moving_s is None and time_s:
        moving_s = moving_time(time_s, cols.get("distance"), cols.get("velocity_smooth"))
    if elevation_gain_m is None and cols.get("altitude"):
        elevation_gain_m = elevation_gain(cols["altitude"])
    hr = [h for h in cols.get("heartrate", []) if h is not None]
    if hr:
        if avg_hr is None:
            avg_hr = round(sum(hr) / len(hr), 1)
        if max_hr is None:
            max_hr = float(max(hr))
    other_ids = {"strava": str(hints["strava_id"])} if hints.get("strava_id") else {}
    raw = {**raw, "file_name": display.rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]}
    if hints:
        raw["hints"] = dict(hints)
    sport, title = sport_and_name(sport_type, name, hints)
    return ActivityRecord(
        source="file",
        source_id=content_id(data),
        start_utc=start_utc,
        sport_type=sport,
        name=title,
        distance_m=distance_m,
        moving_s=moving_s,
        elapsed_s=elapsed_s,
        elevation_gain_m=elevation_gain_m,
        avg_hr=avg_hr,
        max_hr=max_hr,
        trainer=trainer,
        raw=jsonable(raw),
        streams=streams,
        laps=laps,
        workout_steps=workout_steps or [],
        other_ids=other_ids,
        origin=display,
    )

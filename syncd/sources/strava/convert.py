"""Strava's raw JSON to syncd's normalised records.

We read the raw JSON ourselves instead of going through stravalib's models: those map sport
types they do not know to "Workout", and we want exactly what Strava sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog

from syncd.errors import SourceError
from syncd.sources.records import STREAM_KEYS, ActivityRecord, LapRecord, Streams

log = structlog.get_logger("syncd.strava")

_PLAIN_STREAMS = frozenset(STREAM_KEYS) - {"lat", "lng", "moving"}


# Summary fields whose change upstream is an edit (kudos and other counters change without one).
TRACKED_FIELDS = (
    "name", "sport_type", "type", "workout_type", "distance", "moving_time", "elapsed_time",
    "total_elevation_gain", "trainer", "manual", "start_date", "timezone", "average_heartrate",
)

def parse_timezone(value: Any) -> str | None:
    """'(GMT-03:00) America/Recife' -> 'America/Recife'; anything not a known zone -> None."""
    if not isinstance(value, str):
        return None
    name = value.rsplit(")", 1)[-1].strip() if ")" in value else value.strip()
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def parse_utc(value: Any, field: str) -> datetime:
    """An ISO-8601 UTC timestamp ('2020-12-06T09:36:27Z') as an aware UTC datetime."""
    if not isinstance(value, str):
        raise SourceError(f"Strava activity field '{field}' is missing or not a timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SourceError(
            f"Strava activity field '{field}' is not an ISO timestamp: {value!r}"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # Strava's start_date is UTC
    return parsed.astimezone(UTC)


def _number(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourceError(f"Strava activity field '{key}' is not a number: {value!r}")
    return float(value)


def activity_from_summary(summary: dict[str, Any]) -> ActivityRecord:
    """An ActivityRecord from a summary or detailed activity, keeping the JSON as `raw`."""
    if not isinstance(summary, dict):
        raise SourceError(f"Strava activity is a {type(summary).__name__}, expected an object")
    activity_id = summary.get("id")
    if activity_id is None or isinstance(activity_id, bool):
        raise SourceError("Strava activity has no 'id'")
    if "start_date" not in summary:
        raise SourceError(f"Strava activity {activity_id} has no 'start_date'")
    sport = summary.get("sport_type") or summary.get("type")
    if not isinstance(sport, str) or not sport:
        raise SourceError(f"Strava activity {activity_id} has no 'sport_type' (nor 'type')")
    workout_type = summary.get("workout_type")
    return ActivityRecord(
        source="strava",
        source_id=str(activity_id),
        # start_date is UTC. start_date_local is local wall time wrongly suffixed 'Z': unused.
        start_utc=parse_utc(summary["start_date"], "start_date"),
        sport_type=sport,
        name=str(summary.get("name") or ""),
        timezone=parse_timezone(summary.get("timezone")),
        distance_m=_number(summary, "distance"),
        moving_s=_number(summary, "moving_time"),
        elapsed_s=_number(summary, "elapsed_time"),
        elevation_gain_m=_number(summary, "total_elevation_gain"),
        avg_hr=_number(summary, "average_heartrate"),
        max_hr=_number(summary, "max_heartrate"),
        workout_type=int(workout_type) if isinstance(workout_type, int | float) else None,
        trainer=bool(summary.get("trainer") or False),
        manual=bool(summary.get("manual") or False),
        raw=summary,
    )


def fields_from_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """The activity columns a stored summary gives, for `syncd db rederive`.

    Goes through `activity_from_summary`, the converter `syncd pull` uses, so a fix there
    reaches stored activities without calling the API. Every column comes from the summary
    except `timezone`, left out when Strava's value is not a known zone (a pull keeps the stored
    zone then too). Raises SourceError for JSON the converter rejects.
    """
    rec = activity_from_summary(raw)
    fields: dict[str, Any] = {
        "start_utc": rec.start_utc,
        "sport_type": rec.sport_type,
        "name": rec.name,
        "distance_m": rec.distance_m,
        "moving_s": rec.moving_s,
        "elapsed_s": rec.elapsed_s,
        "elevation_gain_m": rec.elevation_gain_m,
        "avg_hr": rec.avg_hr,
        "max_hr": rec.max_hr,
        "workout_type": rec.workout_type,
        "trainer": rec.trainer,
        "manual": rec.manual,
    }
    if rec.timezone:
        fields["timezone"] = rec.timezone
    return fields


def _stream_arrays(streamset: Any) -> dict[str, list[Any]]:
    """{type: data} from either the key_by_type dict or the list of stream objects."""
    arrays: dict[str, list[Any]] = {}
    if isinstance(streamset, Mapping):
        items: Iterable[tuple[Any, Any]] = streamset.items()
    elif isinstance(streamset, list):
        items = ((s.get("type"), s) for s in streamset if isinstance(s, Mapping))
    else:
        return arrays
    for key, stream in items:
        data = stream.get("data") if isinstance(stream, Mapping) else stream
        if isinstance(key, str) and isinstance(data, list):
            arrays[key] = data
    return arrays


def _fit(name: str, values: list[Any], n: int, activity_id: Any) -> list[Any]:
    """Pad a short stream with None / cut a long one to len(time), and say so."""
    if len(values) == n:
        return values
    log.warning(
        "strava.streams.misaligned",
        activity_id=activity_id,
        stream=name,
        samples=len(values),
        time_samples=n,
    )
    if len(values) > n:
        return values[:n]
    return values + [None] * (n - len(values))


def _float(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    return float(v) if isinstance(v, int | float) else None


def streams_from_strava(streamset: Any, *, activity_id: Any = None) -> Streams | None:
    """Streams from Strava's StreamSet; None when there is no time stream to align on."""
    arrays = _stream_arrays(streamset)
    time_data = arrays.get("time")
    if not time_data:
        return None
    n = len(time_data)
    columns: dict[str, list[float | None]] = {"time": [_float(v) for v in time_data]}
    for key, data in arrays.items():
        if key == "time":
            continue
        if key == "latlng":
            pairs = _fit(key, data, n, activity_id)
            lat: list[float | None] = []
            lng: list[float | None] = []
            for p in pairs:
                if isinstance(p, list | tuple) and len(p) == 2:
                    lat.append(_float(p[0]))
                    lng.append(_float(p[1]))
                else:
                    lat.append(None)
                    lng.append(None)
            columns["lat"], columns["lng"] = lat, lng
        elif key == "moving":
            columns["moving"] = [
                None if v is None else (1.0 if v else 0.0) for v in _fit(key, data, n, activity_id)
            ]
        elif key in _PLAIN_STREAMS:
            columns[key] = [_float(v) for v in _fit(key, data, n, activity_id)]
        # Other stream types (none today) are ignored: the store has no column for them.
    return Streams(columns=columns)


def laps_from_strava(
    laps: list[dict[str, Any]], *, start_utc: datetime | None = None
) -> list[LapRecord]:
    """LapRecords in lap order; offsets from the activity start (or the first lap's start)."""
    ordered = sorted(
        (lap for lap in laps if isinstance(lap, dict)),
        key=lambda lap: lap.get("lap_index") if isinstance(lap.get("lap_index"), int) else 0,
    )
    records: list[LapRecord] = []
    origin = start_utc
    cumulative = 0.0
    for i, lap in enumerate(ordered):
        elapsed = _number(lap, "elapsed_time") or 0.0
        offset = cumulative
        lap_start = lap.get("start_date")
        if isinstance(lap_start, str):
            try:
                started = parse_utc(lap_start, "start_date")
            except SourceError:
                started = None
            if started is not None:
                if origin is None:
                    origin = started
                offset = (started - origin).total_seconds()
        records.append(
            LapRecord(
                index=i,
                start_offset_s=offset,
                elapsed_s=elapsed,
                moving_s=_number(lap, "moving_time"),
                distance_m=_number(lap, "distance"),
                avg_hr=_number(lap, "average_heartrate"),
                max_hr=_number(lap, "max_heartrate"),
                avg_speed=_number(lap, "average_speed"),
                name=lap.get("name") if isinstance(lap.get("name"), str) else None,
            )
        )
        cumulative = offset + elapsed
    return records

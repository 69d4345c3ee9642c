"""GPX tracks: Strava's own exports, phone apps, and watches that only write GPX.

GPX carries positions and times; heart rate, cadence, power and temperature come from Garmin's
TrackPointExtension (or bare <power>) when present. Distance, speed and the whole summary are
derived (see common.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from syncd.errors import FileImportError
from syncd.sources.files.common import (
    Column,
    build_record,
    finish_streams,
    parse_iso,
    raw_fields,
)
from syncd.sources.files.sports import gpx_sport
from syncd.sources.files.xmlutil import local, num, parse_xml
from syncd.sources.records import ActivityRecord

_EXT_FIELDS = {
    "hr": "heartrate",
    "heartrate": "heartrate",
    "cad": "cadence",
    "cadence": "cadence",
    "power": "watts",
    "watts": "watts",
    "atemp": "temp",
    "temp": "temp",
}
_KEYS = ("lat", "lng", "altitude", "heartrate", "cadence", "watts", "temp")


def _text(el: Any, name: str) -> str | None:
    for c in el:
        if local(c.tag) == name:
            return c.text.strip() if c.text else None
    return None


def read_gpx(data: bytes, display: str, hints: dict[str, Any]) -> ActivityRecord:
    """All track segments of the first track with timed points, joined in time order."""
    root = parse_xml(data, display, "GPX")
    if local(root.tag) != "gpx":
        raise FileImportError(display, f"not a GPX file (root element <{local(root.tag)}>)")
    tracks = list(root.iter("{*}trk"))
    points: list[tuple[datetime, dict[str, float | None]]] = []
    untimed = 0
    track = None
    for trk in tracks:
        for pt in trk.iter("{*}trkpt"):
            when = None
            values: dict[str, float | None] = {"lat": num(pt.get("lat")), "lng": num(pt.get("lon"))}
            for el in pt.iter():
                name = local(el.tag)
                if name == "time":
                    when = parse_iso(el.text)
                elif name == "ele":
                    values["altitude"] = num(el.text)
                else:
                    key = _EXT_FIELDS.get(name)
                    if key is not None:
                        values[key] = num(el.text)
            if when is None:
                untimed += 1
            else:
                points.append((when, values))
        if points:
            track = trk
            break
    if not points:
        if untimed:
            raise FileImportError(display, f"GPX track has no timestamps ({untimed} points)")
        what = "routes or waypoints only" if tracks == [] else "empty track"
        raise FileImportError(display, f"GPX file has no track points ({what})")

    start = points[0][0]
    meta = next((c for c in root if local(c.tag) == "metadata"), None)
    meta_time = parse_iso(_text(meta, "time")) if meta is not None else None
    cols: dict[str, Column] = {"time": [], **{k: [] for k in _KEYS}}
    last = None
    for when, values in points:
        t = (when - start).total_seconds()
        if last is not None and t <= last:
            continue
        last = t
        cols["time"].append(t)
        for key in _KEYS:
            cols[key].append(values.get(key))
    streams = finish_streams(cols)

    assert track is not None
    name = _text(track, "name") or ""
    gpx_type = _text(track, "type")
    raw: dict[str, Any] = {
        "format": "gpx",
        "creator": root.get("creator"),
        "name": name or None,
        "type": gpx_type,
        "metadata_time": meta_time,
        "points": len(cols["time"]),
        "tracks": len(tracks),
    }
    return build_record(
        data=data,
        display=display,
        hints=hints,
        start_utc=start,
        sport_type=gpx_sport(gpx_type, name),
        trainer=False,
        name=name,
        streams=streams,
        laps=[],
        raw={k: v for k, v in raw.items() if v is not None},
    )


def fields_from_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """What `read_gpx` made of a file, from the raw JSON it stored (for `syncd db rederive`).

    Sport, trainer and name only: a GPX summary (distance, times, climb, heart rate) and its
    start time are all derived from the track points, which the raw JSON does not keep.
    """
    name = raw.get("name") or ""
    return raw_fields(raw, sport_type=gpx_sport(raw.get("type"), name), name=name, trainer=False)

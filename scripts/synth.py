"""Deterministic synthetic activities and writers for FIT, GPX and TCX.

Used by make_samples.py (demo files) and by benchmarks/tests that need realistic files of any
length without shipping real ones. Same seed and arguments -> byte-identical output: no clock,
no randomness beyond the seeded generator.

    run = synth_run(7, datetime(2024, 3, 2, 7, 0, tzinfo=UTC), 3600, kind="easy")
    Path("easy.fit").write_bytes(write_fit(run))

A run is a dict: 1 Hz columns ("time", "distance", "lat", "lng", "altitude", "speed",
"heartrate", "cadence", optionally "watts") plus "meta" (start_utc, sport, sub_sport, name,
laps: [{start, end, intensity, step}], steps: workout steps).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

KINDS = ("easy", "long", "intervals", "hills", "ride")

# A plan step: (intensity, until, amount, speed m/s, grade %, step name)
Step = tuple[str, str, float, float, float, str]


def _plan(kind: str, duration_s: int) -> list[Step]:
    if kind in ("easy", "long"):
        return [("active", "time", duration_s, 2.85 if kind == "easy" else 3.0, 0.0, "Run")]
    if kind == "ride":
        return [("active", "time", duration_s, 8.0, 0.0, "Ride")]
    if kind == "intervals":  # warm-up, 8 x 200 m fast with 90 s walked recoveries, cool-down
        steps: list[Step] = [("warmup", "time", 900, 2.8, 0.0, "Warm up")]
        for _ in range(8):
            steps.append(("active", "distance", 200, 5.6, 0.0, "200 m fast"))
            steps.append(("rest", "time", 90, 1.4, 0.0, "Walk"))
        steps.append(("cooldown", "time", 600, 2.7, 0.0, "Cool down"))
        return steps
    if kind == "hills":  # warm-up, 6 x 90 s uphill hard, jog back down, cool-down
        steps = [("warmup", "time", 720, 2.8, 0.5, "Warm up")]
        for _ in range(6):
            steps.append(("active", "time", 90, 3.5, 7.0, "Hill up"))
            steps.append(("rest", "time", 140, 2.25, -7.0, "Jog down"))
        steps.append(("cooldown", "time", 600, 2.7, -0.5, "Cool down"))
        return steps
    raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")


def synth_run(seed: int, start_utc: datetime, duration_s: int, kind: str = "easy") -> dict:
    """Simulate one activity second by second (duration_s is ignored by structured kinds)."""
    rng = np.random.default_rng(seed)
    ride = kind == "ride"
    plan = _plan(kind, duration_s)
    lat0 = 48.80 + rng.uniform(0, 0.1)
    lng0 = 2.25 + rng.uniform(0, 0.15)
    heading = rng.uniform(0, 2 * math.pi)
    cols: dict[str, list] = {
        k: []
        for k in ("time", "distance", "lat", "lng", "altitude", "speed", "heartrate", "cadence")
    }
    if ride:
        cols["watts"] = []
    laps: list[dict[str, Any]] = []
    t, dist, alt, speed, hr = 0, 0.0, 35.0 + rng.uniform(0, 20), 0.0, 70.0
    lat, lng = lat0, lng0
    hill_heading = heading
    for step_index, (intensity, until, amount, target, grade, name) in enumerate(plan):
        lap_start, step_start_t, step_start_d = len(cols["time"]), t, dist
        if name == "Hill up":  # repeats climb the same slope: up one way, back down the other
            heading = hill_heading
        elif name == "Jog down":
            heading = hill_heading + math.pi
        while True:
            done = t - step_start_t if until == "time" else dist - step_start_d
            if done >= amount:
                break
            speed += (target - speed) * 0.25 + rng.normal(0, 0.05 if not ride else 0.15)
            speed = max(0.0, speed)
            slope = grade if grade else 1.5 * math.sin(dist / 900.0)
            hr_target = (62 + 19.5 * speed + 2.2 * max(slope, 0)) if not ride else 70 + 9 * speed
            hr += (min(hr_target, 188) - hr) * 0.04 + rng.normal(0, 0.6)
            heading += rng.normal(0, 0.05 if name not in ("Hill up", "Jog down") else 0.005)
            step = speed  # metres this second
            dist += step
            alt += step * slope / 100.0 + rng.normal(0, 0.05)
            lat += step * math.cos(heading) / 111_195.0
            lng += step * math.sin(heading) / (111_195.0 * math.cos(math.radians(lat)))
            if ride:
                cad = 88 + rng.normal(0, 3)
                cols["watts"].append(int(max(0.0, 24 * speed + 12 * slope + rng.normal(0, 15))))
            else:
                cad = (56 if speed < 2 else 74 + 3.6 * speed) + rng.normal(0, 1.2)
            cols["time"].append(t)
            cols["distance"].append(round(dist, 2))
            cols["lat"].append(round(lat, 7))
            cols["lng"].append(round(lng, 7))
            cols["altitude"].append(round(alt, 1))
            cols["speed"].append(round(speed, 3))
            cols["heartrate"].append(int(round(hr)))
            cols["cadence"].append(int(round(cad)))
            t += 1
        laps.append(
            {
                "start": lap_start,
                "end": len(cols["time"]),
                "intensity": intensity,
                "step": step_index if len(plan) > 1 else None,
            }
        )
    steps = []
    if len(plan) > 1:
        for i, (intensity, until, amount, _target, _grade, name) in enumerate(plan):
            steps.append(
                {
                    "message_index": i,
                    "name": name,
                    "intensity": intensity,
                    "duration_type": until,
                    "amount": amount,
                }
            )
    names = {
        "easy": "Easy run",
        "long": "Long run",
        "intervals": "8 x 200 m",
        "hills": "Hill repeats",
        "ride": "Lunch ride",
    }
    cols["meta"] = {  # type: ignore[assignment]
        "start_utc": start_utc,
        "sport": "cycling" if ride else "running",
        "sub_sport": "road" if ride else "street",
        "name": names[kind],
        "gpx_type": "cycling" if ride else "running",
        "laps": laps,
        "steps": steps,
    }
    return cols


def _indices(run: dict, every: int) -> list[int]:
    n = len(run["time"])
    idx = [i for i in range(n) if run["time"][i] % every == 0]
    if idx and idx[-1] != n - 1:
        idx.append(n - 1)
    return idx


def _when(run: dict, i: int) -> datetime:
    return run["meta"]["start_utc"] + timedelta(seconds=run["time"][i])


def _lap_stats(run: dict, lap: dict) -> dict[str, float]:
    s, e = lap["start"], lap["end"]
    d0 = run["distance"][s - 1] if s > 0 else 0.0
    hr = run["heartrate"][s:e]
    elapsed = float(run["time"][e - 1] + 1 - (run["time"][s - 1] + 1 if s > 0 else 0))
    dist = run["distance"][e - 1] - d0
    return {
        "elapsed": elapsed,
        "distance": dist,
        "avg_hr": sum(hr) / len(hr),
        "max_hr": max(hr),
        "avg_speed": dist / elapsed if elapsed else 0.0,
        "start": run["time"][s - 1] + 1 if s > 0 else 0,
    }


def write_fit(run: dict, *, utc_offset_s: int = 3600) -> bytes:
    """An activity FIT file as a Garmin watch writes one: records, laps, session, workout."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import (
        Activity,
        Event,
        EventType,
        FileType,
        Intensity,
        Manufacturer,
        Sport,
        SubSport,
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    meta = run["meta"]
    ms = lambda dt: int(dt.timestamp()) * 1000  # noqa: E731 - fit_tool wants Unix ms
    start = meta["start_utc"]
    end = _when(run, len(run["time"]) - 1)
    builder = FitFileBuilder(auto_define=True, min_string_size=16)

    msg = FileIdMessage()
    msg.type = FileType.ACTIVITY
    msg.manufacturer = Manufacturer.DEVELOPMENT.value
    msg.product = 1
    msg.time_created = ms(start)
    msg.serial_number = 0x5EED
    builder.add(msg)

    for i, step in enumerate(meta["steps"]):
        ws = WorkoutStepMessage()
        ws.message_index = i
        ws.workout_step_name = step["name"]
        ws.intensity = Intensity[step["intensity"].upper()]
        if step["duration_type"] == "time":
            ws.duration_type = WorkoutStepDuration.TIME
            ws.duration_time = float(step["amount"])
        else:
            ws.duration_type = WorkoutStepDuration.DISTANCE
            ws.duration_distance = float(step["amount"])
        ws.target_type = WorkoutStepTarget.OPEN
        builder.add(ws)

    ev = EventMessage()
    ev.event = Event.TIMER
    ev.event_type = EventType.START
    ev.timestamp = ms(start)
    builder.add(ev)

    has_watts = "watts" in run
    lap_iter = iter(meta["laps"])
    lap = next(lap_iter)
    for i in range(len(run["time"])):
        rec = RecordMessage(local_id=1)
        rec.timestamp = ms(_when(run, i))
        rec.position_lat = run["lat"][i]
        rec.position_long = run["lng"][i]
        rec.distance = run["distance"][i]
        rec.enhanced_altitude = run["altitude"][i]
        rec.enhanced_speed = run["speed"][i]
        rec.heart_rate = run["heartrate"][i]
        rec.cadence = run["cadence"][i]
        if has_watts:
            rec.power = run["watts"][i]
        builder.add(rec)
        if i == lap["end"] - 1:
            builder.add(_fit_lap(LapMessage, Intensity, run, lap, start, ms))
            lap = next(lap_iter, lap)

    ev = EventMessage()
    ev.event = Event.TIMER
    ev.event_type = EventType.STOP_ALL
    ev.timestamp = ms(end)
    builder.add(ev)

    total = float(run["time"][-1] + 1)
    sess = SessionMessage()
    sess.timestamp = ms(end)
    sess.start_time = ms(start)
    sess.total_elapsed_time = total
    sess.total_timer_time = total
    sess.total_distance = run["distance"][-1]
    sess.sport = Sport[meta["sport"].upper()]
    sess.sub_sport = SubSport[meta["sub_sport"].upper()]
    sess.avg_heart_rate = int(round(sum(run["heartrate"]) / len(run["heartrate"])))
    sess.max_heart_rate = max(run["heartrate"])
    sess.total_ascent = int(
        round(
            sum(
                max(0.0, b - a)
                for a, b in zip(run["altitude"][::10], run["altitude"][10::10], strict=False)
            )
        )
    )
    sess.first_lap_index = 0
    sess.num_laps = len(meta["laps"])
    sess.enhanced_avg_speed = run["distance"][-1] / total
    builder.add(sess)

    act = ActivityMessage()
    act.timestamp = ms(end)
    act.total_timer_time = total
    act.num_sessions = 1
    act.type = Activity.MANUAL
    act.event = Event.ACTIVITY
    act.event_type = EventType.STOP
    act.local_timestamp = int(end.timestamp()) - 631065600 + utc_offset_s  # FIT seconds, local
    builder.add(act)
    return builder.build_bytes()


def _fit_lap(
    lap_cls: Any, intensity_enum: Any, run: dict, lap: dict, start: datetime, ms: Any
) -> Any:
    stats = _lap_stats(run, lap)
    msg = lap_cls(local_id=2)
    msg.message_index = run["meta"]["laps"].index(lap)
    msg.start_time = ms(start + timedelta(seconds=stats["start"]))
    msg.timestamp = ms(_when(run, lap["end"] - 1))
    msg.total_elapsed_time = stats["elapsed"]
    msg.total_timer_time = stats["elapsed"]
    msg.total_distance = stats["distance"]
    msg.avg_heart_rate = int(round(stats["avg_hr"]))
    msg.max_heart_rate = stats["max_hr"]
    msg.enhanced_avg_speed = stats["avg_speed"]
    msg.intensity = intensity_enum[lap["intensity"].upper()]
    if lap["step"] is not None:
        msg.workout_step_index = lap["step"]
    return msg


def write_gpx(run: dict, *, every: int = 1) -> str:
    """GPX 1.1 with Garmin TrackPointExtension heart rate and cadence, as Strava exports it."""
    import xml.etree.ElementTree as ET

    import gpxpy.gpx

    ns = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
    meta = run["meta"]
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "syncd synth"
    gpx.nsmap["gpxtpx"] = ns
    gpx.time = meta["start_utc"]
    trk = gpxpy.gpx.GPXTrack(name=meta["name"])
    trk.type = meta["gpx_type"]
    seg = gpxpy.gpx.GPXTrackSegment()
    for i in _indices(run, every):
        pt = gpxpy.gpx.GPXTrackPoint(
            run["lat"][i], run["lng"][i], elevation=run["altitude"][i], time=_when(run, i)
        )
        ext = ET.Element(f"{{{ns}}}TrackPointExtension")
        ET.SubElement(ext, f"{{{ns}}}hr").text = str(run["heartrate"][i])
        ET.SubElement(ext, f"{{{ns}}}cad").text = str(run["cadence"][i])
        pt.extensions.append(ext)
        seg.points.append(pt)
    trk.segments.append(seg)
    gpx.tracks.append(trk)
    return gpx.to_xml(version="1.1", prettyprint=False)


def write_tcx(run: dict, *, every: int = 1) -> str:
    """TCX v2 with laps and ActivityExtension speed/run cadence, as Garmin Connect exports it."""
    from lxml import etree

    tcd = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
    ax = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
    meta = run["meta"]

    def iso(dt: datetime) -> str:
        return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def sub(parent: Any, tag: str, text: Any = None, ns: str = tcd) -> Any:
        el = etree.SubElement(parent, f"{{{ns}}}{tag}")
        if text is not None:
            el.text = str(text)
        return el

    root = etree.Element(f"{{{tcd}}}TrainingCenterDatabase", nsmap={None: tcd, "ns3": ax})
    act = sub(sub(root, "Activities"), "Activity")
    act.set("Sport", "Biking" if meta["sport"] == "cycling" else "Running")
    sub(act, "Id", iso(meta["start_utc"]))
    keep = set(_indices(run, every))
    for lap in meta["laps"]:
        stats = _lap_stats(run, lap)
        lap_el = sub(act, "Lap")
        lap_el.set("StartTime", iso(meta["start_utc"] + timedelta(seconds=stats["start"])))
        sub(lap_el, "TotalTimeSeconds", f"{stats['elapsed']:.1f}")
        sub(lap_el, "DistanceMeters", f"{stats['distance']:.2f}")
        sub(sub(lap_el, "AverageHeartRateBpm"), "Value", int(round(stats["avg_hr"])))
        sub(sub(lap_el, "MaximumHeartRateBpm"), "Value", stats["max_hr"])
        sub(lap_el, "Intensity", "Resting" if lap["intensity"] == "rest" else "Active")
        sub(lap_el, "TriggerMethod", "Manual")
        track = sub(lap_el, "Track")
        for i in range(lap["start"], lap["end"]):
            if i not in keep:
                continue
            tp = sub(track, "Trackpoint")
            sub(tp, "Time", iso(_when(run, i)))
            pos = sub(tp, "Position")
            sub(pos, "LatitudeDegrees", run["lat"][i])
            sub(pos, "LongitudeDegrees", run["lng"][i])
            sub(tp, "AltitudeMeters", run["altitude"][i])
            sub(tp, "DistanceMeters", run["distance"][i])
            sub(sub(tp, "HeartRateBpm"), "Value", run["heartrate"][i])
            tpx = sub(sub(tp, "Extensions"), "TPX", ns=ax)
            sub(tpx, "Speed", run["speed"][i], ns=ax)
            sub(tpx, "RunCadence", run["cadence"][i], ns=ax)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()

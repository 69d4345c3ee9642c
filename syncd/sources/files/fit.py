"""FIT activity files (Garmin, Coros, Wahoo, Suunto exports) via fitdecode.

Speed matters (a ten-year export is thousands of files), so the reader runs fitdecode without
its data processor and CRC check (we convert the few timestamps ourselves; a bad CRC with a
well-formed body still imports), looks only at the handful of messages we use and walks each
record's fields once.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import fitdecode

from syncd.errors import FileImportError
from syncd.sources.files.common import Column, build_record, finish_streams, raw_fields
from syncd.sources.files.sports import fit_sport
from syncd.sources.records import ActivityRecord, LapRecord

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z as a Unix time
_SEMICIRCLE = 180.0 / 2**31

# Record fields -> slot in a per-record row. Enhanced fields come first in the slot order below
# and win over their 16-bit originals (see _ROW_FIELDS).
_REC_SLOTS = {
    "timestamp": 0,
    "position_lat": 1,
    "position_long": 2,
    "distance": 3,
    "enhanced_altitude": 4,
    "altitude": 5,
    "enhanced_speed": 6,
    "speed": 7,
    "heart_rate": 8,
    "cadence": 9,
    "fractional_cadence": 10,
    "power": 11,
    "temperature": 12,
}
_NSLOTS = 13
_WANTED = frozenset({"record", "lap", "session", "workout_step", "file_id", "sport", "activity"})
_SUMMARY_SKIP = re.compile(r"^unknown_|_position_|^(nec|swc)_|^avg_.*_phase|_position$")
_TIME_FIELDS = frozenset({"timestamp", "start_time", "time_created"})
_AT_BYTE = re.compile(r"@ (\d+)\s*$")


def _utc(value: Any) -> datetime | None:
    if isinstance(value, int) and value >= 0x10000000:  # smaller values are device-relative
        return datetime.fromtimestamp(FIT_EPOCH + value, tz=UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _summary(frame: fitdecode.FitDataMessage) -> dict[str, Any]:
    """A message's fields as a JSON-ready dict: no unknowns, no Nones, times as ISO UTC."""
    out: dict[str, Any] = {}
    for fd in frame.fields:
        name, value = fd.name, fd.value
        if value is None or _SUMMARY_SKIP.search(name):
            continue
        if isinstance(value, tuple) and all(v is None for v in value):
            continue
        if name in _TIME_FIELDS:
            dt = _utc(value)
            value = dt.isoformat() if dt else value
        elif name == "local_timestamp" and isinstance(value, int):
            value = (
                datetime.fromtimestamp(FIT_EPOCH + value, tz=UTC).replace(tzinfo=None).isoformat()
            )
        out[name] = value
    return out


def _step(step: dict[str, Any]) -> dict[str, Any]:
    """fitdecode names dynamic fields by their sub-field (duration_time, target_hr_zone); keep
    those and add the generic duration_value/target_value so consumers need one key."""
    for generic, prefix in (("duration_value", "duration_"), ("target_value", "target_")):
        if generic not in step:
            for key, value in step.items():
                if key.startswith(prefix) and key != prefix + "type":
                    step[generic] = value
                    break
    return step


def _fit_error(exc: Exception) -> str:
    """One line a user can act on, from fitdecode's exceptions."""
    text = " ".join(str(exc).split())
    at = _AT_BYTE.search(text)
    where = int(at.group(1)) if at else None
    if isinstance(exc, fitdecode.FitHeaderError):
        if not where:
            return "not a FIT file (corrupt header)"
        return f"corrupt FIT file (bad header of a chained file at byte {where})"
    if isinstance(exc, fitdecode.FitEOFError):
        suffix = f" at byte {where}" if where is not None else ""
        return f"truncated FIT file (unexpected end of file{suffix})"
    if isinstance(exc, fitdecode.FitError):
        return f"corrupt FIT file ({text})"
    return f"corrupt FIT file ({type(exc).__name__}: {text})"


def read_fit(data: bytes, display: str, hints: dict[str, Any]) -> ActivityRecord:
    """Parse a whole FIT file; any decoding error rejects it (partial reads are not kept)."""
    if len(data) < 12 or data[8:12] != b".FIT":
        raise FileImportError(display, "not a FIT file (corrupt header)")
    rows: list[list[Any]] = []
    laps_raw: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    extra: dict[str, dict[str, Any]] = {}
    last_ts = -1
    data_frame = fitdecode.FIT_FRAME_DATA
    slots = _REC_SLOTS
    try:
        reader = fitdecode.FitReader(
            io.BytesIO(data), processor=None, check_crc=fitdecode.CrcCheck.DISABLED
        )
        with reader:
            for frame in reader:
                if frame.frame_type != data_frame:
                    continue
                name = frame.name
                if name == "record":
                    row: list[Any] = [None] * _NSLOTS
                    for fd in frame.fields:
                        i = slots.get(fd.name)
                        if i is not None:
                            row[i] = fd.value
                    ts = row[0]
                    if not isinstance(ts, int):
                        continue  # no timestamp: cannot place the sample
                    if ts > last_ts:
                        rows.append(row)
                        last_ts = ts
                    elif ts == last_ts:  # same second written twice: merge into one sample
                        prev = rows[-1]
                        for i in range(1, _NSLOTS):
                            if prev[i] is None:
                                prev[i] = row[i]
                    # ts < last_ts: out of order, dropped
                elif name not in _WANTED:
                    continue
                elif name == "lap":
                    laps_raw.append(_summary(frame))
                elif name == "session":
                    sessions.append(_summary(frame))
                elif name == "workout_step":
                    steps.append(_step(_summary(frame)))
                elif name not in extra:  # file_id, sport, activity: the first one is the one
                    extra[name] = _summary(frame)
    except FileImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - fitdecode raises many types on corrupt input
        raise FileImportError(display, _fit_error(exc)) from None
    return _build(data, display, hints, rows, laps_raw, sessions, steps, extra)


def _f(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _build(
    data: bytes,
    display: str,
    hints: dict[str, Any],
    rows: list[list[Any]],
    laps_raw: list[dict[str, Any]],
    sessions: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    extra: dict[str, dict[str, Any]],
) -> ActivityRecord:
    file_id = extra.get("file_id", {})
    file_type = file_id.get("type")
    if isinstance(file_type, str) and file_type != "activity":
        raise FileImportError(display, f"not an activity FIT file (file type '{file_type}')")
    if not rows and not sessions:
        raise FileImportError(display, "FIT file has no activity data (no records, no session)")
    session = sessions[0] if sessions else {}

    starts = [
        dt
        for dt in (parse_dt(session.get("start_time")), _utc(rows[0][0]) if rows else None)
        if dt is not None
    ]
    if not starts and parse_dt(file_id.get("time_created")):
        starts.append(parse_dt(file_id["time_created"]))  # type: ignore[arg-type]
    if not starts:
        raise FileImportError(display, "FIT file has no start time")
    start = min(starts)
    t0 = int(start.timestamp()) - FIT_EPOCH

    cols: dict[str, Column] = {}
    if rows:
        cols["time"] = [float(r[0] - t0) for r in rows]
        cols["distance"] = [r[3] for r in rows]
        cols["lat"] = [r[1] * _SEMICIRCLE if r[1] is not None else None for r in rows]
        cols["lng"] = [r[2] * _SEMICIRCLE if r[2] is not None else None for r in rows]
        cols["altitude"] = [r[4] if r[4] is not None else r[5] for r in rows]
        cols["velocity_smooth"] = [r[6] if r[6] is not None else r[7] for r in rows]
        cols["heartrate"] = [r[8] for r in rows]
        cols["cadence"] = [
            (r[9] + r[10]) if r[9] is not None and r[10] is not None else r[9] for r in rows
        ]
        cols["watts"] = [r[11] for r in rows]
        cols["temp"] = [r[12] for r in rows]
    streams = finish_streams(cols) if rows else None

    sport_msg = extra.get("sport", {})
    sport_type, trainer = _sport(session, sport_msg)
    laps = [_lap(i, lap, start) for i, lap in enumerate(laps_raw)]

    def total(key: str) -> float | None:
        values = [_f(s.get(key)) for s in sessions]
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    activity = extra.get("activity", {})
    raw: dict[str, Any] = {
        "format": "fit",
        "file_id": file_id,
        "session": session,
        "sessions": len(sessions),
    }
    if sport_msg:
        raw["sport"] = sport_msg
    if activity:
        raw["activity"] = activity
        local = parse_dt(activity.get("local_timestamp"), naive_ok=True)
        stamp = parse_dt(activity.get("timestamp"))
        if local and stamp:
            raw["utc_offset_s"] = int(
                (local.replace(tzinfo=None) - stamp.replace(tzinfo=None)).total_seconds()
            )
    gain = total("total_ascent")
    max_hrs = [_f(s.get("max_heart_rate")) for s in sessions]
    return build_record(
        data=data,
        display=display,
        hints=hints,
        start_utc=start,
        sport_type=sport_type,
        trainer=trainer,
        name="",
        streams=streams,
        laps=laps,
        raw=raw,
        distance_m=total("total_distance"),
        moving_s=total("total_timer_time"),
        elapsed_s=total("total_elapsed_time"),
        elevation_gain_m=gain,
        avg_hr=_f(session.get("avg_heart_rate")) if len(sessions) == 1 else None,
        max_hr=max((m for m in max_hrs if m is not None), default=None),
        workout_steps=steps,
    )


def _sport(session: dict[str, Any], sport_msg: dict[str, Any]) -> tuple[str | None, bool]:
    """The session's sport, else the sport message's (both as `_summary` keeps them)."""
    return fit_sport(
        session.get("sport", sport_msg.get("sport")),
        session.get("sub_sport", sport_msg.get("sub_sport")),
    )


def fields_from_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """What `read_fit` made of a file, from the raw JSON it stored (for `syncd db rederive`).

    The raw JSON keeps the first session only: sport, trainer and name always come back, the
    totals (distance, moving and elapsed time, ascent, heart rate) only for a one-session file
    whose session carries them. Totals a file lacked came from its records, and the start time
    is the earlier of the session's and the first record's: records are not in the raw JSON,
    so those columns are not given.
    """
    session = raw.get("session") or {}
    sport_type, trainer = _sport(session, raw.get("sport") or {})
    measured: dict[str, float | None] = {}
    if raw.get("sessions") == 1:
        measured = {
            "distance_m": _f(session.get("total_distance")),
            "moving_s": _f(session.get("total_timer_time")),
            "elapsed_s": _f(session.get("total_elapsed_time")),
            "elevation_gain_m": _f(session.get("total_ascent")),
            "avg_hr": _f(session.get("avg_heart_rate")),
            "max_hr": _f(session.get("max_heart_rate")),
        }
    return raw_fields(raw, sport_type=sport_type, name="", trainer=trainer, measured=measured)


def parse_dt(value: Any, naive_ok: bool = False) -> datetime | None:
    """Times in our summaries are ISO text (see _summary)."""
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is None and not naive_ok:
        dt = dt.replace(tzinfo=UTC)
    return dt


def _lap(index: int, lap: dict[str, Any], start: datetime) -> LapRecord:
    elapsed = _f(lap.get("total_elapsed_time")) or 0.0
    timer = _f(lap.get("total_timer_time"))
    lap_start = parse_dt(lap.get("start_time"))
    if lap_start is None:
        end = parse_dt(lap.get("timestamp"))
        offset = (end - start).total_seconds() - elapsed if end else 0.0
    else:
        offset = (lap_start - start).total_seconds()
    distance = _f(lap.get("total_distance"))
    speed = _f(lap.get("enhanced_avg_speed")) or _f(lap.get("avg_speed"))
    if speed is None and distance is not None and timer:
        speed = distance / timer
    intensity = lap.get("intensity")
    step = lap.get("wkt_step_index")
    return LapRecord(
        index=index,
        start_offset_s=max(0.0, offset),
        elapsed_s=elapsed,
        moving_s=timer,
        distance_m=distance,
        avg_hr=_f(lap.get("avg_heart_rate")),
        max_hr=_f(lap.get("max_heart_rate")),
        avg_speed=speed,
        intensity=intensity if isinstance(intensity, str) else None,
        workout_step=step if isinstance(step, int) else None,
    )

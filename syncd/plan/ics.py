"""Calendar import: a coach's TrainingPeaks / intervals.icu / Final Surge export -> sessions.

The plan file stays the one source of truth: `syncd plan import` renders what it understood as
[[session]] entries (`sessions_to_toml`) for the user to append and review, so nothing about a
calendar's quirks leaks into matching.

- The type comes from keywords in SUMMARY, checked in order (first match wins) so "Hill repeats"
  is a hill session although "repeats" means intervals. A user mapping (keywords separated by
  "|" -> type) is checked before the defaults and replaces a default with the same keywords. A
  summary with a rep structure and no keyword ("6x800m"), or only "rest" ("8x400m w/ 90s
  rest"), is an interval session.
- The workout is the first rep structure in SUMMARY, else DESCRIPTION; minutes come from DURATION,
  else DTEND-DTSTART of a timed event, else the text ("Duration: 0:50:00", "Easy 45 min" in the
  summary); km from the text ("Total 10 km", "Long run 25 km", a description's only distance),
  never from inside a workout ("5x1km" is not 1 km) nor from a pace ("5k pace").
- The day is the event's local date: all-day events as written; timed events in their own time
  zone, or in `tz` (the athlete's) when given.
- Events that map to no type are skipped and reported; so are second sessions on one day (the
  plan holds one per day; a rest event yields to a training event).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

import icalendar

from syncd.plan.errors import PlanError
from syncd.plan.model import SESSION_TYPES, PlannedSession
from syncd.plan.workouts import find_workout

DEFAULT_MAPPING: dict[str, str] = {
    "hill|hills": "hill",
    "interval|intervals|speed|track|vo2|vo2max|repeats": "interval",
    "long": "long",
    "race": "race",
    "easy|recovery|aerobic|base": "easy",
    "rest|off": "rest",
}
NOTE_MAX = 200


@dataclass(frozen=True)
class SkippedEvent:
    day: date | None
    summary: str
    reason: str


class IcsImport(list[PlannedSession]):
    """The imported sessions (a list, in day order) with the report of what was skipped."""

    def __init__(self, sessions: list[PlannedSession], skipped: list[SkippedEvent],
                 events: int) -> None:
        super().__init__(sessions)
        self.skipped = skipped
        self.events = events  # VEVENTs seen


def _rules(mapping: dict[str, str] | None) -> list[tuple[re.Pattern[str], str]]:
    merged: dict[str, str] = {}
    for keys, kind in (mapping or {}).items():
        if kind not in SESSION_TYPES:
            raise PlanError(f"calendar mapping {keys!r}: expected one of "
                            f"{', '.join(SESSION_TYPES)}, got {kind!r}")
        merged[keys] = kind
    for keys, kind in DEFAULT_MAPPING.items():
        merged.setdefault(keys, kind)
    rules = []
    for keys, kind in merged.items():
        words = [re.escape(w.strip()) for w in keys.split("|") if w.strip()]
        if words:
            rules.append((re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])",
                                     re.I), kind))
    return rules


def _classify(summary: str, rules: list[tuple[re.Pattern[str], str]]) -> str | None:
    kind = next((k for rx, k in rules if rx.search(summary)), None)
    if kind in (None, "rest") and find_workout(summary) is not None:
        return "interval"  # "6x800m", "8x400m w/ 90s rest": reps are a session, not a rest day
    return kind


def classify_summary(summary: str, mapping: dict[str, str] | None = None) -> str | None:
    """The session type a summary names, or None."""
    return _classify(summary, _rules(mapping))


_MIN_TEXT = re.compile(
    r"(?<![\w.])(?:(?P<h>\d+)\s*h\s*(?P<hm>\d{1,2})?(?:\s*min)?|(?P<m>\d+(?:[.,]\d+)?)\s*"
    r"(?:min|mins|minutes)\b)", re.I)
_KM_TEXT = re.compile(
    r"(?<![\w.])(?P<v>\d+(?:[.,]\d+)?)\s*(?P<u>km|k|mi|miles?)\b(?!\s*(?:pace|race|effort))", re.I)
_KM_LABELLED = re.compile(
    r"(?:total|distance)\s*:?\s*(?P<v>\d+(?:[.,]\d+)?)\s*(?P<u>km|k|mi|miles?)\b", re.I)


def _strip_workout(text: str) -> str:
    w = find_workout(text)
    return text.replace(w.text, " ") if w is not None else text


_LABELLED = re.compile(
    r"(?:duration|time)\s*:?\s*(?:(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?![\d:])"
    r"|(?P<min>\d+)\s*(?:min|mins|minutes)\b)", re.I)


def _one(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The only match in `text`: several ("warm up 15 min ... cool down 10 min") mean none."""
    found = list(rx.finditer(text))
    return found[0] if len(found) == 1 else None


def minutes_from_text(summary: str, description: str = "") -> float | None:
    """'Duration: 0:50:00', 'Easy 45 min', '1h30' -> minutes, outside any rep structure.

    A labelled duration wins, then a time in the summary. Bare times in a description are too
    often something else ("warm up 15 min", "fuel every 30 min") to be the session's length.
    """
    m = _LABELLED.search(f"{summary}\n{description}")
    if m:
        if m.group("min") is not None:
            return float(m.group("min"))
        return int(m.group("h")) * 60 + int(m.group("m")) + int(m.group("s") or 0) / 60
    m = _MIN_TEXT.search(_strip_workout(summary))
    if m is None:
        return None
    if m.group("h") is not None:
        return float(int(m.group("h")) * 60 + int(m.group("hm") or 0))
    return float(m.group("m").replace(",", "."))


def km_from_text(summary: str, description: str = "") -> float | None:
    """'Long run 25 km', '12k', '6 mi' -> km: a labelled distance ("Total 10 km"), else the
    summary's, else the description's only one ("5k pace" is a pace, not a distance)."""
    m = (_KM_LABELLED.search(f"{summary}\n{description}")
         or _KM_TEXT.search(_strip_workout(summary))
         or _one(_KM_TEXT, _strip_workout(description)))
    if not m:
        return None
    v = float(m.group("v").replace(",", "."))
    return round(v * 1.609344, 2) if m.group("u").lower().startswith("mi") else v


def _day(dt: date | datetime, tz: tzinfo | None) -> date:
    if isinstance(dt, datetime):
        if tz is not None and dt.tzinfo is not None:
            dt = dt.astimezone(tz)
        return dt.date()
    return dt


def _read(source: str | bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and "BEGIN:VCALENDAR" in source:
        return source.encode("utf-8")
    p = Path(source)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise PlanError(f"Calendar file {p} cannot be read: {exc.__class__.__name__}.") from None


def import_ics(
    source: str | bytes | Path,
    mapping: dict[str, str] | None = None,
    *,
    tz: tzinfo | None = None,
) -> IcsImport:
    """Planned sessions from an iCalendar export (a path, or the calendar's text or bytes)."""
    data = _read(source)
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise PlanError(f"Not a valid iCalendar file: {exc}") from None
    rules = _rules(mapping)
    found: dict[date, PlannedSession] = {}
    skipped: list[SkippedEvent] = []
    events = 0
    for ev in cal.walk("VEVENT"):
        events += 1
        summary = " ".join(str(ev.get("SUMMARY", "")).split())
        description = str(ev.get("DESCRIPTION", "") or "").strip()
        start = ev.get("DTSTART")
        if start is None:
            skipped.append(SkippedEvent(None, summary, "no start date"))
            continue
        day = _day(start.dt, tz)
        kind = _classify(summary, rules)
        workout = find_workout(summary) or find_workout(description)
        if kind is None:
            skipped.append(SkippedEvent(day, summary, "no session type in the summary"))
            continue
        minutes = None
        if ev.get("DURATION") is not None:
            minutes = ev.get("DURATION").dt.total_seconds() / 60
        elif isinstance(start.dt, datetime) and ev.get("DTEND") is not None:
            span = ev.get("DTEND").dt - start.dt
            if isinstance(span, timedelta) and timedelta(0) < span < timedelta(hours=24):
                minutes = span.total_seconds() / 60
        if isinstance(start.dt, date) and not isinstance(start.dt, datetime) and minutes == 1440:
            minutes = None  # an all-day event's "duration" is the day
        if minutes is None:
            minutes = minutes_from_text(summary, description)
        km = km_from_text(summary, description)
        note = " ".join(description.split())[:NOTE_MAX] or None
        if kind == "rest":
            workout, minutes, km = None, None, None
        session = PlannedSession(day=day, type=kind, workout=workout,
                                 minutes=round(minutes, 1) if minutes else None, km=km, note=note)
        other = found.get(day)
        if other is not None and not (other.type == "rest" and kind != "rest"):
            skipped.append(SkippedEvent(day, summary, "another session that day"))
            continue
        if other is not None:
            skipped.append(SkippedEvent(day, "rest", "another session that day"))
        found[day] = session
    return IcsImport([found[d] for d in sorted(found)], skipped, events)


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0")


def sessions_to_toml(sessions: list[PlannedSession]) -> str:
    """[[session]] entries to append to a plan file (load_plan reads them back unchanged)."""
    out = []
    for s in sorted(sessions, key=lambda s: s.day):
        lines = ["[[session]]", f"date = {s.day.isoformat()}", f"type = {_toml_str(s.type)}"]
        if s.workout is not None:
            lines.append(f"workout = {_toml_str(s.workout.text)}")
        if s.minutes is not None:
            lines.append(f"minutes = {_toml_num(s.minutes)}")
        if s.km is not None:
            lines.append(f"km = {_toml_num(s.km)}")
        if s.note:
            lines.append(f"note = {_toml_str(s.note)}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + ("\n" if out else "")

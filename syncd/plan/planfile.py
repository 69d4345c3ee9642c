"""The coach's plan: one TOML file (a weekly template, dated sessions, weekly km), validated.

Every error names the file, the line, the key and what was expected, because the plan is edited
by hand every week and a traceback helps nobody. tomllib does not report where a key sits, so
`key_line` finds it by scanning the source for the table header and the key: good enough for the
documented layout (config/plan.example.toml), and never worse than pointing at the table.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from syncd.plan.errors import PlanError
from syncd.plan.model import SESSION_TYPES, PlannedSession, Workout
from syncd.plan.workouts import parse_workout

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TOP_KEYS = ("name", "start", "end", "race", "week", "volume", "session")
_SESSION_KEYS = ("type", "workout", "minutes", "km", "note")
_TYPES_TEXT = ", ".join(SESSION_TYPES)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Race:
    name: str
    date: date


@dataclass(frozen=True)
class PlanWeek:
    """One ISO week of the plan: its Monday, its number (week 1 first) and its sessions."""

    number: int
    start: date
    sessions: list[PlannedSession]  # in day order; rest days included, days off-plan absent
    volume_km: float | None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        return iso_week(self.start)


@dataclass(frozen=True)
class Plan:
    """A validated plan. `session_on` is the one question matching asks of it."""

    name: str
    start: date  # a Monday
    end: date
    race: Race | None = None
    template: dict[int, PlannedSession] = field(default_factory=dict)  # weekday -> session
    dated: dict[date, PlannedSession] = field(default_factory=dict)
    volume: tuple[float, ...] = ()  # weekly km, week 1 first
    source: str | None = None

    def session_on(self, day: date) -> PlannedSession | None:
        """The session planned that day: a dated entry, else the template; None off the plan.

        Rest days come back as a `rest` session (the plan said rest); a day the template leaves
        out comes back as None (nothing planned).
        """
        if not self.start <= day <= self.end:
            return None
        if day in self.dated:
            return self.dated[day]
        tpl = self.template.get(day.weekday())
        return None if tpl is None else _on_day(tpl, day)

    def week_number(self, day: date) -> int | None:
        """1 for the week of `start`; None outside the plan's weeks."""
        n = (monday(day) - self.start).days // 7 + 1
        return n if 1 <= n <= self.n_weeks else None

    @property
    def n_weeks(self) -> int:
        return (monday(self.end) - self.start).days // 7 + 1

    def volume_km(self, week_start: date) -> float | None:
        """The [volume] target for the week containing `week_start`, if the plan gives one."""
        n = self.week_number(week_start)
        if n is None or n > len(self.volume):
            return None
        return self.volume[n - 1]

    def weeks(self) -> Iterator[PlanWeek]:
        """Every ISO week from `start` to the week holding `end`, with its sessions."""
        for i in range(self.n_weeks):
            ws = self.start + timedelta(days=7 * i)
            days = (ws + timedelta(days=d) for d in range(7))
            sessions = [s for s in map(self.session_on, days) if s is not None]
            yield PlanWeek(i + 1, ws, sessions, self.volume_km(ws))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    """'2025-W11' (ISO year, so the last days of December can belong to W01)."""
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _on_day(s: PlannedSession, day: date) -> PlannedSession:
    return PlannedSession(day=day, type=s.type, workout=s.workout, minutes=s.minutes, km=s.km,
                          note=s.note)


# --- finding lines -------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"))*)"
                  r"\s*=")


def _split_key(k: str) -> list[str]:
    return [p.strip().strip('"') for p in k.split(".")]


def key_line(source: str, path: list[str | int]) -> int:
    """The 1-based line where `path` (e.g. ["week", "tue", "type"], ["session", 2, "date"]) is
    set, or the nearest enclosing key/table when the key itself is absent; 1 if nothing fits."""
    best, best_len = 1, 0
    header: list[str | int] = []
    counts: dict[str, int] = {}
    in_multiline = False
    for n, line in enumerate(source.splitlines(), start=1):
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            in_multiline = not in_multiline
            if not in_multiline:
                continue
        elif in_multiline:
            continue
        stripped = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        h = _HEADER.match(stripped)
        if h and "=" not in stripped.split("]", 1)[0]:
            parts: list[str | int] = list(_split_key(h.group(2)))
            if h.group(1) == "[[":
                name = ".".join(map(str, parts))
                counts[name] = counts.get(name, -1) + 1
                parts.append(counts[name])
            header = parts
            full = header
        else:
            k = _KEY.match(stripped)
            if not k:
                continue
            full = header + list(_split_key(k.group(1)))
        matched = 0
        for a, b in zip(full, path, strict=False):
            if a != b:
                break
            matched += 1
        if matched == len(full) and matched > best_len:
            best, best_len = n, matched
    return best


# --- validation ----------------------------------------------------------------------------


class _Checker:
    """Validates the decoded TOML with the source at hand for line numbers."""

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source

    def fail(self, path: list[str | int], expected: str) -> PlanError:
        line = key_line(self.source, path)
        return PlanError(f"{self.name} line {line}, key {_key_text(path)}: {expected}")

    def unknown(self, table: dict[str, Any], allowed: tuple[str, ...],
                path: list[str | int]) -> None:
        for k in table:
            if k not in allowed:
                raise self.fail([*path, k], f"unknown key (expected one of {', '.join(allowed)})")

    def string(self, v: Any, path: list[str | int]) -> str:
        if not isinstance(v, str) or not v.strip():
            raise self.fail(path, f"expected a non-empty string, got {_show(v)}")
        return v.strip()

    def day(self, v: Any, path: list[str | int]) -> date:
        if isinstance(v, date) and not isinstance(v, datetime):
            return v
        if isinstance(v, str):
            try:
                return date.fromisoformat(v)
            except ValueError:
                pass
        raise self.fail(path, f"expected a date like 2025-01-06, got {_show(v)}")

    def positive(self, v: Any, path: list[str | int]) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0 or v != v:
            raise self.fail(path, f"expected a positive number, got {_show(v)}")
        return float(v)

    def session(self, v: Any, path: list[str | int], day: date, *,
                extra: tuple[str, ...] = ()) -> PlannedSession:
        if isinstance(v, str):
            v = {"type": v}
            type_path = path
        elif isinstance(v, dict):
            type_path = [*path, "type"]
        else:
            raise self.fail(path, f'expected a type ("rest") or a table like '
                                  f'{{ type = "easy", minutes = 45 }}, got {_show(v)}')
        self.unknown(v, (*extra, *_SESSION_KEYS), path)
        if "type" not in v:
            raise self.fail(path, f"missing key type (expected one of {_TYPES_TEXT})")
        kind = v["type"]
        if kind not in SESSION_TYPES:
            raise self.fail(type_path, f"expected one of {_TYPES_TEXT}, got {_show(kind)}")
        workout: Workout | None = None
        if "workout" in v:
            workout = parse_workout(self.string(v["workout"], [*path, "workout"]))
        minutes = self.positive(v["minutes"], [*path, "minutes"]) if "minutes" in v else None
        km = self.positive(v["km"], [*path, "km"]) if "km" in v else None
        note = self.string(v["note"], [*path, "note"]) if "note" in v else None
        if kind == "rest":
            for k in ("workout", "minutes", "km"):
                if k in v:
                    raise self.fail([*path, k], "a rest day takes no workout, minutes or km")
        return PlannedSession(day=day, type=kind, workout=workout, minutes=minutes, km=km,
                              note=note)


def _key_text(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _show(v: Any) -> str:
    if isinstance(v, dict):
        return "a table"
    if isinstance(v, list):
        return "a list"
    return repr(v.isoformat() if isinstance(v, date) else v)


_PLACEHOLDER = date(1970, 1, 5)  # a Monday; template sessions get their real day on demand


def parse_plan(source: str, name: str = "plan.toml") -> Plan:
    """A plan from TOML text; `name` is what error messages call the file."""
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f" line {m.group(1)}" if m else ""
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise PlanError(f"{name}{where}: not valid TOML: {reason}") from None
    c = _Checker(name, source)
    c.unknown(raw, _TOP_KEYS, [])
    for k in ("name", "start", "end"):
        if k not in raw:
            raise PlanError(f"{name} line 1, key {k}: missing (every plan needs name, start, end)")
    title = c.string(raw["name"], ["name"])
    start = c.day(raw["start"], ["start"])
    if start.weekday() != 0:
        raise c.fail(["start"], f"expected a Monday (week 1 starts on it), got "
                                f"{start.isoformat()}, a {_FULL_DAYS[start.weekday()]}")
    end = c.day(raw["end"], ["end"])
    if end < start:
        raise c.fail(["end"], f"expected a date on or after start {start.isoformat()}, "
                              f"got {end.isoformat()}")

    race = None
    if "race" in raw:
        r = raw["race"]
        if not isinstance(r, dict):
            raise c.fail(["race"], f'expected a table like {{ name = "...", date = 2025-05-16 }}, '
                                   f"got {_show(r)}")
        c.unknown(r, ("name", "date"), ["race"])
        for k in ("name", "date"):
            if k not in r:
                raise c.fail(["race", k], "missing (a race needs name and date)")
        race = Race(c.string(r["name"], ["race", "name"]), c.day(r["date"], ["race", "date"]))

    template: dict[int, PlannedSession] = {}
    week = raw.get("week", {})
    if not isinstance(week, dict):
        raise c.fail(["week"], f"expected a table of days (mon ... sun), got {_show(week)}")
    c.unknown(week, DAYS, ["week"])
    for i, d in enumerate(DAYS):
        if d in week:
            template[i] = c.session(week[d], ["week", d], _PLACEHOLDER + timedelta(days=i))

    n_weeks = (monday(end) - start).days // 7 + 1
    volume: tuple[float, ...] = ()
    if "volume" in raw:
        vol = raw["volume"]
        if not isinstance(vol, dict):
            raise c.fail(["volume"], f"expected a table with km = [...], got {_show(vol)}")
        c.unknown(vol, ("km",), ["volume"])
        km = vol.get("km", [])
        if not isinstance(km, list):
            raise c.fail(["volume", "km"], f"expected a list of weekly km, got {_show(km)}")
        if len(km) > n_weeks:
            raise c.fail(["volume", "km"], f"expected at most {n_weeks} weekly targets (the plan "
                                           f"has {n_weeks} weeks), got {len(km)}")
        volume = tuple(c.positive(v, ["volume", "km"]) for v in km)

    dated: dict[date, PlannedSession] = {}
    sessions = raw.get("session", [])
    if not isinstance(sessions, list):
        raise c.fail(["session"], "expected [[session]] tables")
    for i, s in enumerate(sessions):
        if not isinstance(s, dict):
            raise c.fail(["session", i], f"expected a [[session]] table, got {_show(s)}")
        if "date" not in s:
            raise c.fail(["session", i], "missing key date (a dated session needs its date)")
        day = c.day(s["date"], ["session", i, "date"])
        if not start <= day <= end:
            raise c.fail(["session", i, "date"],
                         f"expected a date within the plan ({start.isoformat()} to "
                         f"{end.isoformat()}), got {day.isoformat()}")
        if day in dated:
            raise c.fail(["session", i, "date"],
                         f"expected one session per day, {day.isoformat()} already has one")
        dated[day] = c.session({k: v for k, v in s.items() if k != "date"}, ["session", i], day)
    return Plan(name=title, start=start, end=end, race=race, template=template, dated=dated,
                volume=volume, source=name)


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file; every failure is a PlanError naming file, line and key."""
    p = Path(path)
    try:
        source = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"Plan file {p} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"Plan file {p} cannot be read: {exc.__class__.__name__}.") from None
    return parse_plan(source, str(p))


# --- describing ----------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:.1f}"


def session_phrase(s: PlannedSession) -> str:
    """'interval 8x200m', 'easy 45 min', 'easy 8 km', 'long 150 min'."""
    if s.workout is not None:
        what = s.workout.text
    elif s.minutes is not None:
        what = f"{_num(s.minutes)} min"
    elif s.km is not None:
        what = f"{_num(s.km)} km"
    else:
        what = s.note or ""
    return f"{s.type} {what}".strip()


def describe_plan(plan: Plan) -> list[str]:
    """One line per week for `syncd plan check`, so the coach sees what syncd understood:
    'W1 2025-01-06: interval 8x200m (Tue), easy 45 min (Wed), ... — 50 km'."""
    lines = []
    for w in plan.weeks():
        parts = [f"{session_phrase(s)} ({DAY_NAMES[s.day.weekday()]})"
                 for s in w.sessions if s.type != "rest"]
        line = f"W{w.number} {w.start.isoformat()}: " + (", ".join(parts) or "rest")
        if w.volume_km is not None:  # only the coach's target: a sum of some sessions misleads
            line += f" — {_num(w.volume_km)} km"
        if plan.race is not None and w.start <= plan.race.date <= w.end:
            line += f" (race: {plan.race.name}, {DAY_NAMES[plan.race.date.weekday()]})"
        lines.append(line)
    return lines


__all__ = ["DAYS", "Plan", "PlanWeek", "Race", "describe_plan", "iso_week", "key_line",
           "load_plan", "monday", "parse_plan", "session_phrase"]

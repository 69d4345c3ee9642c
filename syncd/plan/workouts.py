"""Workout texts -> the rep structure a coach meant (`Workout`).

Understood: `NxDIST` (8x200m, 5x1km, 3x1.6km), `NxTIME` (10x30s, 6x3min, 5x2'30"), and pyramids
(`100-200-300-200-100`, metres unless a unit follows). Text after the structure ("8x200m with 100 m
walks") is kept as the note; anything else is a note only, so a plan never fails on wording.
"""

from __future__ import annotations

import re

from syncd.plan.model import Workout

_NUM = r"\d+(?:[.,]\d+)?"
_DIST_UNIT = r"(?:km|k|m|mi)"
_TIME = (
    r"(?:(?P<min>\d+)\s*(?:'|′|:)\s*(?P<sec>\d{1,2})\s*(?:\"|″|'')?"  # 2'30" / 2:30
    r"|(?P<tnum>" + _NUM + r")\s*(?P<tunit>s|sec|secs|seconds|\"|″|min|mins|minutes|'|′))"
)
_REPS = r"(?P<n>\d{1,3})\s*[x×*]\s*"
_NX_TIME = re.compile(_REPS + _TIME + r"(?![a-z0-9])", re.I)
_NX_DIST = re.compile(
    _REPS + r"(?P<dnum>" + _NUM + r")\s*(?P<dunit>" + _DIST_UNIT + r")?(?![a-z0-9'\"])", re.I
)
_PYRAMID = re.compile(
    r"(?<![\d.:/-])(?P<parts>\d{1,4}(?:\s*-\s*\d{1,4}){2,})\s*(?P<unit>m|km|s|sec|min)?(?![\w-])",
    re.I,
)


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _distance_m(value: float, unit: str | None) -> float | None:
    unit = (unit or "").lower()
    if unit == "m":
        return value
    if unit in ("km", "k"):
        return value * 1000
    if unit == "mi":
        return value * 1609.344
    # No unit: "8x200" means metres; "5x1" means nothing we can trust.
    return value if value >= 100 else None


def _seconds(m: re.Match[str]) -> float:
    if m.group("min") is not None:
        return float(int(m.group("min")) * 60 + int(m.group("sec")))
    value, unit = _num(m.group("tnum")), m.group("tunit").lower()
    return value * 60 if unit in ("min", "mins", "minutes", "'", "′") else value


def _structure(text: str, *, anywhere: bool) -> tuple[Workout, int, int] | None:
    """The first workout structure in `text` and where it sits (start, end)."""
    found: list[tuple[int, int, Workout]] = []
    for rx in (_NX_TIME, _NX_DIST, _PYRAMID):
        matches = rx.finditer(text) if anywhere else filter(None, [rx.match(text)])
        for m in matches:
            w = _from_match(rx, m)
            if w is None:
                continue
            if not anywhere:
                return w, m.start(), m.end()
            found.append((m.start(), m.end(), w))
            break
    if not found:
        return None
    start, end, w = min(found, key=lambda t: (t[0], t[0] - t[1]))
    return w, start, end


def _from_match(rx: re.Pattern[str], m: re.Match[str]) -> Workout | None:
    text = m.group(0).strip()
    if rx is _PYRAMID:
        values = [float(p) for p in re.split(r"\s*-\s*", m.group("parts"))]
        unit = (m.group("unit") or "m").lower()
        if unit in ("s", "sec"):
            return Workout(text=text, reps=len(values), durations_s=tuple(values))
        if unit == "min":
            return Workout(text=text, reps=len(values), durations_s=tuple(v * 60 for v in values))
        scale = 1000.0 if unit == "km" else 1.0
        if unit == "m" and min(values) < 50:  # "10-20-30" is not a track pyramid
            return None
        return Workout(text=text, reps=len(values), distances_m=tuple(v * scale for v in values))
    n = int(m.group("n"))
    if n < 1:
        return None
    if rx is _NX_TIME:
        secs = _seconds(m)
        return Workout(text=text, reps=n, durations_s=(secs,) * n) if secs > 0 else None
    dist = _distance_m(_num(m.group("dnum")), m.group("dunit"))
    if dist is None or dist <= 0:
        return None
    return Workout(text=text, reps=n, distances_m=(dist,) * n)


def parse_workout(text: str) -> Workout:
    """A plan's workout text. Never fails: what is not a rep structure is kept as a note."""
    clean = " ".join(text.split())
    got = _structure(clean, anywhere=False)
    if got is None:
        return Workout(text=clean, note=clean or None)
    w, _, end = got
    rest = clean[end:].strip(" ,;:-") or None
    return Workout(text=clean, reps=w.reps, distances_m=w.distances_m,
                   durations_s=w.durations_s, note=rest)


def find_workout(text: str) -> Workout | None:
    """A rep structure anywhere in free text ("Track: 8x200m @ 3k pace"), for calendar imports."""
    got = _structure(" ".join(text.split()), anywhere=True)
    return None if got is None else got[0]


def _fmt_num(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:g}"


def format_distance(m: float) -> str:
    """200 -> '200m', 1000 -> '1km', 1600 -> '1.6km' (as coaches write them)."""
    return f"{_fmt_num(m / 1000)}km" if m >= 1000 else f"{_fmt_num(m)}m"


def format_duration(s: float) -> str:
    """30 -> '30s', 180 -> '3min', 150 -> 2'30\"."""
    s = round(s)
    if s < 60:
        return f"{s}s"
    if s % 60 == 0:
        return f"{s // 60}min"
    return f"{s // 60}'{s % 60:02d}\""


def workout_text(reps: int, *, distance_m: float | None = None,
                 duration_s: float | None = None) -> str:
    """The canonical text of an even NxDIST or NxTIME workout (parse_workout reads it back)."""
    if (distance_m is None) == (duration_s is None):
        raise ValueError("give exactly one of distance_m or duration_s")
    if distance_m is not None:
        return f"{reps}x{format_distance(distance_m)}"
    assert duration_s is not None
    return f"{reps}x{format_duration(duration_s)}"


def is_build(w: Workout | None) -> bool:
    """Strides-like sessions (reps of 150 m or less) are meant to build, not to hold pace."""
    return bool(w and w.distances_m and max(w.distances_m) <= 150)

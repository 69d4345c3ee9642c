"""Workout words in activity names: "8x200", "hill reps", "LR", "pyramid", "tempo".

The athlete's own words are strong evidence when there are no streams (manual entries), and a
cross-check when there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "8x200", "10 x 100m", "6x3min", "6 × 800 m", "4x6'", "3*1km"
_REP_PATTERN = re.compile(
    r"\b(\d{1,2})\s*[x×*]\s*(\d+(?:[.,]\d+)?)\s*(m|k|km|s|sec|secs|min|mins|'|\"|)(?![a-z])",
    re.IGNORECASE,
)
_HILL = re.compile(r"\b(hill|hills|uphill|c[oô]tes?|heuvel\w*|berg\w*)\b", re.IGNORECASE)
_INTERVAL = re.compile(
    r"\b(intervals?|interval training|repeats?|reps|pyramid|track|fartlek|vo2\s?max|vo2|"
    r"fractionn[ée]s?|speed ?work|sprints?|threshold)\b",
    re.IGNORECASE,
)
_TEMPO = re.compile(r"\b(tempo|progression)\b", re.IGNORECASE)
_LONG = re.compile(r"\b(long run|long|sortie longue|lsd)\b", re.IGNORECASE)
_LR = re.compile(r"\bLR\b")  # case-sensitive: "lr" in a word is not a long run
_EASY = re.compile(r"\b(easy|recovery|recup|r[ée]cup[ée]ration|shake ?out|jog|footing)\b",
                   re.IGNORECASE)
_RACE = re.compile(r"\b(race|parkrun|ultra race)\b(?!\s*pace)", re.IGNORECASE)


@dataclass(frozen=True)
class NameHint:
    """What the name says, if anything: a label and the words that said it."""

    label: str | None
    words: str = ""
    reps: int | None = None  # "8x200" -> 8
    weak: bool = False  # tempo/progression: a quality run, but not reps


def read_name(name: str) -> NameHint:
    """The label a name points at: reps/hill words first, then race, long, tempo, easy."""
    if not name:
        return NameHint(None)
    m = _REP_PATTERN.search(name)
    hill = _HILL.search(name)
    if m:
        count = int(m.group(1))
        label = "hill" if hill else "interval"
        return NameHint(label, m.group(0).strip(), reps=count)
    interval = _INTERVAL.search(name)
    if hill and (interval or re.search(r"\b(sprints?|reps?|repeats?)\b", name, re.I)):
        return NameHint("hill", f"{hill.group(0)} {interval.group(0) if interval else ''}".strip())
    if hill:
        # "hilly long run", "hill run": hills, but not necessarily repeats
        return NameHint("hill", hill.group(0), weak=True)
    if interval:
        return NameHint("interval", interval.group(0))
    race = _RACE.search(name)
    if race:
        return NameHint("race", race.group(0))
    long = _LONG.search(name) or _LR.search(name)
    if long:
        return NameHint("long", long.group(0))
    tempo = _TEMPO.search(name)
    if tempo:
        return NameHint("interval", tempo.group(0), weak=True)
    easy = _EASY.search(name)
    if easy:
        return NameHint("easy", easy.group(0))
    return NameHint(None)

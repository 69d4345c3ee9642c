"""Sources turn the outside world into `ActivityRecord`s. They never touch the database."""

from __future__ import annotations

from typing import Any


def fields_from_raw(source: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The activity columns one source's stored raw JSON gives, by its own converter.

    For `syncd db rederive`: only the columns the raw JSON determines are returned (keys as
    `ActivityRecord`'s: start_utc, timezone, sport_type, name, distance_m, ...); a source with
    no raw converter gives {}. Raises SourceError when the converter rejects the JSON.
    """
    if source == "strava":
        from syncd.sources.strava.convert import fields_from_raw as strava_fields

        return strava_fields(raw)
    if source == "file":
        from syncd.sources.files import fields_from_raw as file_fields  # fitdecode, lxml: lazily

        return file_fields(raw)
    return {}

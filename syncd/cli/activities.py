"""`syncd activities` (the list, as a table, JSON or CSV) and `syncd show` (one activity with
its label, reasons and reps)."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from syncd.app import views
from syncd.cli.common import ActivityId, AthleteOption, app_of, out, parse_date
from syncd.errors import UsageError


def show(
    ctx: typer.Context,
    activity_id: ActivityId,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    athlete: AthleteOption = None,
) -> None:
    """Show one activity with its label, the reasons for it and its reps."""
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {fmt!r}.")
    row, data = views.show(app_of(ctx), activity_id, athlete)
    if fmt == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    a = row.activity
    km = f"{a.distance_m / 1000:.2f} km" if a.distance_m else "no distance"
    out.print(f"[bold]{a.name or a.sport_type}[/]  {data['start_local'][:16].replace('T', ' ')}"
              f" ({a.timezone})  {a.sport_type}, {km}, moving {_hms(a.moving_s)}")
    out.print(f"ids: {', '.join(f'{k} {v}' for k, v in row.sources.items())}")
    cl = row.classification
    if cl is None:
        out.print("not classified yet: run `syncd classify`")
        return
    conf = f", confidence {cl.confidence:.2f}" if cl.label_source != "user" else ""
    out.print(f"label: [bold]{cl.label}[/] ({cl.label_source}{conf}; classifier {cl.version})")
    if cl.label_source == "user" and cl.auto_label and cl.auto_label != cl.label:
        out.print(f"the classifier said: {cl.auto_label}")
    for reason in cl.reasons:
        out.print(f"  - {reason}", soft_wrap=True)
    if cl.reps:
        out.print(_reps_table(cl.reps))


def _reps_table(reps: list[dict[str, Any]]) -> Table:
    t = Table(title=f"{len(reps)} reps")
    for name in ("#", "start", "time", "distance", "pace", "HR", "grade", "recovery"):
        t.add_column(name, justify="right")
    for i, rep in enumerate(reps, start=1):
        rec = rep.get("recovery_s")
        recovery = (f"{_hms(rec)} {rep.get('recovery_kind') or ''}".strip()
                    if rec is not None else "-")
        hr = rep.get("mean_hr")
        grade = rep.get("mean_grade")
        t.add_row(str(i), _hms(rep["start_s"]), f"{rep['duration_s']:.0f} s",
                  f"{rep['distance_m']:.0f} m", _pace(rep["mean_speed"]),
                  f"{hr:.0f}" if hr else "-", f"{grade:.1f} %" if grade is not None else "-",
                  recovery)
    return t


def _hms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def _pace(speed: float | None) -> str:
    if not speed:
        return "-"
    per_km = 1000 / speed
    return f"{int(per_km // 60)}:{int(per_km % 60):02d}/km"


def activities(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this local date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(
        help="Up to and including this local date (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    deleted: Annotated[bool, typer.Option(
        "--deleted", help="Show activities deleted upstream instead.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """List stored activities, oldest first."""
    if fmt not in ("table", "json", "csv"):
        raise UsageError(f"--format must be table, json or csv, not {fmt!r}.")
    s = parse_date(since, "--since") if since else None
    u = parse_date(until, "--until") if until else None
    records = views.activities(app_of(ctx), athlete, since=s, until=u, deleted=deleted)
    if fmt == "json":
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        cols = [k for k in records[0] if k not in ("reasons", "sources")] if records else []
        w = csv.DictWriter(sys.stdout, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(records)
    else:
        _table(records)


def _table(records: list[dict[str, Any]]) -> None:
    t = Table(title=f"{len(records)} activities")
    for name in ("date", "sport", "name", "km", "moving", "climb m", "label", "source"):
        t.add_column(name, justify="right" if name in ("km", "moving", "climb m") else "left")
    for r in records:
        km = f"{r['distance_m'] / 1000:.2f}" if r["distance_m"] else "-"
        mv = r["moving_s"]
        moving = f"{mv // 3600}:{mv % 3600 // 60:02d}:{mv % 60:02d}" if mv else "-"
        climb = f"{r['elevation_gain_m']:.0f}" if r["elevation_gain_m"] is not None else "-"
        label = r["label"] or "-"
        if r["reps"]:
            label += f" ({r['reps']} reps)"
        t.add_row(r["start_local"][:16].replace("T", " "), r["sport_type"], r["name"], km,
                  moving, climb, label, "+".join(r["sources"]))
    out.print(t)


def register(app: typer.Typer) -> None:
    app.command()(show)
    app.command()(activities)

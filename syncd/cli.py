"""The `syncd` command line: a thin shell wiring config, store, sources and jobs together.

User errors (`SyncdError`) are shown as one message without a traceback, through `main()`,
which maps them to exit codes; `python -m syncd` goes through the same `main()`.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import structlog
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from syncd import __version__
from syncd.app import App, views
from syncd.config import Config
from syncd.errors import AuthError, ConfigError, RateLimitStop, SyncdError, UsageError
from syncd.logs import configure_logging, redact

app = typer.Typer(
    name="syncd",
    help="Pull runs from Strava and activity files into a local store you own.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
auth_app = typer.Typer(help="Authorise syncd against a service (once per athlete).",
                       no_args_is_help=True)
db_app = typer.Typer(help="Look after the database schema.", no_args_is_help=True)
plan_app = typer.Typer(help="Check the coach's plan, or import one from a calendar.",
                       no_args_is_help=True)
app.add_typer(auth_app, name="auth")
app.add_typer(db_app, name="db")
app.add_typer(plan_app, name="plan")

# Piped output keeps whole lines (Rich would wrap at 80 columns).
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True)
log = structlog.get_logger("syncd.cli")


def _ctx(ctx: typer.Context) -> App:
    return ctx.obj


def _version(value: bool) -> None:
    if value:
        out.print(f"syncd {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Config file (default: $SYNCD_CONFIG, "
        "$XDG_CONFIG_HOME/syncd/config.toml, /etc/syncd/config.toml).",
        dir_okay=False)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug events.")] = False,
    log_format: Annotated[str, typer.Option(
        help="Log format: auto (JSON unless a terminal), json or console.")] = "auto",
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """Pull runs from Strava and activity files into a local store you own."""
    c = App(config)
    ctx.obj = c
    if log_format not in ("auto", "json", "console"):
        raise UsageError(f"--log-format must be auto, json or console, not {log_format!r}.")
    level = "debug" if verbose else None
    fmt = log_format
    try:
        level = level or c.config.logging.level
        fmt = fmt if fmt != "auto" else c.config.logging.format
    except ConfigError:
        level = level or "info"  # the command reports the config error itself
    configure_logging(level=level, json=None if fmt == "auto" else fmt == "json")


# -- auth ----------------------------------------------------------------------------------
@auth_app.command("strava")
def auth_strava(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Option(
        help="Exchange a code pasted by hand (headless servers): the code, or the whole "
        "redirect URL from the browser's address bar.")] = None,
    port: Annotated[int | None, typer.Option(
        help="Loopback port for the redirect (default: strava.redirect_port).")] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Only print the URL; don't try to open a browser.")] = False,
) -> None:
    """Authorise syncd to read your Strava activities (once; tokens go to the secrets backend)."""
    from syncd.secrets import strava_token_key
    from syncd.sources.strava import oauth

    c = _ctx(ctx)
    cfg = c.config
    client_id, client_secret = _strava_client(cfg)
    secrets = c.secrets()
    # activity:write only when a feature that writes to Strava is on.
    scopes = oauth.scopes(write=cfg.strava.write_scope or "strava" in cfg.digest.post_to)
    if code is not None:
        the_code, granted, _state = oauth.parse_redirect(code)
        if granted is None:
            err.print("[yellow]Only a code was given, so the granted scopes are unknown; "
                      "paste the whole redirect URL to have them checked.[/]")
    else:
        the_code, granted = oauth.run_loopback(
            client_id, port=cfg.strava.redirect_port if port is None else port, scopes=scopes,
            api_host=cfg.strava.api_host, open_browser=not no_browser,
            echo=lambda msg: err.print(msg, soft_wrap=True),
        )
    tokens = oauth.exchange_code(
        client_id, client_secret, the_code, api_host=cfg.strava.api_host,
        granted_scopes=granted or [],
    )
    if tokens.athlete_id is None:
        raise AuthError("Strava's token answer did not say which athlete authorised.")
    name = ""
    if tokens.athlete:
        name = " ".join(
            str(tokens.athlete.get(k) or "") for k in ("firstname", "lastname")
        ).strip()
    athlete = c.store.ensure_athlete(strava_id=tokens.athlete_id, name=name)
    secrets.set(strava_token_key(tokens.athlete_id), tokens.to_dict())
    out.print(f"Authorised Strava athlete {tokens.athlete_id}"
              f"{f' ({name})' if name else ''} as store athlete {athlete.id}.")
    warning = oauth.missing_scope_warning(granted) if granted is not None else None
    if warning:
        err.print(f"[yellow]{warning}[/]")


def _strava_client(cfg: Config) -> tuple[int, str]:
    from syncd.sources.strava.factory import strava_client

    return strava_client(cfg)


# -- pull ----------------------------------------------------------------------------------
@app.command()
def pull(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        help="Backfill no further back than this date (YYYY-MM-DD).")] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Re-list the whole history (list pages only) to catch old edits "
        "and deletions.")] = False,
    no_wait: Annotated[bool, typer.Option(
        "--no-wait", help="Stop instead of waiting when the 15-minute rate window is spent.")
    ] = False,
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """Pull new and changed Strava activities into the store (one-shot)."""
    from syncd.app.pull import pull as pull_job
    from syncd.app.pull import sources_for

    c = _ctx(ctx)
    c.config  # noqa: B018 - a bad config is the first thing to say
    since_d = _parse_date(since, "--since") if since else None
    work = sources_for(c, athlete, waiter_for=lambda kind, who: _waiter(
        no_wait, kind.name, lambda: len(c.store.pending_streams(who.id, kind.name))))

    def synced(done: Any) -> None:  # before its changes are classified
        bar.pause()
        out.print(done.report.summary_line(), soft_wrap=True)

    with c.writer_lock("syncd pull"), _progress() as bar:
        outcome = pull_job(c, work, full=full, since=since_d, progress=bar, synced=synced)
    for done in outcome.pulls:
        _print_classified(done.classified)
    for done in outcome.pulls:
        if done.report.stopped == "interrupted":
            raise typer.Exit(130)
        if done.report.stopped:
            raise RateLimitStop(done.report.stopped, hint=f"{done.report.remaining} activities "
                                "remain; the next pull resumes.")


def _waiter(no_wait: bool, source: str = "", remaining=lambda: 0) -> Any:  # noqa: ANN001
    def wait(seconds: float, reason: str) -> None:
        if no_wait:
            raise RateLimitStop(
                f"{source.capitalize()}'s {reason}; stopped as asked (--no-wait). "
                f"{remaining()} activities still wait for streams.",
                hint="The next pull resumes where this one stopped.",
            )
        log.info("ratelimit.wait", seconds=round(seconds), reason=reason)
        deadline = time.monotonic() + seconds
        if err.is_terminal:
            with err.status("") as status:
                while (left := deadline - time.monotonic()) > 0:
                    status.update(f"{reason}: resuming in {int(left) // 60}:{int(left) % 60:02d}")
                    time.sleep(min(1.0, left))
        else:
            time.sleep(seconds)

    return wait


class _progress:
    """A progress bar on a terminal, nothing otherwise (journald wants events, not bars)."""

    def __enter__(self):  # noqa: ANN204
        self.bar: Progress | None = None
        self._start()
        return self

    def _start(self) -> None:
        if err.is_terminal:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), console=err, transient=True)
            self.bar.start()
            self.tasks: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            self._start()  # the next source, after a pause
            if self.bar is None:
                return
        if phase not in self.tasks:
            label = "Listing pages" if phase == "list" else "Fetching streams"
            self.tasks[phase] = self.bar.add_task(label, total=total or None)
        self.bar.update(self.tasks[phase], completed=done, total=total or None)

    def pause(self) -> None:
        """Off the screen until the next progress, so that a line can be printed."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self.pause()


# -- import --------------------------------------------------------------------------------
@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(
        help="FIT/GPX/TCX files (optionally .gz), folders of them, or Strava/Garmin "
        "export ZIP archives.")],
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Parallel parsers (default: import.workers, 0 = one per CPU).")] = None,
) -> None:
    """Import activity files without spending any API budget."""
    from syncd.app import files

    c = _ctx(ctx)
    n = files.worker_count(c, workers)  # reads the config: a bad one is the first thing to say
    files.check_paths(paths)
    who = c.athlete(athlete, create=True)
    with c.writer_lock("syncd import"):
        report, classified = files.import_files(c, who, paths, workers=n)
    _print_classified(classified)
    for e in report.errors:
        # One line per bad file in the command's output; the log has the structured event.
        out.print(f"[red]skipped[/] {redact(str(e))}", soft_wrap=True, highlight=False)
    out.print(report.summary_line(), soft_wrap=True)
    if report.errors and report.files == len(report.errors):
        raise typer.Exit(1)


# -- classification ------------------------------------------------------------------------
def _print_classified(report: Any) -> None:
    """New and changed activities are classified as part of the pull or import: say so."""
    if report is not None:
        out.print(report.summary_line(), soft_wrap=True)


@app.command("classify")
def classify_cmd(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        help="Re-classify activities from this local date (YYYY-MM-DD).")] = None,
    all_: Annotated[bool, typer.Option(
        "--all", help="Re-classify every stored activity.")] = False,
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """Classify activities again, after a threshold or classifier version change.

    Without options, only activities never classified by this classifier version.
    User labels (`syncd tag`) are kept.
    """
    from syncd.app.classify import reclassify

    if since and all_:
        raise UsageError("Give --since DATE or --all, not both.")
    c = _ctx(ctx)
    who = c.athlete(athlete)
    s = _parse_date(since, "--since") if since else None
    report = reclassify(c, who, since=s, everything=all_)
    out.print(report.summary_line(), soft_wrap=True)


@app.command()
def tag(
    ctx: typer.Context,
    activity_id: Annotated[str, typer.Argument(help="The id `syncd activities` prints.")],
    label: Annotated[str, typer.Argument(help="easy, hill, interval, long, race or other.")],
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """Set an activity's label by hand; re-classification never overwrites it."""
    from syncd.app.classify import tag as tag_job

    tag_job(_ctx(ctx), activity_id, label, athlete)
    out.print(f"{activity_id}: {label} (set by you)")


@app.command()
def show(
    ctx: typer.Context,
    activity_id: Annotated[str, typer.Argument(help="The id `syncd activities` prints.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """Show one activity with its label, the reasons for it and its reps."""
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {fmt!r}.")
    row, data = views.show(_ctx(ctx), activity_id, athlete)
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
        t = Table(title=f"{len(cl.reps)} reps")
        for name in ("#", "start", "time", "distance", "pace", "HR", "grade", "recovery"):
            t.add_column(name, justify="right")
        for i, rep in enumerate(cl.reps, start=1):
            rec = rep.get("recovery_s")
            recovery = (f"{_hms(rec)} {rep.get('recovery_kind') or ''}".strip()
                        if rec is not None else "-")
            hr = rep.get("mean_hr")
            grade = rep.get("mean_grade")
            t.add_row(str(i), _hms(rep["start_s"]), f"{rep['duration_s']:.0f} s",
                      f"{rep['distance_m']:.0f} m", _pace(rep["mean_speed"]),
                      f"{hr:.0f}" if hr else "-", f"{grade:.1f} %" if grade is not None else "-",
                      recovery)
        out.print(t)


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


# -- activities ----------------------------------------------------------------------------
@app.command()
def activities(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this local date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(
        help="Up to and including this local date (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    deleted: Annotated[bool, typer.Option(
        "--deleted", help="Show activities deleted upstream instead.")] = False,
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """List stored activities, oldest first."""
    if fmt not in ("table", "json", "csv"):
        raise UsageError(f"--format must be table, json or csv, not {fmt!r}.")
    s = _parse_date(since, "--since") if since else None
    u = _parse_date(until, "--until") if until else None
    records = views.activities(_ctx(ctx), athlete, since=s, until=u, deleted=deleted)
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


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} expects a date as YYYY-MM-DD, not {text!r}.") from None


# -- plan and digest -----------------------------------------------------------------------
@plan_app.command("check")
def plan_check(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(
        help="Plan file (default: plan.file from the config).")] = None,
) -> None:
    """Validate the plan file and print the weeks it describes."""
    from syncd.app.plan import load
    from syncd.plan import describe_plan

    plan = load(_ctx(ctx), file)
    race = f"; race: {plan.race.name} on {plan.race.date}" if plan.race else ""
    out.print(f"{plan.name}: {plan.start} to {plan.end}{race}", soft_wrap=True)
    for line in describe_plan(plan):
        out.print(line, soft_wrap=True, highlight=False)


@plan_app.command("import")
def plan_import(
    ctx: typer.Context,
    ics: Annotated[Path, typer.Argument(
        help="Calendar (.ics) exported from TrainingPeaks, intervals.icu or Final Surge.")],
    append: Annotated[bool, typer.Option(
        "--append", help="Append the sessions to plan.file instead of printing them.")] = False,
) -> None:
    """Turn a training calendar into dated [[session]] entries of a plan file."""
    from syncd.app.plan import append_to_plan, sessions_from_calendar

    c = _ctx(ctx)
    if not ics.is_file():
        raise UsageError(f"{ics}: no such file.")
    sessions, text, skipped = sessions_from_calendar(c, ics)
    if append:
        path = append_to_plan(c, text)
        out.print(f"appended {len(sessions)} sessions to {path}")
    else:
        sys.stdout.write(text)
    for event in skipped:
        err.print(f"skipped (no session type in its summary): {event}", soft_wrap=True,
                  highlight=False)


@app.command()
def match(
    ctx: typer.Context,
    activity_id: Annotated[str, typer.Argument(help="The id `syncd activities` prints.")],
    day: Annotated[str | None, typer.Argument(
        help="The planned session's date (YYYY-MM-DD) this run counts for.")] = None,
    remove: Annotated[bool, typer.Option(
        "--remove", help="Forget the hand-made match of this activity.")] = False,
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """Pin a run to a planned session by hand; automatic matching never undoes it."""
    from syncd.app.plan import pin, unpin

    c = _ctx(ctx)
    activity = views.find_activity(c, activity_id, athlete)
    if remove:
        out.print(f"{activity_id}: hand-made match removed" if unpin(c, activity)
                  else f"{activity_id} had no hand-made match")
        return
    if day is None:
        raise UsageError("Give the DATE of the planned session (or --remove).")
    d = _parse_date(day, "DATE")
    pin(c, activity, d)
    out.print(f"{activity_id} now counts for the session planned on {d}")


@app.command()
def digest(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option(
        help="ISO week, e.g. 2025-W11 (default: the last complete week).")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="text, markdown, html or json.")] = "text",
    post: Annotated[bool, typer.Option(
        "--post", help="Post to the sinks in digest.post_to (once per week and sink).")
    ] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --post: post again to sinks that already have this week.")
    ] = False,
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """The weekly adherence digest: planned sessions against what was run."""
    from syncd.app import digest as digests
    from syncd.digest import FORMATS, render
    from syncd.digest.text import print_text

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    c = _ctx(ctx)
    who = c.athlete(athlete)
    report = digests.week(c, who, week)
    if fmt == "text" and out.is_terminal:
        print_text(report, out)
    else:
        sys.stdout.write(render(report, fmt).rstrip("\n") + "\n")
    if post:
        cfg = c.config
        if not cfg.digest.post_to:
            raise ConfigError(f"Config file {cfg.source}: key 'digest.post_to' is empty: "
                              "expected Apprise URLs, file:///dir or \"strava\".")
        results = digests.post(c, who, report, force=force,
                               waiter=_waiter(no_wait=False))
        failed = [r for r in results if not r.ok]
        for r in results:
            state = "already posted" if r.skipped else ("posted" if r.ok else f"FAILED: {r.error}")
            err.print(f"{r.sink}: {state}", soft_wrap=True, highlight=False)
        if failed:
            raise SyncdError(f"{len(failed)} of {len(results)} digest sinks failed; "
                             "they are tried again on the next post.")


# -- the service -------------------------------------------------------------------------
@app.command("run")
def run_cmd(ctx: typer.Context) -> None:
    """Run as a service: pull on a schedule, classify, post the weekly digest (systemd-aware)."""
    from syncd.daemon import Daemon

    c = _ctx(ctx)
    raise typer.Exit(Daemon(c.config_path).run())


@app.command()
def status(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Health for people and monitoring: exit 0 healthy, 1 degraded, 2 broken."""
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {fmt!r}.")
    report = views.status(_ctx(ctx))
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    else:
        for line in report["lines"]:
            out.print(line, soft_wrap=True, highlight=False)
    raise typer.Exit(report["exit_code"])


# -- db ------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Migrate the database to the newest schema (the other commands also do it at start)."""
    from syncd.store.db import current_revision, make_engine, upgrade

    c = _ctx(ctx)
    engine = make_engine(c.config.database_url())
    ran = upgrade(engine)
    out.print(f"schema at revision {current_revision(engine)}"
              f"{' (upgraded)' if ran else ' (already current)'}")


@db_app.command("rederive")
def db_rederive(
    ctx: typer.Context,
    athlete: Annotated[str | None, typer.Option(
        help="Store id, Strava id or name, when several athletes are stored.")] = None,
) -> None:
    """Rebuild stored activities' columns from their raw JSON, offline (after a converter fix).

    No API calls and no files needed; activities whose columns changed are classified again.
    """
    from syncd.app.files import rederive

    c = _ctx(ctx)
    if not c.store.athletes():
        out.print("rederived 0 activities: 0 changed")
        return
    who = c.athlete(athlete)
    with c.writer_lock("syncd db rederive"):
        report, classified = rederive(c, who)
    out.print(report.summary_line(), soft_wrap=True)
    _print_classified(classified)


# -- entry point ---------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    """Run the CLI and map errors to messages and exit codes by their kind
    (`syncd.errors.KINDS`: 1 transient/crash, 2 bad input, 3 auth/subscription, 4 rate limit,
    5 writer lock busy; 130 interrupted)."""
    try:
        rv = app(args=argv, prog_name="syncd", standalone_mode=False)
    except SyncdError as exc:
        err.print(f"[bold red]error:[/] {redact(str(exc))}", soft_wrap=True, highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:  # usage errors: typer's own message, exit 2
        show = getattr(exc, "show", None)
        if show:
            show()
        else:
            err.print(f"error: {exc.format_message()}")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)

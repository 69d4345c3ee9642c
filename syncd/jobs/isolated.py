"""Run one daemon job in a child process, so the resident daemon stays small.

A pull imports stravalib, numpy and the classifier (together ~45 MB that would otherwise stay
resident for months between pulls). The child reports progress (for the watchdog) through a
pipe, checks a shared stop flag between activities (SIGTERM to the daemon), and sends back its
summary or the user error it hit; the parent re-raises that error with the same class when
it is one of `syncd.errors`, and always with the same `kind` (which decides exit code, back-off
and health), whatever module the class lives in.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from syncd import errors

_CTX = mp.get_context("spawn")


JobCrashed = errors.JobCrashed


def run_isolated(
    job: str,
    config_path: Path | None,
    params: dict[str, Any],
    *,
    stop: Any,
    on_progress: Callable[[], None],
    on_status: Callable[[str], None] = lambda _t: None,
    poll_s: float = 0.5,
) -> tuple[str, dict[str, Any]]:
    """Run `job` ("pull", "digest", "watch") in a child; returns (summary, result)."""
    parent, child = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(job, config_path, params, child, stop),
                        name=f"syncd-{job}", daemon=True)
    proc.start()
    child.close()
    outcome: tuple[Any, ...] | None = None
    try:
        while outcome is None:
            if parent.poll(poll_s):
                try:
                    msg = parent.recv()
                except EOFError:
                    break
                if msg[0] == "progress":
                    on_progress()
                elif msg[0] == "status":
                    on_status(msg[1])
                else:
                    outcome = msg
            elif not proc.is_alive():
                break
    finally:
        proc.join(timeout=60)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if outcome is None:
        raise JobCrashed(f"the {job} job's process ended without a result "
                         f"(exit code {proc.exitcode})")
    if outcome[0] == "ok":
        return outcome[1], outcome[2]
    raise rebuild_error(*outcome[1:])


def rebuild_error(kind: str, cls_name: str, message: str, hint: str | None,
                  ) -> errors.SyncdError:
    """The child's error in the parent: its own class when `syncd.errors` has it, else a
    SyncdError of the same kind (so exit code, back-off and health stay right)."""
    cls = getattr(errors, cls_name, None)
    if isinstance(cls, type) and issubclass(cls, errors.SyncdError) and cls is not \
            errors.FileImportError and cls.kind == kind:
        return cls(message, hint=hint)
    return errors.SyncdError(message, hint=hint, kind=kind)


def _child(job: str, config_path: Path | None, params: dict[str, Any], conn: Any,
           stop: Any) -> None:
    # systemd sends SIGTERM to the whole cgroup: finish the current activity, like the parent.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from syncd.config import load_config
    from syncd.logs import configure_logging

    cfg = load_config(config_path)
    configure_logging(level=cfg.logging.level,
                      json=None if cfg.logging.format == "auto" else cfg.logging.format == "json")
    import structlog

    log = structlog.get_logger("syncd.daemon")
    try:
        summary, result = JOBS[job](cfg, params, conn, stop)
        conn.send(("ok", summary, result))
    except errors.SyncdError as exc:
        conn.send(("error", exc.kind, type(exc).__name__, exc.message, exc.hint))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, logged with traceback
        log.exception("daemon.job_crashed", job=job)
        conn.send(("error", "crash", "JobCrashed", f"{type(exc).__name__} (see the log)", None))
    finally:
        conn.close()


def _store(cfg: Any) -> Any:
    from syncd.store.db import open_store
    from syncd.store.repo import Store

    return Store(open_store(cfg.database_url()))


def _pull(cfg: Any, params: dict[str, Any], conn: Any, stop: Any) -> tuple[str, dict[str, Any]]:
    """Every registered source, for every athlete linked to it, through the one sync loop."""
    from syncd.jobs.classify import classify_activities
    from syncd.jobs.sync import SyncOptions, sync
    from syncd.secrets import open_secret_store
    from syncd.sources.registry import api_sources

    store = _store(cfg)
    work = [(kind, who) for kind in api_sources() for who in kind.athletes(store)]
    if not work:
        raise errors.AuthError("Nothing to pull: no source is linked to an athlete (not "
                               "authorised yet): run `syncd auth strava`.")
    secrets = open_secret_store(cfg.secrets.backend, cfg.secrets_path(),
                                cfg.secrets.keyring_backend)

    def wait(seconds: float, reason: str) -> None:
        conn.send(("status", f"{reason}: waiting {round(seconds / 60)} min"))
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if stop.wait(min(5.0, left)):
                raise errors.RateLimitStop("stopping during a rate-limit wait")
            conn.send(("progress",))

    totals = {"new": 0, "updated": 0, "deleted": 0, "api_calls": 0}
    budget: dict[str, Any] = {}
    stopped = None
    for kind, who in work:
        source = kind.build(cfg, secrets, who, wait)
        opts = SyncOptions(full=bool(params.get("full")), overlap_days=kind.overlap_days(cfg),
                           default_tz=cfg.athlete.timezone)
        report = sync(store, who, source, opts, progress=lambda *_: conn.send(("progress",)),
                      should_stop=stop.is_set)
        classify_activities(store, who, report.changed_ids, profile=cfg.profile(),
                            thresholds=cfg.thresholds())
        for k in totals:
            totals[k] += getattr(report, k)
        budget = report.budget
        stopped = stopped or report.stopped
    summary = f"{totals['new']} new, {totals['updated']} updated, {totals['deleted']} deleted"
    if stopped and stopped != "stopping":
        summary += f" (stopped: {stopped})"
    return summary, {**totals, "budget": budget}


def _digest(cfg: Any, params: dict[str, Any], conn: Any, stop: Any) -> tuple[str, dict[str, Any]]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from syncd.jobs.digest import iso_week_of, last_complete_week, post_week, week_report
    from syncd.plan import load_plan

    store = _store(cfg)
    week = last_complete_week(datetime.now(ZoneInfo(cfg.athlete.timezone)).date())
    plan = load_plan(cfg.plan.file) if cfg.plan.file else None
    failed = 0
    for who in store.athletes():
        report = week_report(store, who, week, plan)
        sinks, poster = list(cfg.digest.post_to), None
        if "strava" in sinks:
            if who.strava_id is None:
                sinks.remove("strava")  # a files-only athlete has no Strava activities
            else:
                from syncd.jobs.digest import strava_description_poster
                from syncd.secrets import open_secret_store
                from syncd.sources.strava.factory import strava_api

                secrets = open_secret_store(cfg.secrets.backend, cfg.secrets_path(),
                                            cfg.secrets.keyring_backend)
                api, _scopes, _tokens = strava_api(cfg, store, secrets, who)
                poster = strava_description_poster(api)
        results = post_week(store, who, report, sinks, strava_poster=poster)
        failed += sum(1 for r in results if not r.ok)
        conn.send(("progress",))
    if failed:
        raise errors.SyncdError(f"{failed} digest sinks failed; tried again on the next run")
    return f"digest {iso_week_of(week)} posted", {"week": iso_week_of(week)}


def _watch(cfg: Any, params: dict[str, Any], conn: Any, stop: Any) -> tuple[str, dict[str, Any]]:
    from syncd.jobs.classify import classify_activities
    from syncd.jobs.importer import import_files

    folder = cfg.imports.watch
    if folder is None or not folder.is_dir():
        return "watch folder not mounted", {"files": []}
    seen = set(params.get("seen") or [])
    fresh = sorted(p for p in folder.iterdir() if p.is_file() and str(p) not in seen)
    if not fresh:
        return "no new files", {"files": []}
    store = _store(cfg)
    who = store.resolve_athlete(None, create=True)
    report = import_files(store, who, fresh, default_tz=cfg.athlete.timezone,
                          on_item=lambda *_: conn.send(("progress",)))
    classify_activities(store, who, report.changed_ids, profile=cfg.profile(),
                        thresholds=cfg.thresholds())
    return report.summary_line(), {"new": report.new, "files": [str(p) for p in fresh]}


JOBS: dict[str, Callable[..., tuple[str, dict[str, Any]]]] = {
    "pull": _pull, "digest": _digest, "watch": _watch,
}

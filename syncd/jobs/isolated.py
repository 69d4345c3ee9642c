"""Run one daemon job in a child process, so the resident daemon stays small.

A pull imports stravalib, numpy and the classifier (together ~45 MB that would otherwise stay
resident for months between pulls). The child only runs application jobs (`syncd.app`): the
wiring of config, store, secrets and sources is theirs, as it is for the CLI. The child
reports progress (for the watchdog) through a pipe, checks a shared stop flag between
activities (SIGTERM to the daemon), and sends back its summary or the user error it hit; the
parent re-raises that error with the same class when it is one of `syncd.errors`, and always
with the same `kind` (which decides exit code, back-off and health), whatever module the class
lives in.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncd import errors

if TYPE_CHECKING:
    from syncd.app import App

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
    from syncd.app import App
    from syncd.config import load_config
    from syncd.logs import configure_logging

    cfg = load_config(config_path)
    configure_logging(level=cfg.logging.level,
                      json=None if cfg.logging.format == "auto" else cfg.logging.format == "json")
    import structlog

    log = structlog.get_logger("syncd.daemon")
    try:
        summary, result = JOBS[job](App(config_path, config=cfg), params, conn, stop)
        conn.send(("ok", summary, result))
    except errors.SyncdError as exc:
        conn.send(("error", exc.kind, type(exc).__name__, exc.message, exc.hint))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, logged with traceback
        log.exception("daemon.job_crashed", job=job)
        conn.send(("error", "crash", "JobCrashed", f"{type(exc).__name__} (see the log)", None))
    finally:
        conn.close()


def _pull(app: App, params: dict[str, Any], conn: Any, stop: Any) -> tuple[str, dict[str, Any]]:
    """Every registered source, for every athlete linked to it (syncd.app.pull)."""
    from syncd.app.pull import every_source, pull

    def wait(seconds: float, reason: str) -> None:
        conn.send(("status", f"{reason}: waiting {round(seconds / 60)} min"))
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if stop.wait(min(5.0, left)):
                raise errors.RateLimitStop("stopping during a rate-limit wait")
            conn.send(("progress",))

    work = every_source(app, waiter_for=lambda _kind, _who: wait)
    outcome = pull(app, work, full=bool(params.get("full")),
                   progress=lambda *_: conn.send(("progress",)), should_stop=stop.is_set)
    totals = outcome.totals()
    summary = f"{totals['new']} new, {totals['updated']} updated, {totals['deleted']} deleted"
    if outcome.stopped and outcome.stopped != "stopping":
        summary += f" (stopped: {outcome.stopped})"
    return summary, {**totals, "budget": outcome.budget}


def _digest(app: App, params: dict[str, Any], conn: Any, stop: Any) -> tuple[str, dict[str, Any]]:
    """Last week's digest, for every athlete, to every sink (syncd.app.digest)."""
    from syncd.app.digest import post_last_week

    week, failed = post_last_week(app, on_athlete=lambda: conn.send(("progress",)))
    if failed:
        raise errors.SyncdError(f"{failed} digest sinks failed; tried again on the next run")
    return f"digest {week} posted", {"week": week}


def _watch(app: App, params: dict[str, Any], conn: Any, stop: Any) -> tuple[str, dict[str, Any]]:
    """The files new in the watched folder (syncd.app.files)."""
    from syncd.app.files import import_files, new_watched_files

    fresh = new_watched_files(app, params.get("seen") or [])
    if fresh is None:
        return "watch folder not mounted", {"files": []}
    if not fresh:
        return "no new files", {"files": []}
    who = app.athlete(None, create=True)
    report, _classified = import_files(app, who, fresh,
                                       on_item=lambda *_: conn.send(("progress",)))
    return report.summary_line(), {"new": report.new, "files": [str(p) for p in fresh]}


JOBS: dict[str, Callable[..., tuple[str, dict[str, Any]]]] = {
    "pull": _pull, "digest": _digest, "watch": _watch,
}

"""`syncd run`: the resident service. A thin shell: schedules the same jobs the CLI runs.

- APScheduler 3.x with explicit misfire grace times (its default of 1 s would drop a pull the
  machine was too busy to start on the second), one worker thread (one writer), no persistent
  job store: last runs live in syncd's own store (`job_state`) and are caught up at start-up.
- systemd: READY=1 once started, STATUS= after every job, WATCHDOG=1 only while no job is stuck
  (syncd.notify.Watchdog), STOPPING=1 on SIGTERM. SIGHUP reloads the config and the plan.
- A job that raises is one structured log event; the daemon never dies of it. Failures back
  off exponentially; auth/subscription failures cap at 6 h and alert the digest sinks once.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from syncd import notify
from syncd.app import App
from syncd.config import Config, load_config, parse_duration, parse_weekly
from syncd.errors import SyncdError
from syncd.store.repo import Store
from syncd.store.tables import JobState, utcnow

log = structlog.get_logger("syncd.daemon")

BACKOFF_BASE_S = 60.0
BACKOFF_CAP_S = 3600.0
AUTH_BACKOFF_CAP_S = 6 * 3600.0
# A job must show progress (an activity, a page, a file) at least this often, else the
# watchdog stops pinging and systemd restarts the service.
JOB_DEADLINE_S = {"pull": 900.0, "full_relist": 900.0, "digest": 600.0, "watch": 900.0}


class Daemon:
    def __init__(self, config_path: Path | None, *, tick_s: float = 1.0) -> None:
        self.config_path = config_path
        self.tick_s = tick_s
        # Shared with the job's child process: it stops between activities when this is set.
        self.stop_event = multiprocessing.get_context("spawn").Event()
        self._stop_requested = False
        self.reload_requested = threading.Event()
        self.watchdog = notify.Watchdog()
        # A bad config exits non-zero at start; the store is opened (and migrated) at start too.
        self.app = App(config_path, config=load_config(config_path))
        self.app.store  # noqa: B018
        self.scheduler: BackgroundScheduler | None = None
        self._seen_files: set[str] = set()
        # Set by a finished job, handled by the main loop: asking the scheduler for its next
        # runs from a job thread deadlocks while the scheduler shuts down.
        self._job_done = threading.Event()

    @property
    def cfg(self) -> Config:
        return self.app.config

    @property
    def store(self) -> Store:
        return self.app.store

    # -- lifecycle ------------------------------------------------------------------------
    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_reload)
        self.scheduler = self._schedule(self.cfg)
        self.scheduler.start()
        self._catch_up()
        notify.ready(self._status_text())
        log.info("daemon.ready", status=self._status_text())
        while not self._stop_requested:
            time.sleep(self.tick_s)
            if self.reload_requested.is_set():
                self.reload_requested.clear()
                self._reload()
            if self._job_done.is_set():
                self._job_done.clear()
                self._record_next_runs(self.scheduler)
                notify.status(self._status_text())
            try:
                self.watchdog.tick()
            except notify.NotifyError as exc:
                log.warning("daemon.notify_failed", error=str(exc))
        # Set here, not in the signal handler: a multiprocessing Event takes locks that the
        # interrupted main thread may hold.
        self.stop_event.set()
        notify.stopping()
        log.info("daemon.stopping")
        # The running job sees stop_event between activities and ends after its transaction.
        self.scheduler.shutdown(wait=True)
        log.info("daemon.stopped")
        return 0

    def _on_stop(self, signum: int, _frame: Any) -> None:
        self._stop_requested = True

    def _on_reload(self, signum: int, _frame: Any) -> None:
        self.reload_requested.set()

    def _reload(self) -> None:
        """SIGHUP: a new config (and plan) replaces the old one only if it is valid."""
        notify.reloading()
        try:
            app = self.app.reconfigured(load_config(self.config_path))
            from syncd.app.digest import plan

            plan(app)  # a bad plan is rejected with its config
        except SyncdError as exc:
            log.error("daemon.reload_rejected", error=str(exc), note="keeping the old config")
            notify.notify(READY=1, STATUS=f"reload rejected: {exc.message[:200]}")
            return
        assert self.scheduler is not None
        self.scheduler.remove_all_jobs()
        self.app = app
        self._add_jobs(self.scheduler, app.config)
        log.info("daemon.reloaded")
        notify.notify(READY=1, STATUS=self._status_text())

    # -- scheduling -------------------------------------------------------------------------
    def _schedule(self, cfg: Config) -> BackgroundScheduler:
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=ZoneInfo(cfg.athlete.timezone),
        )
        self._add_jobs(scheduler, cfg)
        return scheduler

    def _add_jobs(self, scheduler: BackgroundScheduler, cfg: Config) -> None:
        tz = ZoneInfo(cfg.athlete.timezone)
        every = parse_duration(cfg.schedule.pull_every)
        scheduler.add_job(
            self._job, IntervalTrigger(seconds=every, jitter=min(120, every / 10), timezone=tz),
            args=["pull", self._pull], id="pull", misfire_grace_time=900,
            next_run_time=datetime.now(tz) + timedelta(seconds=2),  # catch up at start
        )
        day, hour, minute, second = parse_weekly(cfg.schedule.full_relist)
        scheduler.add_job(
            self._job, CronTrigger(day_of_week=day, hour=hour, minute=minute, second=second,
                                   timezone=tz),
            args=["full_relist", lambda: self._pull(full=True)], id="full_relist",
            misfire_grace_time=6 * 3600,
        )
        day, hour, minute, second = parse_weekly(cfg.schedule.digest)
        scheduler.add_job(
            self._job, CronTrigger(day_of_week=day, hour=hour, minute=minute, second=second,
                                   timezone=tz),
            args=["digest", self._digest], id="digest", misfire_grace_time=12 * 3600,
        )
        if cfg.imports.watch:
            scheduler.add_job(
                self._job, IntervalTrigger(seconds=60, timezone=tz),
                args=["watch", self._watch], id="watch", misfire_grace_time=300,
            )
        self._record_next_runs(scheduler)

    def _record_next_runs(self, scheduler: BackgroundScheduler) -> None:
        for job in scheduler.get_jobs():
            state = self.store.job_state(job.id)
            nxt = getattr(job, "next_run_time", None)
            if nxt is None and hasattr(job.trigger, "get_next_fire_time"):
                nxt = job.trigger.get_next_fire_time(None, datetime.now(UTC))
            state.next_run_at = nxt.astimezone(UTC) if nxt else None
            self.store.save_job_state(state)

    def _catch_up(self) -> None:
        """A digest missed while the server was off is posted when it comes back."""
        if not self.cfg.digest.post_to:
            return
        from syncd.jobs.digest import iso_week_of, last_complete_week

        tz = ZoneInfo(self.cfg.athlete.timezone)
        now = datetime.now(tz)
        day, hour, minute, second = parse_weekly(self.cfg.schedule.digest)
        this_week_digest = (now - timedelta(days=now.weekday())).replace(
            hour=hour, minute=minute, second=second, microsecond=0
        ) + timedelta(days=("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(day))
        if now < this_week_digest:
            return
        week = last_complete_week(now.date())
        state = self.store.job_state("digest")
        last = state.result.get("week") if state.result else None
        if last != iso_week_of(week):
            assert self.scheduler is not None
            self.scheduler.add_job(self._job, args=["digest", self._digest], id="digest-catch-up",
                                   misfire_grace_time=12 * 3600)
            log.info("daemon.catch_up", job="digest", week=iso_week_of(week))

    # -- the job wrapper --------------------------------------------------------------------
    def _job(self, name: str, fn: Callable[[], tuple[str, dict[str, Any]]]) -> None:
        if self.stop_event.is_set():
            return
        state = self.store.job_state(name)
        now = utcnow()
        if state.retry_at is not None and _aware(state.retry_at) > now:
            log.info("daemon.job_backing_off", job=name, until=state.retry_at.isoformat())
            return
        state.last_started_at = now
        self.store.save_job_state(state)
        self.watchdog.job_started(name, JOB_DEADLINE_S.get(name, 900.0))
        try:
            with self.app.writer_lock(f"syncd run: {name}", timeout=300):
                summary, result = fn()
        except Exception as exc:  # noqa: BLE001 - the daemon never dies of a job
            self._failed(state, name, exc)
        else:
            state.ok = True
            state.error_kind = None
            state.summary = summary
            state.result = result
            state.failures = 0
            state.retry_at = None
            state.alerted = False
            state.last_ok_at = utcnow()
            log.info("daemon.job_done", job=name, summary=summary)
        finally:
            self.watchdog.job_finished(name)
            state.last_finished_at = utcnow()
            self.store.save_job_state(state)
            self._job_done.set()

    def _failed(self, state: JobState, name: str, exc: Exception) -> None:
        state.ok = False
        state.failures += 1
        state.error_kind = exc.kind if isinstance(exc, SyncdError) else "crash"
        fatal = state.error_kind in ("auth", "subscription")
        cap = AUTH_BACKOFF_CAP_S if fatal else BACKOFF_CAP_S
        delay = min(cap, BACKOFF_BASE_S * 2 ** (state.failures - 1))
        state.retry_at = utcnow() + timedelta(seconds=delay)
        state.summary = f"failed: {exc}" if isinstance(exc, SyncdError) else (
            f"failed: {type(exc).__name__}")
        if isinstance(exc, SyncdError):
            log.error("daemon.job_failed", job=name, error=str(exc), retry_in_s=delay)
        else:
            log.exception("daemon.job_crashed", job=name, retry_in_s=delay)
        if fatal and not state.alerted:
            state.alerted = self._alert(f"syncd: {name} needs you", str(exc))

    def _alert(self, title: str, body: str) -> bool:
        """Once per run of auth/subscription failures, through the digest's Apprise sinks."""
        from syncd.digest.sinks import send_alert

        try:
            return send_alert(self.cfg.digest.post_to, title, body)
        except Exception:  # noqa: BLE001 - an alert must not take the daemon down
            log.exception("daemon.alert_failed")
            return False

    # -- jobs: each runs in a child process (see syncd.jobs.isolated) ------------------------
    def _isolated(self, job: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        from syncd.jobs.isolated import run_isolated

        return run_isolated(job, self.config_path, params, stop=self.stop_event,
                            on_progress=self.watchdog.progress, on_status=notify.status)

    def _pull(self, full: bool = False) -> tuple[str, dict[str, Any]]:
        return self._isolated("pull", {"full": full})

    def _digest(self) -> tuple[str, dict[str, Any]]:
        return self._isolated("digest", {})

    def _watch(self) -> tuple[str, dict[str, Any]]:
        summary, result = self._isolated("watch", {"seen": sorted(self._seen_files)})
        self._seen_files.update(result.get("files") or [])
        return summary, result

    # -- status -----------------------------------------------------------------------------
    def _status_text(self) -> str:
        tz = ZoneInfo(self.cfg.athlete.timezone)
        pull = self.store.job_state("pull")
        parts = []
        if not any(a.strava_id for a in self.store.athletes()):
            parts.append("Strava not authorised: run `syncd auth strava`")
        if pull.last_finished_at:
            when = _aware(pull.last_finished_at).astimezone(tz).strftime("%H:%M")
            parts.append(f"last pull {when}, {pull.summary}")
        if pull.next_run_at:
            parts.append(f"next {_aware(pull.next_run_at).astimezone(tz).strftime('%H:%M')}")
        return "; ".join(parts) or "started"


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def run(config_path: Path | None) -> int:
    return Daemon(config_path).run()

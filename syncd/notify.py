"""systemd's notify protocol (sd_notify) without libsystemd, and a watchdog that can't lie.

Why our own: the protocol is one datagram of ``KEY=VALUE`` lines to the AF_UNIX socket named by
``$NOTIFY_SOCKET``, and the sdnotify package is unmaintained and swallows every error, so a
broken notify socket would look like a hung daemon. Here "not under systemd" (no
``$NOTIFY_SOCKET``) is a quiet ``False`` and a real send failure raises `NotifyError`.

Why `Watchdog` rather than a timer thread that pings every few seconds: such a thread keeps
pinging while a pull hangs on a dead connection, so systemd's ``WatchdogSec=`` never fires.
`Watchdog.tick()` runs in the main loop and pings only while every running job has shown
progress within its own deadline, so a hung job (or a hung main loop) stops the pings and
systemd restarts the service.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import structlog

__all__ = [
    "NotifyError",
    "Watchdog",
    "notify",
    "ready",
    "reloading",
    "status",
    "stopping",
    "watchdog",
    "watchdog_interval",
]

log = structlog.get_logger("syncd.notify")

_KEY = re.compile(r"[A-Z][A-Z0-9_]*")


class NotifyError(Exception):
    """$NOTIFY_SOCKET is set but unusable: systemd will not hear READY=1 or the watchdog."""


def _address(raw: str) -> str | bytes:
    """A path, or an abstract socket: systemd writes its leading NUL byte as '@'."""
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    if raw.startswith("/"):
        return raw
    # systemd 253+ may also hand out "vsock:CID:PORT" (VMs); a service on a host never gets one.
    raise NotifyError(
        f"NOTIFY_SOCKET={raw!r} is neither a socket path nor an abstract socket ('@...'); "
        "syncd speaks only AF_UNIX."
    )


def notify(**fields: str | int) -> bool:
    """Send one notification, e.g. ``notify(READY=1, STATUS="pulling")``.

    Returns False when not under systemd (no $NOTIFY_SOCKET), True once the datagram is sent.
    Raises `NotifyError` when the socket is set but the send fails, and ValueError for a key
    that is not upper case or a value with a newline (either would garble the protocol).
    """
    if not fields:
        raise ValueError("notify() needs at least one KEY=VALUE field")
    lines = []
    for key, value in fields.items():
        text = str(value)
        if not _KEY.fullmatch(key):
            raise ValueError(f"notify field names are upper case, like READY, not {key!r}")
        if "\n" in text:
            raise ValueError(f"notify field {key} must be one line")
        lines.append(f"{key}={text}")
    raw = os.environ.get("NOTIFY_SOCKET")
    if not raw:
        return False
    address = _address(raw)
    payload = "\n".join(lines).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sent = sock.sendto(payload, address)
    except OSError as exc:
        raise NotifyError(
            f"cannot notify systemd through NOTIFY_SOCKET={raw!r}: {exc.strerror or exc}"
        ) from exc
    if sent != len(payload):  # a datagram goes whole or not at all; never seen, but say so
        raise NotifyError(f"systemd notify socket took {sent} of {len(payload)} bytes")
    return True


def ready(status_text: str | None = None) -> bool:
    """Startup is done: the unit becomes active and `systemctl start` returns (Type=notify)."""
    if status_text is None:
        return notify(READY=1)
    return notify(READY=1, STATUS=status_text)


def status(text: str) -> bool:
    """A one-line state shown by `systemctl status` (e.g. "pulling: 120/3000 activities")."""
    return notify(STATUS=text)


def stopping() -> bool:
    """Shutdown has begun, so systemd does not mistake the wind-down for a hang."""
    return notify(STOPPING=1)


def reloading() -> bool:
    """A SIGHUP reload has begun; send `ready()` when it is done (MONOTONIC_USEC: systemd 253+)."""
    return notify(RELOADING=1, MONOTONIC_USEC=time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000)


def watchdog() -> bool:
    """One keep-alive ping. Call it through `Watchdog.tick()`, which knows whether we are alive."""
    return notify(WATCHDOG=1)


def watchdog_interval() -> float | None:
    """Seconds between pings: half of $WATCHDOG_USEC, as sd_watchdog_enabled() advises.

    None when systemd expects no pings: no or a bad $WATCHDOG_USEC, or $WATCHDOG_PID naming
    another process (a child that inherited the environment must not ping for its parent).
    """
    pid = os.environ.get("WATCHDOG_PID")
    if pid is not None and (not pid.strip().isdigit() or int(pid) != os.getpid()):
        return None
    usec = os.environ.get("WATCHDOG_USEC", "").strip()
    if not usec.isdigit() or int(usec) == 0:
        return None
    return int(usec) / 2 / 1_000_000


@dataclass
class _Job:
    name: str
    deadline_s: float
    last_progress: float
    reported: bool = False


class Watchdog:
    """Pings systemd's watchdog only while no job is stuck.

    The daemon calls `job_started(name, deadline_s)` when a job begins, `progress()` from the
    job whenever it gets something done (an activity pulled, a page listed), `job_finished()`
    at the end, and `tick()` from its main loop every second or so. A job is stuck once more
    than its own deadline has passed since it started or last reported progress; while one is,
    `tick()` sends nothing, and systemd restarts the service after WatchdogSec=. A hung job is
    therefore caught after its deadline plus WatchdogSec at most.

    Jobs may run in other threads. `progress()` and `job_finished()` without a name mean the
    only running job; with several running, name it.
    """

    def __init__(
        self,
        interval: float | None | Literal["env"] = "env",
        *,
        clock: Callable[[], float] = time.monotonic,
        send: Callable[[], bool] = watchdog,
    ) -> None:
        self.interval = watchdog_interval() if interval == "env" else interval
        self._clock = clock
        self._send = send
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._last_ping: float | None = None

    @property
    def enabled(self) -> bool:
        """Whether systemd expects pings at all (WatchdogSec= set for this process)."""
        return self.interval is not None

    def job_started(self, name: str, deadline_s: float) -> None:
        """A job begins; it must show progress at least every `deadline_s` seconds."""
        if deadline_s <= 0:
            raise ValueError(f"job {name!r}: deadline_s must be positive, not {deadline_s}")
        with self._lock:
            if name in self._jobs:
                raise ValueError(f"job {name!r} is already running")
            self._jobs[name] = _Job(name, float(deadline_s), self._clock())

    def progress(self, name: str | None = None) -> None:
        """The job got something done: its deadline starts again. No job running: nothing."""
        with self._lock:
            job = self._pick(name)
            if job is None:
                return
            job.last_progress = self._clock()
            if job.reported:
                job.reported = False
                log.info("watchdog.job_resumed", job=job.name)

    def job_finished(self, name: str | None = None) -> None:
        """The job is over (done or failed): it no longer holds the pings back."""
        with self._lock:
            job = self._pick(name)
            if job is not None:
                del self._jobs[job.name]

    def stalled(self, now: float | None = None) -> list[str]:
        """Names of the running jobs past their deadline without progress."""
        now = self._clock() if now is None else now
        with self._lock:
            return [j.name for j in self._jobs.values() if now - j.last_progress > j.deadline_s]

    def tick(self, now: float | None = None) -> bool:
        """Ping if the interval has passed and no job is stuck; returns whether it pinged.

        A failing notify socket raises `NotifyError`: the daemon decides whether that is fatal.
        """
        if self.interval is None:
            return False
        now = self._clock() if now is None else now
        with self._lock:
            stuck = [j for j in self._jobs.values() if now - j.last_progress > j.deadline_s]
            for job in stuck:
                if not job.reported:
                    job.reported = True
                    log.warning(
                        "watchdog.job_stuck", job=job.name, deadline_s=job.deadline_s,
                        silent_s=round(now - job.last_progress, 1),
                        note="no more watchdog pings: systemd restarts the service after "
                        "WatchdogSec unless the job shows progress first",
                    )
            if stuck:
                return False
            if self._last_ping is not None and now - self._last_ping < self.interval:
                return False
        if not self._send():
            return False
        self._last_ping = now
        return True

    def _pick(self, name: str | None) -> _Job | None:
        if name is not None:
            return self._jobs.get(name)
        if len(self._jobs) > 1:
            raise ValueError(f"several jobs are running ({', '.join(self._jobs)}): name one")
        return next(iter(self._jobs.values()), None)

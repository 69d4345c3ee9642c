"""syncd.notify against a real AF_UNIX datagram socket standing in for systemd's.

The watchdog tests drive an injected clock: no test sleeps.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd import notify
from syncd.notify import NotifyError, Watchdog


class Listener:
    """The systemd end: a datagram socket the test owns, named by $NOTIFY_SOCKET."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        sock.settimeout(2)

    def recv(self) -> str:
        return self.sock.recv(4096).decode()

    def pending(self) -> list[str]:
        """Every datagram waiting, without blocking."""
        got = []
        self.sock.setblocking(False)
        try:
            while True:
                got.append(self.sock.recv(4096).decode())
        except BlockingIOError:
            return got
        finally:
            self.sock.settimeout(2)


@pytest.fixture
def path_socket(monkeypatch, tmp_path) -> Iterator[Listener]:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        yield Listener(sock)


@pytest.fixture
def abstract_socket(monkeypatch) -> Iterator[Listener]:
    name = f"syncd-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(b"\0" + name.encode())
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        yield Listener(sock)


@pytest.fixture(autouse=True)
def _no_systemd(monkeypatch):
    """Start every test outside systemd, whatever the environment running pytest has."""
    for var in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"):
        monkeypatch.delenv(var, raising=False)


# -- the protocol ------------------------------------------------------------------------
def test_ready_status_stopping_watchdog_datagrams_on_a_path_socket(path_socket):
    assert notify.ready() is True
    assert path_socket.recv() == "READY=1"
    assert notify.status("pulling: 3/120 activities") is True
    assert path_socket.recv() == "STATUS=pulling: 3/120 activities"
    assert notify.watchdog() is True
    assert path_socket.recv() == "WATCHDOG=1"
    assert notify.stopping() is True
    assert path_socket.recv() == "STOPPING=1"
    assert path_socket.pending() == []


def test_abstract_socket_at_sign_means_leading_nul(abstract_socket):
    assert notify.ready("up: 2 athletes") is True
    assert abstract_socket.recv() == "READY=1\nSTATUS=up: 2 athletes"
    assert notify.watchdog() is True
    assert abstract_socket.recv() == "WATCHDOG=1"


def test_several_fields_are_one_datagram_in_order(path_socket):
    assert notify.notify(STATUS="reloading config", RELOADING=1) is True
    assert path_socket.recv() == "STATUS=reloading config\nRELOADING=1"
    assert path_socket.pending() == []


def test_reloading_carries_the_monotonic_clock(path_socket):
    assert notify.reloading() is True
    first, second = path_socket.recv().split("\n")
    assert first == "RELOADING=1"
    key, value = second.split("=")
    assert key == "MONOTONIC_USEC" and int(value) > 0


def test_not_under_systemd_is_false_and_sends_nothing():
    assert "NOTIFY_SOCKET" not in os.environ
    assert notify.ready() is False
    assert notify.status("x") is False
    assert notify.stopping() is False
    assert notify.watchdog() is False


def test_empty_notify_socket_counts_as_not_under_systemd(monkeypatch):
    monkeypatch.setenv("NOTIFY_SOCKET", "")
    assert notify.ready() is False


def test_a_socket_nobody_listens_on_raises_clearly(monkeypatch, tmp_path: Path):
    gone = tmp_path / "gone.sock"
    monkeypatch.setenv("NOTIFY_SOCKET", str(gone))
    with pytest.raises(NotifyError, match="gone.sock") as info:
        notify.ready()
    assert isinstance(info.value.__cause__, OSError)


def test_an_unsupported_address_raises_clearly(monkeypatch):
    monkeypatch.setenv("NOTIFY_SOCKET", "vsock:2:1234")
    with pytest.raises(NotifyError, match="AF_UNIX"):
        notify.ready()


@pytest.mark.parametrize("fields", [{"ready": 1}, {"STATUS": "two\nlines"}, {}])
def test_malformed_fields_are_refused_before_anything_is_sent(path_socket, fields):
    with pytest.raises(ValueError):
        notify.notify(**fields)
    assert path_socket.pending() == []


# -- watchdog_interval -------------------------------------------------------------------
def test_watchdog_interval_is_half_of_watchdog_usec(monkeypatch):
    monkeypatch.setenv("WATCHDOG_USEC", "300000000")  # WatchdogSec=5min
    assert notify.watchdog_interval() == 150.0


def test_watchdog_interval_for_this_pid(monkeypatch):
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert notify.watchdog_interval() == 10.0


@pytest.mark.parametrize("pid", ["parent", "not-a-pid", ""])
def test_watchdog_interval_for_another_pid_is_none(monkeypatch, pid):
    """A child that inherited the parent's environment must not ping on its behalf."""
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getppid()) if pid == "parent" else pid)
    assert notify.watchdog_interval() is None


@pytest.mark.parametrize("usec", [None, "", "0", "-5", "soon"])
def test_no_or_bad_watchdog_usec_is_none(monkeypatch, usec):
    if usec is not None:
        monkeypatch.setenv("WATCHDOG_USEC", usec)
    assert notify.watchdog_interval() is None


# -- Watchdog ----------------------------------------------------------------------------
class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def run(dog: Watchdog, clock: Clock, seconds: int, *, progress_every: int | None = None) -> int:
    """Tick once a second for `seconds`, as the main loop does; returns the pings sent."""
    pings = 0
    for second in range(1, seconds + 1):
        clock.advance(1)
        if progress_every and second % progress_every == 0:
            dog.progress()
        pings += dog.tick()
    return pings


def test_watchdog_reads_its_interval_from_the_environment(monkeypatch):
    monkeypatch.setenv("WATCHDOG_USEC", "300000000")
    assert Watchdog().interval == 150.0
    monkeypatch.delenv("WATCHDOG_USEC")
    assert Watchdog().enabled is False


def test_pings_at_the_interval_while_idle(clock):
    sent: list[float] = []
    dog = Watchdog(10, clock=clock, send=lambda: sent.append(clock()) or True)
    assert dog.tick() is True  # the first tick pings at once
    assert run(dog, clock, 60) == 6
    assert [b - a for a, b in zip(sent, sent[1:], strict=False)] == [10.0] * 6


def test_pings_while_a_job_makes_progress(clock):
    pings: list[float] = []
    dog = Watchdog(10, clock=clock, send=lambda: pings.append(clock()) or True)
    dog.job_started("pull", deadline_s=30)
    assert run(dog, clock, 300, progress_every=20) == 30  # one ping every 10 s, 300 s long
    assert dog.stalled() == []


def test_a_job_past_its_deadline_without_progress_stops_the_pings(clock):
    dog = Watchdog(10, clock=clock, send=lambda: True)
    dog.job_started("pull", deadline_s=30)
    assert run(dog, clock, 30) == 3  # 10, 20, 30 s: within the deadline
    assert run(dog, clock, 1) == 0  # 31 s silent: stuck
    assert dog.stalled() == ["pull"]
    assert run(dog, clock, 600) == 0  # systemd will restart the service


def test_pings_resume_after_the_stuck_job_finishes(clock):
    dog = Watchdog(10, clock=clock, send=lambda: True)
    dog.job_started("pull", deadline_s=5)
    clock.advance(6)
    assert dog.tick() is False
    dog.job_finished()
    assert dog.tick() is True
    assert run(dog, clock, 20) == 2


def test_progress_after_a_stall_revives_the_job(clock):
    dog = Watchdog(10, clock=clock, send=lambda: True)
    dog.job_started("pull", deadline_s=5)
    clock.advance(8)
    assert dog.tick() is False
    dog.progress()
    assert dog.tick() is True


def test_each_job_has_its_own_deadline(clock):
    dog = Watchdog(1, clock=clock, send=lambda: True)
    dog.job_started("pull", deadline_s=300)
    dog.job_started("digest", deadline_s=20)
    clock.advance(21)
    dog.progress("pull")
    assert dog.stalled() == ["digest"]
    assert dog.tick() is False
    dog.job_finished("digest")
    assert dog.tick() is True
    with pytest.raises(ValueError, match="already running"):
        dog.job_started("pull", deadline_s=300)


def test_an_unnamed_call_with_several_jobs_running_is_an_error(clock):
    dog = Watchdog(1, clock=clock, send=lambda: True)
    dog.job_started("pull", deadline_s=300)
    dog.job_started("digest", deadline_s=20)
    with pytest.raises(ValueError, match="name one"):
        dog.progress()
    with pytest.raises(ValueError, match="name one"):
        dog.job_finished()


def test_progress_with_no_job_running_is_harmless(clock):
    dog = Watchdog(10, clock=clock, send=lambda: True)
    dog.progress()
    dog.job_finished()
    assert dog.tick() is True


def test_explicit_now_is_honoured(clock):
    dog = Watchdog(10, clock=clock, send=lambda: True)
    dog.job_started("pull", deadline_s=30)
    assert dog.tick(now=clock.t + 29) is True
    assert dog.tick(now=clock.t + 31) is False


def test_disabled_watchdog_never_pings(clock):
    dog = Watchdog(None, clock=clock, send=pytest.fail)
    assert run(dog, clock, 100) == 0


def test_no_ping_recorded_when_not_under_systemd(clock):
    """send() is False outside systemd: the next tick tries again instead of waiting."""
    results = iter([False, True])
    dog = Watchdog(10, clock=clock, send=lambda: next(results))
    assert dog.tick() is False
    assert dog.tick() is True


def test_watchdog_pings_reach_the_socket(path_socket, clock, monkeypatch):
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    dog = Watchdog(clock=clock)
    dog.job_started("pull", deadline_s=15)
    assert run(dog, clock, 30, progress_every=10) == 3
    assert path_socket.pending() == ["WATCHDOG=1"] * 3
    clock.advance(16)
    assert dog.tick() is False
    assert path_socket.pending() == []


def test_job_deadline_must_be_positive(clock):
    with pytest.raises(ValueError, match="positive"):
        Watchdog(10, clock=clock).job_started("pull", deadline_s=0)

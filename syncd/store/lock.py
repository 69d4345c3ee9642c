"""One writer at a time per store: the daemon's jobs and one-shot commands (`syncd pull`,
`import`) take the same lock, because two token refreshes or two imports at once can undo each
other.

The lock belongs to the database it guards, not to a process's state directory: a SQLite store
is locked by a file beside the database file, a PostgreSQL store by an advisory lock in that
database. So the service and a `sudo -u syncd syncd pull` with another state dir exclude each
other, and two stores on one machine never block each other. The holder says who it is (a file
beside the SQLite lock; the lock connection's application_name on PostgreSQL), so a second
process that gives up can say who holds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from filelock import FileLock, Timeout
from sqlalchemy.engine import make_url

from syncd.errors import LockBusy

_POLL_S = 0.25


def _lock_key(url: str) -> int:
    """A stable 63-bit advisory lock key for this store (the database URL without password)."""
    safe = make_url(url).render_as_string(hide_password=True)
    return int.from_bytes(hashlib.sha256(f"syncd-writer:{safe}".encode()).digest()[:8],
                          "big") & (2**63 - 1)


def _sqlite_path(url: str, fallback_dir: Path) -> Path:
    parsed = make_url(url)
    db = parsed.database
    if parsed.get_backend_name() == "sqlite" and db and db != ":memory:":
        return Path(db).with_name(Path(db).name + ".lock")
    # In-memory SQLite or a backend without advisory locks: one lock per URL in the state dir.
    digest = hashlib.sha256(make_url(url).render_as_string(hide_password=True).encode())
    return fallback_dir / f"syncd-{digest.hexdigest()[:16]}.lock"


def _busy(who: dict[str, Any], timeout: float) -> LockBusy:
    since = who.get("since")
    when = time.strftime("%H:%M:%S", time.localtime(since)) if since else "?"
    return LockBusy(
        f"Another syncd is writing to the store: {who.get('what', 'unknown')} "
        f"(pid {who.get('pid', '?')}, since {when}); waited {timeout:.0f} s.",
        hint="Try again when it is done (a pull resumes where the other left off).",
    )


def holder(url: str, fallback_dir: Path) -> dict[str, Any] | None:
    """Who holds (or last held) this store's writer lock, as written by the holder."""
    if make_url(url).get_backend_name() == "postgresql":
        return _pg_holder(url)
    try:
        return json.loads(_owner_file(url, fallback_dir).read_text())
    except (OSError, ValueError):
        return None


def _owner_file(url: str, fallback_dir: Path) -> Path:
    path = _sqlite_path(url, fallback_dir)
    return path.with_name(path.name + ".owner")


@contextmanager
def writer_lock(url: str, what: str, *, fallback_dir: Path, timeout: float = 120.0,
                ) -> Iterator[None]:
    """Hold the store's writer lock for `what`; wait at most `timeout` s, then say who has it.

    `fallback_dir` holds the lock file of stores that have neither a file nor advisory locks.
    """
    if make_url(url).get_backend_name() == "postgresql":
        with _pg_lock(url, what, timeout):
            yield
        return
    path = _sqlite_path(url, fallback_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise _busy(holder(url, fallback_dir) or {}, timeout) from None
    try:
        owner = {"pid": os.getpid(), "what": what, "since": time.time()}
        _owner_file(url, fallback_dir).write_text(json.dumps(owner))
        yield
    finally:
        lock.release()


@contextmanager
def _pg_lock(url: str, what: str, timeout: float) -> Iterator[None]:
    """A session advisory lock on a connection of its own, held for the whole block."""
    tag = f"syncd:{os.getpid()}:{round(time.time())}:{what}"[:63]  # PostgreSQL keeps 63
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool,
                              connect_args={"application_name": tag})
    key = _lock_key(url)
    try:
        with engine.connect() as conn:
            deadline = time.monotonic() + timeout
            while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"),
                                   {"k": key}).scalar():
                conn.rollback()
                if time.monotonic() >= deadline:
                    raise _busy(_pg_holder(url) or {}, timeout)
                time.sleep(_POLL_S)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
    finally:
        engine.dispose()


def _pg_holder(url: str) -> dict[str, Any] | None:
    key = _lock_key(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.text(
                "SELECT a.application_name, a.pid FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted "
                "AND ((l.classid::bigint << 32) | l.objid::bigint) = :k"), {"k": key}).first()
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()
    if row is None:
        return None
    parts = str(row[0] or "").split(":", 3)
    if len(parts) == 4 and parts[0] == "syncd" and parts[1].isdigit() and parts[2].isdigit():
        return {"pid": int(parts[1]), "since": int(parts[2]), "what": parts[3]}
    return {"pid": row[1], "what": str(row[0] or "unknown")}

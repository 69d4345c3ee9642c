"""One writer at a time: the daemon's jobs and one-shot commands (`syncd pull`, `import`) take
the same lock, because two token refreshes at once can invalidate each other.

The holder writes who it is next to the lock, so a second process that gives up can say who
holds it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from syncd.errors import LockBusy

__all__ = ["LockBusy", "holder", "writer_lock"]


def holder(lock_dir: Path) -> dict | None:
    """Who holds (or last held) the writer lock, as written by the holder."""
    try:
        return json.loads((lock_dir / "syncd.lock.owner").read_text())
    except (OSError, ValueError):
        return None


@contextmanager
def writer_lock(lock_dir: Path, what: str, *, timeout: float = 120.0) -> Iterator[None]:
    """Hold the writer lock for `what`; wait at most `timeout` seconds, then say who has it."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_dir / "syncd.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        who = holder(lock_dir) or {}
        since = who.get("since")
        when = time.strftime("%H:%M:%S", time.localtime(since)) if since else "?"
        raise LockBusy(
            f"Another syncd is writing to the store: {who.get('what', 'unknown')} "
            f"(pid {who.get('pid', '?')}, since {when}); waited {timeout:.0f} s.",
            hint="Try again when it is done (a pull resumes where the other left off).",
        ) from None
    try:
        owner = lock_dir / "syncd.lock.owner"
        owner.write_text(json.dumps({"pid": os.getpid(), "what": what, "since": time.time()}))
        yield
    finally:
        lock.release()

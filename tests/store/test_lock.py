"""The writer lock belongs to the database: two processes on one store exclude each other,
whatever their state directories; two stores never block each other. SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from syncd.errors import LockBusy
from syncd.store.lock import holder, writer_lock


def _hold(url: str, state_dir, what: str) -> subprocess.Popen:
    code = (
        "import time; from pathlib import Path; from syncd.store.lock import writer_lock\n"
        f"with writer_lock({url!r}, {what!r}, fallback_dir=Path({str(state_dir)!r})):\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_with_another_state_dir_waits_then_says_who(db_url, tmp_path):
    proc = _hold(db_url, tmp_path / "service-state", "syncd run: pull")
    try:
        t = time.monotonic()
        with pytest.raises(LockBusy) as info, writer_lock(
                db_url, "syncd pull", fallback_dir=tmp_path / "my-state", timeout=0.5):
            pass
        assert time.monotonic() - t >= 0.5
        assert "syncd run: pull" in str(info.value) and str(proc.pid) in str(info.value)
        assert info.value.exit_code == 5
    finally:
        proc.kill()
        proc.wait()
    with writer_lock(db_url, "syncd pull", fallback_dir=tmp_path / "my-state", timeout=10):
        assert holder(db_url, tmp_path / "my-state")["what"] == "syncd pull"


def test_two_stores_do_not_block_each_other(tmp_path):
    one = f"sqlite:///{tmp_path / 'a' / 'syncd.db'}"
    two = f"sqlite:///{tmp_path / 'b' / 'syncd.db'}"
    proc = _hold(one, tmp_path, "syncd run: pull")
    try:
        with writer_lock(two, "syncd import", fallback_dir=tmp_path, timeout=0.5):
            assert holder(two, tmp_path)["what"] == "syncd import"
        with pytest.raises(LockBusy), writer_lock(one, "x", fallback_dir=tmp_path, timeout=0.2):
            pass
    finally:
        proc.kill()
        proc.wait()
    assert (tmp_path / "a" / "syncd.db.lock").exists()  # beside the database it guards

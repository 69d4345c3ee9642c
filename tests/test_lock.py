from __future__ import annotations

import subprocess
import sys
import time

import pytest

from syncd.lock import LockBusy, holder, writer_lock


def test_second_writer_waits_then_says_who_holds_the_lock(tmp_path):
    code = (
        "import time,sys; from pathlib import Path; from syncd.lock import writer_lock\n"
        f"with writer_lock(Path({str(tmp_path)!r}), 'syncd run: pull'):\n"
        "    print('held', flush=True); time.sleep(30)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        t = time.monotonic()
        with pytest.raises(LockBusy) as info, writer_lock(tmp_path, "syncd pull", timeout=0.5):
            pass
        assert time.monotonic() - t >= 0.5
        assert "syncd run: pull" in str(info.value) and str(proc.pid) in str(info.value)
    finally:
        proc.kill()
        proc.wait()
    with writer_lock(tmp_path, "syncd pull", timeout=5):
        assert holder(tmp_path)["what"] == "syncd pull"

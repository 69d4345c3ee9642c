"""Helpers shared by the bench scripts: paths, machine description, peak RSS."""

from __future__ import annotations

import os
import platform
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts"), str(REPO / "bench")]
WORK = REPO / "var" / "bench"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"{mem:.0f} GiB, Python {platform.python_version()}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def authorised_daemon(prefix: str, pull_every: str, activities: list[tuple[object, int]]):
    """A local Strava stand-in with `activities` (start, seconds), a config pointing at it,
    syncd authorised against it and `syncd run` started. Returns (fake, proc, syncd, env, tmp)."""
    import subprocess
    import tempfile

    from tests.fakestrava import CLIENT_ID, CLIENT_SECRET, FakeStrava

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    fake = FakeStrava()
    _server, url = fake.serve()
    for i, (start, seconds) in enumerate(activities):
        fake.add_activity(i, start, seconds=seconds)
    cfg = tmp / "config.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp}/syncd.db"\n'
        f'[strava]\nclient_id = {CLIENT_ID}\napi_host = "{url}"\n'
        f'[secrets]\nbackend = "file"\npath = "{tmp}/secrets.json"\n'
        f'[logging]\nlevel = "warning"\n[schedule]\npull_every = "{pull_every}"\n'
    )
    env = {**os.environ, "SYNCD_STRAVA_CLIENT_SECRET": CLIENT_SECRET,
           "STATE_DIRECTORY": str(tmp / "state")}
    syncd = [sys.executable, "-m", "syncd", "--config", str(cfg)]
    subprocess.run([*syncd, "auth", "strava", "--code",
                    "http://127.0.0.1/?code=good-code&scope=read,activity:read_all"],
                   env=env, check=True, capture_output=True, cwd=REPO)
    proc = subprocess.Popen([*syncd, "run"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return fake, proc, syncd, env, tmp

"""`syncd status`: what the daemon last did and whether it is healthy, from the store alone
(the daemon writes its job state there), so it works from another process or machine user."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from syncd.config import Config
from syncd.errors import BROKEN_KINDS, SyncdError
from syncd.store.lock import holder
from syncd.store.repo import Store

HEALTHY, DEGRADED, BROKEN = 0, 1, 2


def _when(dt: datetime | None, tz: ZoneInfo) -> str | None:
    if dt is None:
        return None
    aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return aware.astimezone(tz).isoformat(timespec="minutes")


def collect(cfg: Config, store: Store, secrets: Callable[[], Any]) -> dict[str, Any]:
    """Everything `syncd status` shows, with `exit_code` and human `lines`."""
    tz = ZoneInfo(cfg.athlete.timezone)
    code = HEALTHY
    problems: list[str] = []
    athletes = store.athletes()
    tokens: dict[str, Any] = {}
    linked = [a for a in athletes if a.strava_id is not None]
    if not linked:
        code = BROKEN
        problems.append("Strava is not authorised: run `syncd auth strava`")
    else:
        try:
            store_ = secrets()
            from syncd.secrets import strava_token_key

            for a in linked:
                t = store_.get(strava_token_key(a.strava_id)) or {}
                exp = t.get("expires_at")
                tokens[str(a.strava_id)] = {
                    "expires_at": _when(datetime.fromtimestamp(exp, UTC), tz) if exp else None,
                    "scopes": t.get("scopes"),
                    "present": bool(t),
                }
                if not t:
                    code = BROKEN
                    problems.append(f"no Strava token for athlete {a.strava_id}: run "
                                    "`syncd auth strava`")
        except SyncdError as exc:
            code = BROKEN
            problems.append(f"secrets: {exc.message}")

    jobs = {}
    for st in store.job_states():
        jobs[st.name] = {
            "last_started": _when(st.last_started_at, tz),
            "last_finished": _when(st.last_finished_at, tz),
            "last_ok": _when(st.last_ok_at, tz),
            "ok": st.ok, "summary": st.summary, "error_kind": st.error_kind,
            "failures": st.failures,
            "retry_at": _when(st.retry_at, tz), "next_run": _when(st.next_run_at, tz),
        }
        if st.ok is False:
            # By the error's kind, never by the words of its message.
            code = BROKEN if st.error_kind in BROKEN_KINDS else max(code, DEGRADED)
            problems.append(f"last {st.name} failed: {st.summary}")
    pull = store.job_state("pull")
    budget = (pull.result or {}).get("budget") or {}
    counts = {str(a.id): store.counts(a.id) for a in athletes if a.id is not None}
    posts = [
        {"athlete": a.id, "sink": p.sink, "week": p.week, "posted_at": _when(p.posted_at, tz)}
        for a in athletes if a.id is not None for p in store.last_posts(a.id)
    ]
    lock = holder(cfg.database_url(), cfg.lock_dir())
    if lock and lock.get("since"):
        lock = {**lock, "since": time.strftime("%Y-%m-%dT%H:%M", time.localtime(lock["since"]))}

    lines = [f"syncd: {('healthy', 'degraded', 'broken')[code]}"]
    lines += [f"  ! {p}" for p in problems]
    for name, j in sorted(jobs.items()):
        lines.append(f"{name}: last {j['last_finished'] or 'never'} "
                     f"({j['summary'] or '-'}); next {j['next_run'] or '-'}")
    for sid, t in tokens.items():
        lines.append(f"Strava athlete {sid}: token expires {t['expires_at'] or '?'}")
    if budget:
        lines.append(f"rate budget left: overall {budget.get('overall_15min')}/15 min, "
                     f"{budget.get('overall_daily')}/day; read {budget.get('read_15min')}/15 min,"
                     f" {budget.get('read_daily')}/day")
    for aid, c in counts.items():
        lines.append(f"athlete {aid}: {c['activities']} activities, "
                     f"{c['unclassified']} unclassified")
    for p in posts:
        lines.append(f"digest {p['week']} posted to {p['sink']} at {p['posted_at']}")
    if lock:
        lines.append(f"writer lock: last taken by {lock.get('what')} (pid {lock.get('pid')}) "
                     f"at {lock.get('since')}")
    return {"status": ("healthy", "degraded", "broken")[code], "exit_code": code,
            "problems": problems, "jobs": jobs, "tokens": tokens, "rate_budget": budget,
            "counts": counts, "digest_posts": posts, "lock": lock, "lines": lines}

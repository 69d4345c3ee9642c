"""A stateful property test of merge and de-duplication (as vdirsyncer tests its sync).

Real runs arrive from several sources in any order (each source's copy a little off in start
time and distance), get edited, deleted and listed again. Whatever happens, the store ends with
one activity per real run that some source still has, and every link is kept, pointing at its
run's activity.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlmodel import select

from syncd.store.db import open_store
from syncd.store.repo import Store
from syncd.store.tables import Activity, ActivitySource
from tests.conftest import make_record

T0 = datetime(2025, 1, 6, 6, 0, tzinfo=UTC)
RUNS = 4
SOURCES = ("strava", "file", "garmin")
# Each source's copy of a run: start a little off (clocks, auto-start), distance a little off.
OFFSET_S = {"strava": 0, "file": 25, "garmin": -20}  # within the same-run rule
SCALE = {"strava": 1.0, "file": 1.012, "garmin": 0.992}


class MergeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.engine = open_store(f"sqlite:///{Path(self.tmp.name) / 'syncd.db'}")
        self.store = Store(self.engine)
        self.athlete = self.store.ensure_athlete()
        self.live: dict[tuple[int, str], bool] = {}  # (run, source) -> the source has it
        self.edits = 0

    def teardown(self) -> None:
        self.engine.dispose()
        self.tmp.cleanup()

    def _record(self, run: int, source: str, name: str = ""):
        start = T0 + timedelta(days=run, seconds=OFFSET_S[source])
        return make_record(source, str(1000 + run), start=start,
                           distance=(6000 + 900 * run) * SCALE[source],
                           name=name or f"Run {run}", raw={"id": run, "name": name})

    @rule(run=st.integers(0, RUNS - 1), source=st.sampled_from(SOURCES))
    def arrive(self, run: int, source: str) -> None:
        """A source lists the run (first time, again, or after it was deleted)."""
        self.store.save_activity(self.athlete.id, self._record(run, source), default_tz="UTC")
        self.live[(run, source)] = True

    @rule(run=st.integers(0, RUNS - 1), source=st.sampled_from(SOURCES))
    def edit(self, run: int, source: str) -> None:
        if not self.live.get((run, source)):
            return
        self.edits += 1
        rec = self._record(run, source, name=f"edited {self.edits}")
        self.store.save_activity(self.athlete.id, rec, default_tz="UTC")

    @rule(run=st.integers(0, RUNS - 1), source=st.sampled_from(SOURCES))
    def delete(self, run: int, source: str) -> None:
        """The source's complete listing no longer has the run."""
        if not self.live.get((run, source)):
            return
        self.live[(run, source)] = False
        seen = {str(1000 + r) for (r, s), on in self.live.items() if s == source and on}
        self.store.soft_delete_missing(self.athlete.id, source, seen,
                                       after=T0 - timedelta(days=1))

    def _rows(self):
        with self.store.session() as s:
            links = s.exec(select(ActivitySource)).all()
            acts = {a.id: a for a in s.exec(select(Activity)).all()}
        return links, acts

    @invariant()
    def one_live_activity_per_run_that_a_source_has(self) -> None:
        links, acts = self._rows()
        by_run: dict[int, set[int]] = {}
        for link in links:
            run = int(link.source_id) - 1000
            by_run.setdefault(run, set()).add(link.activity_id)
        for run, ids in by_run.items():
            assert len(ids) == 1, (run, ids)  # every link of a run points at one activity
            (aid,) = ids
            has = any(on for (r, _s), on in self.live.items() if r == run)
            assert (acts[aid].deleted_at is None) == has, (run, has, acts[aid].deleted_at)
        assert sum(a.deleted_at is None for a in acts.values()) == len(
            {r for (r, _s), on in self.live.items() if on})

    @invariant()
    def every_link_is_kept(self) -> None:
        links, _ = self._rows()
        assert {(int(lk.source_id) - 1000, lk.source) for lk in links} == set(self.live)
        for lk in links:
            assert (lk.deleted_at is None) == self.live[(int(lk.source_id) - 1000, lk.source)]


TestMerge = MergeMachine.TestCase
TestMerge.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)

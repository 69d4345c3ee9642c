"""Quality floors on data the classifier was not tuned on: the independent generator (written
from a spec without reading syncd/classify/) and the held-out real files of tests/data/real."""

from __future__ import annotations

import numpy as np
import pytest

from syncd.classify import ClassifyInput
from tests.classify.evaluate import held_out_real, independent, macro_f1, real_pairs, run


def _f1(pairs: list[tuple[str, str]], label: str) -> float:
    tp = sum(t == label and p == label for t, p in pairs)
    fp = sum(t != label and p == label for t, p in pairs)
    fn = sum(t == label and p != label for t, p in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


@pytest.fixture(scope="module")
def scored():
    sessions = independent(200, 5)
    items = [(ClassifyInput.from_record(s.record), s.label, s.reps) for s in sessions]
    return run(items)


def test_independent_generator_macro_f1_and_hill_floor(scored) -> None:
    pairs, _, _ = scored
    assert macro_f1(pairs) >= 0.93, pairs
    assert _f1(pairs, "hill") >= 0.9


def test_independent_generator_rep_boundaries(scored) -> None:
    _, timing, _ = scored
    assert len(timing.duration_err_s) >= 100
    assert float(np.median(timing.duration_err_s)) <= 2.0
    assert float(np.median(timing.distance_err)) <= 0.05


def test_held_out_real_files() -> None:
    real = held_out_real()
    if not real:
        pytest.skip("no held-out real files in tests/data/real")
    pairs, wrong = real_pairs(real)
    # 4 files (3 right when first measured): a floor against regressions, not the target
    assert macro_f1(pairs) >= 0.7, wrong

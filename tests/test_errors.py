"""One error hierarchy: every error has a kind, the kind decides the exit code, the README's
table is that table, and the kind crosses the daemon's process boundary."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import syncd
from syncd import errors
from syncd.errors import EXIT_CODES, KINDS, SyncdError
from syncd.jobs.isolated import rebuild_error

README = Path(__file__).resolve().parents[1] / "README.md"


def _all_error_classes() -> list[type[SyncdError]]:
    for mod in pkgutil.walk_packages(syncd.__path__, "syncd."):
        if ".migrations" in mod.name:
            continue
        importlib.import_module(mod.name)
    out, todo = [], [SyncdError]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


def test_every_error_has_a_known_kind_and_its_exit_code() -> None:
    classes = _all_error_classes()
    assert len(classes) >= 12  # the plan's, the lock's, the jobs' errors are found too
    for cls in classes:
        assert cls.kind in KINDS, cls
        assert cls.exit_code == EXIT_CODES[cls.kind], cls


def test_readme_shows_the_kind_table() -> None:
    text = README.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (\d+) \| `([a-z-]+)` \|", text, flags=re.M))
    assert rows == {(str(code), kind) for kind, (code, _) in KINDS.items()}


def test_lock_busy_is_exit_5_and_documented() -> None:
    from syncd.errors import LockBusy

    assert LockBusy("x").exit_code == 5
    assert "5 writer lock busy" in (errors.__doc__ or "") + (
        importlib.import_module("syncd.cli").main.__doc__ or "")


@pytest.mark.parametrize(("kind", "cls_name", "expect"), [
    ("auth", "AuthError", errors.AuthError),
    ("bad-input", "PlanError", SyncdError),  # not in syncd.errors: rebuilt by kind
    ("lock", "LockBusy", errors.LockBusy),
    ("crash", "JobCrashed", errors.JobCrashed),
    ("weird", "Nope", SyncdError),
])
def test_errors_cross_the_process_boundary_by_kind(kind, cls_name, expect) -> None:
    exc = rebuild_error(kind, cls_name, "msg", "hint")
    assert type(exc) is expect
    assert exc.kind == (kind if kind in KINDS else "crash")
    assert exc.exit_code == EXIT_CODES[exc.kind]
    assert str(exc) == "msg\nhint"

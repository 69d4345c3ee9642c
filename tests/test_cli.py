"""The command line as a user meets it: help everywhere, errors as one message with the
documented exit code, `python -m syncd` identical to `syncd`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from syncd.cli import app, main

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "syncd"


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        yield path, cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)


ALL = list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path, cmd", ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_and_option_has_help(path, cmd):
    assert (cmd.help or "").strip(), f"`syncd {' '.join(path)}` has no help text"
    for param in cmd.params:
        if getattr(param, "param_type_name", "") == "option" or hasattr(param, "help"):
            assert (getattr(param, "help", None) or "").strip(), (
                f"`syncd {' '.join(path)}`: {param.name} has no help text"
            )


def test_expected_commands_exist():
    names = {" ".join(p) for p, _ in ALL}
    assert {"auth", "auth strava", "pull", "import", "activities", "db", "db upgrade"} <= names


def run(*args, env=None, cwd=None, module=True):
    cmd = [sys.executable, "-m", "syncd", *args] if module else [str(SCRIPT), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


@pytest.mark.parametrize("args, code", [
    (["--help"], 0),
    (["pull", "--help"], 0),
    (["no-such-command"], 2),
    (["activities", "--format", "yaml"], 2),
])
def test_module_and_script_behave_the_same(tmp_path, args, code):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    a = run("--config", str(cfg), *args)
    b = run("--config", str(cfg), *args, module=False)
    assert a.returncode == b.returncode == code
    assert a.stdout == b.stdout


def test_bad_config_is_exit_2_with_one_clear_message_and_writes_nothing(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n[strava]\nclient_id = "x"\n'
    )
    for module in (True, False):
        r = run("--config", str(cfg), "activities", module=module)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        assert str(cfg) in r.stderr and "strava.client_id" in r.stderr
    assert not (tmp_path / "db.sqlite").exists()


def test_missing_config_file(tmp_path):
    r = run("--config", str(tmp_path / "missing.toml"), "activities")
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_import_and_list_json(tmp_path, capsys, monkeypatch):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n'
                   '[athlete]\ntimezone = "Europe/Paris"\n')
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "import", str(REPO / "samples")])
    assert e.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(list((REPO / "samples").iterdir()))
    starts = [r["start_local"] for r in rows]
    assert starts == sorted(starts)
    for r in rows:
        for key in ("id", "source", "start_local", "sport_type", "name", "distance_m",
                    "moving_s", "elevation_gain_m", "label", "label_source", "reasons"):
            assert key in r
    # again: nothing new, nothing duplicated
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "import", str(REPO / "samples")])
    assert "0 new" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "csv", "--since", starts[1][:10],
              "--until", starts[2][:10]])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("id,source,local_id") and len(lines) == 3


def test_bad_date_is_a_usage_error(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "activities", "--since", "last week"])
    assert e.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_import_reports_bad_files_and_goes_on(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"\x0e\x10garbage")
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "import", str(bad), str(REPO / "samples")])
    assert e.value.code == 0
    io = capsys.readouterr()
    assert io.out.count("broken.fit") == 1
    assert "skipped" in io.out and "not a FIT file" in io.out
    assert "1 unreadable" in io.out


def test_pull_without_strava_config_names_the_key(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "pull"])
    assert e.value.code == 2
    assert "strava.client_id" in capsys.readouterr().err


def test_db_upgrade(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "db", "upgrade"])
    assert "(upgraded)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "db", "upgrade"])
    assert "already current" in capsys.readouterr().out


def test_db_rederive(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "db", "rederive"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == "rederived 0 activities: 0 changed"
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "import", str(REPO / "samples")])
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "db", "rederive"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == "rederived 5 activities: 0 changed"

    # A converter bug, as if it had been there at import: the interval session became a ride.
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "json"])
    session = next(r for r in json.loads(capsys.readouterr().out) if r["label"] == "interval")
    db = sqlite3.connect(tmp_path / "db.sqlite")
    with db:
        db.execute("UPDATE activity SET sport_type = 'Ride', distance_m = 1 WHERE id = ?",
                   (session["local_id"],))
    db.close()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "classify", "--all"])
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "show", session["id"], "--format", "json"])
    assert json.loads(capsys.readouterr().out)["label"] == "other"
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "db", "rederive"])
    assert e.value.code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "rederived 5 activities: 1 changed"
    assert lines[1].startswith("classified ")  # the changed run (and the runs after it)
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "json"])
    after = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == session["id"])
    assert after == session  # columns, label and reps as before the bug


def test_classify_tag_show(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n')
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "import", str(REPO / "samples")])
    assert "classified 5 activities" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert all(r["label"] and r["label_source"] == "auto" and r["reasons"] for r in rows)
    session = next(r for r in rows if r["label"] == "interval")
    assert session["reps"] == 8
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "show", session["id"]])
    text = capsys.readouterr().out
    assert "label: interval" in text and "8 reps" in text and "walk" in text
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "tag", session["id"], "easy"])
    assert e.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "classify", "--all"])
    assert "classified 5" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "show", session["id"], "--format", "json"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["label"] == "easy" and shown["label_source"] == "user"
    assert len(shown["reps_detail"]) == 8
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "classify"])
    assert "classified 0" in capsys.readouterr().out  # all done by this version
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "tag", session["id"], "tempo"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "show", "nope"])
    assert e.value.code == 2


def _demo_config(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/db.sqlite"\n'
        f'[athlete]\ntimezone = "Europe/Paris"\n'
        f'[plan]\nfile = "{REPO / "config" / "demo-plan.toml"}"\n'
        f'[digest]\npost_to = ["file://{tmp_path}/digests"]\n'
    )
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "import", str(REPO / "samples")])
    return cfg


def test_digest_json_and_post_once_per_sink(tmp_path, capsys):
    cfg = _demo_config(tmp_path)
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "digest", "--week", "2024-W10", "--format", "json"])
    assert e.value.code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["week"] == "2024-W10" and data["start"] == "2024-03-04"
    statuses = {s["date"]: s["status"] for s in data["sessions"]}
    assert statuses["2024-03-06"] == "done" and statuses["2024-03-07"] == "missed"
    interval = next(s for s in data["sessions"] if s["planned"] == "interval")
    assert interval["reps"] == "8 of 8" and interval["execution"]["recoveries"] == "walked"
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "json"])
    ids = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert set(interval["activity_ids"]) <= ids
    # post: written once, then skipped, then re-posted with --force
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "digest", "--week", "2024-W10", "--post"])
    assert e.value.code == 0
    assert "posted" in capsys.readouterr().err
    html = tmp_path / "digests" / "week-2024-W10.html"
    assert html.exists() and (tmp_path / "digests" / "week-2024-W10.md").exists()
    html.unlink()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "digest", "--week", "2024-W10", "--post"])
    assert "already posted" in capsys.readouterr().err and not html.exists()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "digest", "--week", "2024-W10", "--post", "--force"])
    assert html.exists()


def test_match_pins_a_run_to_a_session(tmp_path, capsys):
    cfg = _demo_config(tmp_path)
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "activities", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    easy = next(r for r in rows if r["label"] == "easy")
    # the Monday easy run counts for Thursday's easy session instead
    with pytest.raises(SystemExit) as e:
        main(["--config", str(cfg), "match", easy["id"], "2024-03-07"])
    assert e.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "digest", "--week", "2024-W10", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    by_day = {s["date"]: s for s in data["sessions"]}
    assert by_day["2024-03-07"]["pinned"] and easy["id"] in by_day["2024-03-07"]["activity_ids"]
    assert by_day["2024-03-04"]["status"] == "missed"


def test_plan_check_and_bad_plan(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["plan", "check", str(REPO / "config" / "plan.example.toml")])
    assert e.value.code == 0
    assert "W1 2025-01-06" in capsys.readouterr().out
    bad = tmp_path / "plan.toml"
    bad.write_text('name = "x"\nstart = 2025-01-06\nend = 2025-02-01\n[week]\n'
                   'tue = { type = "tempo" }\n')
    with pytest.raises(SystemExit) as e:
        main(["plan", "check", str(bad)])
    assert e.value.code == 2
    msg = capsys.readouterr().err
    assert str(bad) in msg and "line 5" in msg and "tempo" in msg

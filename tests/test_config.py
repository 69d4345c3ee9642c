from __future__ import annotations

from pathlib import Path

import pytest

from syncd.config import Config, find_config, load_config, parse_config
from syncd.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def test_example_and_demo_configs_are_valid():
    cfg = load_config(REPO / "config" / "config.toml")
    assert cfg.strava.api_host == "www.strava.com" and cfg.secrets.backend == "keyring"
    demo = load_config(REPO / "config" / "demo.toml")
    assert demo.database_url() == f"sqlite:///{(REPO / 'var' / 'demo.db').resolve()}"
    assert demo.secrets_path() == (REPO / "var" / "secrets.json").resolve()


def test_lookup_order(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg-config" / "syncd"
    xdg.mkdir(parents=True)
    (xdg / "config.toml").write_text("")
    assert find_config(None) == xdg / "config.toml"
    env = tmp_path / "env.toml"
    monkeypatch.setenv("SYNCD_CONFIG", str(env))
    assert find_config(None) == env
    explicit = tmp_path / "x.toml"
    assert find_config(explicit) == explicit


def test_defaults_without_any_file(tmp_path):
    cfg = load_config(None)
    assert isinstance(cfg, Config)
    assert cfg.database_url() == f"sqlite:///{tmp_path / 'state' / 'syncd.db'}"


@pytest.mark.parametrize("text, fragments", [
    ("[strava]\nclient_id = 'abc'\n", ["strava.client_id", "integer", "'abc'"]),
    ("[strava]\nclinet_id = 1\n", ["unknown key 'strava.clinet_id'"]),
    ("[athlete]\ntimezone = 'Mars/Olympus'\n", ["athlete.timezone", "IANA"]),
    ("[secrets]\nbackend = 'vault'\n", ["secrets.backend", "'keyring' or 'file'"]),
    ("[strava]\napi_host = 'https://x/y'\n", ["strava.api_host", "bare host"]),
    ("[bogus]\nx = 1\n", ["unknown key 'bogus'"]),
    ("[strava\n", ["not valid TOML"]),
])
def test_bad_config_names_file_key_and_expectation(tmp_path, text, fragments):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    msg = str(info.value)
    assert str(path) in msg
    for f in fragments:
        assert f in msg
    assert info.value.exit_code == 2
    assert "\n" not in msg  # one paragraph


def test_secret_value_is_never_echoed_in_errors():
    with pytest.raises(ConfigError) as info:
        parse_config({"strava": {"client_secret": 12345678901}}, "c.toml")
    assert "12345678901" not in str(info.value)


def test_unreadable_and_missing_config(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    d = tmp_path / "dir.toml"
    d.mkdir()
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(d)


def test_client_secret_sources(tmp_path, monkeypatch):
    assert Config().strava_client_secret() is None
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "strava_client_secret").write_text("from-credential\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    assert Config().strava_client_secret() == "from-credential"
    monkeypatch.setenv("SYNCD_STRAVA_CLIENT_SECRET", "from-env")
    assert Config().strava_client_secret() == "from-env"
    cfg = parse_config({"strava": {"client_secret": "from-file"}}, "c.toml")
    assert cfg.strava_client_secret() == "from-file"
    assert "from-file" not in repr(cfg)


def test_classifier_thresholds_are_configurable():
    cfg = parse_config({"athlete": {"long_run_minutes": 100, "max_hr": 188},
                        "classify": {"rep_enter_ratio": 1.2, "min_reps": 4}}, "c.toml")
    t = cfg.thresholds()
    assert t.long_run_minutes == 100 and t.rep_enter_ratio == 1.2 and t.min_reps == 4
    assert isinstance(t.min_reps, int)
    assert cfg.profile().max_hr == 188
    with pytest.raises(ConfigError, match="classify"):
        parse_config({"classify": {"no_such_threshold": 1}}, "c.toml")
    with pytest.raises(ConfigError, match="classify"):
        parse_config({"classify": {"min_reps": "many"}}, "c.toml")

"""`App`: config, store and secrets opened once and lazily; a reload keeps an open store when
the database is the same."""

from __future__ import annotations

from syncd.app import App
from syncd.config import load_config
from syncd.store.lock import holder


def _config(tmp_path, name, db):
    cfg = tmp_path / name
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/{db}"\n'
                   f'[secrets]\nbackend = "file"\npath = "{tmp_path}/secrets.json"\n')
    return cfg


def test_nothing_is_opened_before_it_is_needed(tmp_path):
    app = App(_config(tmp_path, "c.toml", "db.sqlite"))
    assert app._config is None and app._store is None
    assert app.config.database_url().endswith("db.sqlite")
    assert not (tmp_path / "db.sqlite").exists()
    assert app.store is app.store and (tmp_path / "db.sqlite").exists()
    assert app.secrets() is app.secrets()


def test_reconfigured_keeps_the_store_of_the_same_database(tmp_path):
    path = _config(tmp_path, "c.toml", "db.sqlite")
    app = App(path)
    store = app.store
    same = app.reconfigured(load_config(path))
    assert same.store is store
    other = app.reconfigured(load_config(_config(tmp_path, "d.toml", "other.sqlite")))
    assert other._store is None and other.store is not store


def test_writer_lock_says_who_holds_it(tmp_path):
    app = App(_config(tmp_path, "c.toml", "db.sqlite"))
    with app.writer_lock("syncd test"):
        assert holder(app.config.database_url(), app.config.lock_dir())["what"] == "syncd test"

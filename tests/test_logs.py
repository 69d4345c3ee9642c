from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from syncd import logs
from syncd.errors import ConfigError

TOKEN = "a3f9c2e1b7d84f0e9a1c5b3d7e2f4a6c8b0d1e3f"
OTHER = "ffee00112233445566778899aabbccddeeff0011"


@pytest.fixture(autouse=True)
def _reset_logging():
    yield
    root = logging.getLogger()
    for h in [h for h in root.handlers if isinstance(h, logs._Handler)]:
        root.removeHandler(h)
    root.setLevel(logging.WARNING)
    structlog.reset_defaults()
    logs._clear_secrets()


def _json_lines(buf: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]


def _configure(**kw) -> io.StringIO:
    buf = io.StringIO()
    logs.configure_logging(stream=buf, json=True, **kw)
    return buf


def test_json_line_has_timestamp_level_and_logger_name():
    buf = _configure()
    structlog.get_logger("syncd.test").info("pulled", activities=3)
    (line,) = _json_lines(buf)
    assert line["event"] == "pulled"
    assert line["activities"] == 3
    assert line["level"] == "info"
    assert line["logger"] == "syncd.test"
    assert line["timestamp"].endswith("Z")


def test_registered_token_in_message_and_nested_dict_is_redacted():
    buf = _configure()
    logs.register_secret(TOKEN)
    log = structlog.get_logger("syncd.test")
    log.info(f"refreshed with {TOKEN}")
    log.info("payload", body={"nested": [{"value": f"x{TOKEN}y"}], "safe": "ok"}, items=(TOKEN,))
    out = buf.getvalue()
    assert TOKEN not in out
    lines = _json_lines(buf)
    assert lines[0]["event"] == "refreshed with [redacted]"
    assert lines[1]["body"] == {"nested": [{"value": "x[redacted]y"}], "safe": "ok"}
    assert lines[1]["items"] == ["[redacted]"]


def test_sensitive_keys_are_redacted_whatever_their_value():
    buf = _configure()
    structlog.get_logger("syncd.test").info(
        "tokens",
        access_token="abc",
        token={"refresh_token": "r", "expires_at": 5},
        headers={"Authorization": "Bearer zzz", "Accept": "json"},
        code="oauth-code",
        status_code=500,
        expires_at=123,
    )
    (line,) = _json_lines(buf)
    assert line["access_token"] == "[redacted]"
    assert line["token"] == "[redacted]"
    assert line["headers"] == {"Authorization": "[redacted]", "Accept": "json"}
    assert line["code"] == "[redacted]"
    assert line["status_code"] == 500
    assert line["expires_at"] == 123


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer [redacted]"),
        (
            "GET /oauth/token?client_id=1&client_secret=s3cr3t&code=xyz&grant_type=x",
            "GET /oauth/token?client_id=1&client_secret=[redacted]&code=[redacted]&grant_type=x",
        ),
        ("access_token=aaa refresh_token=bbb", "access_token=[redacted] refresh_token=[redacted]"),
        (
            '{"access_token": "aaa", "expires_at": 1}',
            '{"access_token": "[redacted]", "expires_at": 1}',
        ),
        ("status_code=500 exit_code=2", "status_code=500 exit_code=2"),
        ("", ""),
    ],
)
def test_redact_text_patterns(text, expected):
    assert logs.redact(text) == expected


def test_short_values_are_not_registered():
    logs.register_secret("abc")
    logs.register_secret("")
    assert logs.redact("abc is fine") == "abc is fine"


def test_longest_secret_wins_when_one_contains_another():
    logs.register_secret("12345678")
    logs.register_secret("12345678abcdefgh")
    assert logs.redact("t=12345678abcdefgh") == "t=[redacted]"


def _raise_with_token_in_locals() -> None:
    token = TOKEN  # noqa: F841 - a local that a show_locals traceback would print
    unregistered_local = OTHER  # noqa: F841
    raise ValueError(f"Strava rejected token {TOKEN}")


@pytest.mark.parametrize("as_json", [True, False])
def test_exception_with_token_in_message_and_locals_is_redacted(as_json):
    buf = io.StringIO()
    logs.configure_logging(stream=buf, json=as_json)
    logs.register_secret(TOKEN)
    try:
        _raise_with_token_in_locals()
    except ValueError:
        structlog.get_logger("syncd.test").exception("refresh failed")
    out = buf.getvalue()
    assert "refresh failed" in out
    assert "ValueError" in out
    assert "_raise_with_token_in_locals" in out  # the traceback is there...
    assert TOKEN not in out  # ...without the token from the message or the locals
    assert OTHER not in out  # locals are never rendered, registered or not
    if as_json:
        (line,) = _json_lines(buf)
        exc = line["exception"][0]
        assert exc["exc_value"] == "Strava rejected token [redacted]"
        assert all(not frame.get("locals") for frame in exc["frames"])


def test_stdlib_library_logs_are_formatted_and_redacted():
    buf = _configure()
    logs.register_secret(TOKEN)
    logging.getLogger("stravalib").warning("token %s expired; Bearer %s", TOKEN, "qwerty123")
    (line,) = _json_lines(buf)
    assert line["logger"] == "stravalib"
    assert line["level"] == "warning"
    assert TOKEN not in buf.getvalue()
    assert "qwerty123" not in buf.getvalue()
    assert line["event"] == "token [redacted] expired; Bearer [redacted]"


def test_stdlib_exception_is_rendered_without_token():
    buf = _configure()
    logs.register_secret(TOKEN)
    try:
        _raise_with_token_in_locals()
    except ValueError:
        logging.getLogger("urllib3").error("boom", exc_info=True)
    assert TOKEN not in buf.getvalue()
    assert OTHER not in buf.getvalue()
    assert "ValueError" in buf.getvalue()


def test_library_logs_below_warning_are_dropped_but_ours_pass_at_level():
    buf = _configure(level="debug")
    logging.getLogger("urllib3").info("Starting new HTTPS connection")
    logging.getLogger("urllib3").debug("noise")
    structlog.get_logger("syncd.test").debug("ours")
    lines = _json_lines(buf)
    assert [line["event"] for line in lines] == ["ours"]


def test_level_filters_our_events():
    buf = _configure(level="warning")
    log = structlog.get_logger("syncd.test")
    log.info("hidden")
    log.warning("shown")
    assert [line["event"] for line in _json_lines(buf)] == ["shown"]


def test_unknown_level_is_a_config_error():
    with pytest.raises(ConfigError, match="log level"):
        logs.configure_logging(level="loud", stream=io.StringIO())


def test_console_mode_renders_a_readable_line():
    buf = io.StringIO()  # not a TTY: json must be forced off
    logs.configure_logging(stream=buf, json=False)
    logs.register_secret(TOKEN)
    structlog.get_logger("syncd.test").info("pulled", activities=3, note=TOKEN)
    out = buf.getvalue()
    assert "pulled" in out
    assert "activities=3" in out
    assert "[info" in out
    assert "\x1b[" not in out  # no colour codes when the stream is not a terminal
    assert TOKEN not in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


class _FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_format_is_chosen_from_the_stream():
    plain = io.StringIO()
    logs.configure_logging(stream=plain)
    structlog.get_logger("syncd.test").info("to journald")
    assert json.loads(plain.getvalue())["event"] == "to journald"

    tty = _FakeTTY()
    logs.configure_logging(stream=tty)
    structlog.get_logger("syncd.test").info("to a human")
    assert "to a human" in tty.getvalue()
    with pytest.raises(json.JSONDecodeError):
        json.loads(tty.getvalue())


def test_configuring_twice_does_not_duplicate_handlers():
    first = _configure()
    second = _configure()
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logs._Handler)]
    assert len(ours) == 1
    structlog.get_logger("syncd.test").info("once")
    logging.getLogger("stravalib").warning("lib once")
    assert first.getvalue() == ""
    assert [line["event"] for line in _json_lines(second)] == ["once", "lib once"]


def test_logger_created_before_configure_uses_the_new_configuration():
    log = structlog.get_logger("syncd.early")
    _configure(level="warning")
    buf = _configure(level="info")
    log.info("late")
    assert [line["event"] for line in _json_lines(buf)] == ["late"]

"""Posting for real through Apprise: a local webhook receiver and a local SMTP server."""

from __future__ import annotations

import email
import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from syncd.digest.sinks import PostResult, display_sink, post_digest, sink_key
from tests.digest.fixtures import INTERVAL_LINE, rich_report

PASSWORD = "s3cret-Passw0rd-xyz"

# The test SMTP server takes AUTH without TLS on purpose (a local relay); aiosmtpd warns.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def free_port() -> int:
    """A port with nothing listening (closed right away); good for 'connection refused' too."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def webhook():
    """An HTTP server on 127.0.0.1 recording (path, parsed JSON body) of every POST."""
    received: list[tuple[str, dict]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            received.append((self.path, json.loads(self.rfile.read(length))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_server():
    """A plain (no TLS) SMTP server on 127.0.0.1 that demands AUTH with our user/password."""
    messages: list[email.message.Message] = []
    logins: list[tuple[str, str]] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
            messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        logins.append((user, password))
        return AuthResult(success=(user, password) == ("runner", PASSWORD))

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port,
                            authenticator=authenticator, auth_require_tls=False,
                            auth_required=True)
    controller.start()
    yield port, messages, logins
    controller.stop()


def mailto(port: int, password: str = PASSWORD) -> str:
    # mailto:// (not mailtos://) is Apprise's plain SMTP: no STARTTLS, no SSL ("insecure").
    return (f"mailto://runner:{password}@127.0.0.1:{port}"
            f"?from=syncd@example.com&to=coach@example.com")


def _html_part(msg: email.message.Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/html part")


def test_posts_to_webhook_mail_and_dir_while_a_dead_sink_fails(webhook, smtp_server, tmp_path):
    hook_port, hooks = webhook
    smtp_port, mails, logins = smtp_server
    dead = free_port()
    sinks = [
        f"json://127.0.0.1:{hook_port}/digest",
        f"json://127.0.0.1:{dead}/nobody-home",  # fails, in the middle
        mailto(smtp_port),
        f"file://{tmp_path}/out",
    ]
    results = post_digest(rich_report(), sinks, already_posted=set(), force=False)

    assert [r.ok for r in results] == [True, False, True, True]
    assert not any(r.skipped for r in results)
    assert results[1].error and f"json://127.0.0.1:{dead}" in results[1].error
    assert [r.key for r in results] == [sink_key(s) for s in sinks]

    # The webhook got Apprise's JSON payload with the Markdown digest as its message.
    assert len(hooks) == 1
    path, payload = hooks[0]
    assert path == "/digest"
    assert INTERVAL_LINE in payload["message"]
    assert payload["message"].startswith("# Week 2025-W11")
    assert "2025-W11" in payload["title"]

    # The coach got the HTML page by e-mail, after logging in with the URL's credentials.
    assert logins == [("runner", PASSWORD)]
    assert len(mails) == 1
    assert mails[0]["To"].endswith("coach@example.com>") or "coach@example.com" in mails[0]["To"]
    assert "2025-W11" in mails[0]["Subject"]
    html = _html_part(mails[0])
    assert "<svg" in html and 'class="week-strip"' in html
    assert INTERVAL_LINE in html

    # The directory sink wrote both files, nothing half-written left behind.
    out = tmp_path / "out"
    assert sorted(os.listdir(out)) == ["week-2025-W11.html", "week-2025-W11.md"]
    assert INTERVAL_LINE in (out / "week-2025-W11.md").read_text()
    assert (out / "week-2025-W11.html").read_text().startswith("<!DOCTYPE html>")


def test_already_posted_skipped_unless_forced(webhook):
    port, hooks = webhook
    url = f"json://127.0.0.1:{port}/d"
    other = f"json://127.0.0.1:{port}/other"
    results = post_digest(rich_report(), [url, other], already_posted={sink_key(url)},
                          force=False)
    assert [(r.ok, r.skipped) for r in results] == [(True, True), (True, False)]
    assert [p for p, _ in hooks] == ["/other"]

    results = post_digest(rich_report(), [url], already_posted={sink_key(url)}, force=True)
    assert [(r.ok, r.skipped) for r in results] == [(True, False)]
    assert [p for p, _ in hooks] == ["/other", "/d"]


def test_same_sink_twice_posts_once(webhook):
    port, hooks = webhook
    url = f"json://127.0.0.1:{port}/d"
    results = post_digest(rich_report(), [url, url], already_posted=set(), force=False)
    assert [(r.ok, r.skipped) for r in results] == [(True, False), (True, True)]
    assert len(hooks) == 1


def test_failed_mail_never_shows_the_password():
    dead = free_port()
    bad_login_url = mailto(dead)
    invalid = f"nosuchservice://runner:{PASSWORD}@example.org/x"
    results = post_digest(rich_report(), [bad_login_url, invalid, "not a url at all"],
                          already_posted=set(), force=False)
    assert [r.ok for r in results] == [False, False, False]
    for r in results:
        assert PASSWORD not in repr(r)
        assert "runner" not in r.sink
    assert results[0].sink == f"mailto://127.0.0.1:{dead}"
    assert results[1].error and results[1].error.startswith("nosuchservice://example.org: ")
    assert "not a valid notification URL" in results[1].error
    assert "not a URL" in (results[2].error or "")


@pytest.mark.parametrize(("url", "shown"), [
    (f"mailto://runner:{PASSWORD}@smtp.example.com:587?to=a@b.c", "mailto://smtp.example.com:587"),
    (f"mailtos://{PASSWORD}@smtp.example.com", "mailtos://smtp.example.com"),
    ("discord://1234567890/AbCdEfTokenTokenToken", "discord://***"),
    ("slack://TokenA/TokenB/TokenC/#general", "slack://***"),
    ("ntfy://my-secret-topic", "ntfy://***"),
    ("ntfys://ntfy.example.org/topic", "ntfys://ntfy.example.org"),
    (f"matrixs://bot:{PASSWORD}@matrix.example.org/#room", "matrixs://matrix.example.org"),
    ("json://localhost:8080/hook", "json://localhost:8080"),
    ("file:///srv/www/digests", "file:///srv/www/digests"),
    ("strava", "strava"),
])
def test_display_form_is_scheme_and_host_only(url, shown):
    assert display_sink(url) == shown
    assert PASSWORD not in display_sink(url)


def test_sink_key_is_stable_and_secret_free():
    url = mailto(2525)
    key = sink_key(url)
    assert key == sink_key(url) == sink_key(f"  {url}\n")
    assert key.startswith("mailto:") and len(key) == len("mailto:") + 16
    assert PASSWORD not in key and "runner" not in key
    assert sink_key(mailto(2526)) != key
    # A new password is the same destination: not posted again.
    assert sink_key(mailto(2525, "another-password")) == key
    q = "mailto://smtp.example.com?user=runner&pass={}&to=coach@example.com"
    assert sink_key(q.format(PASSWORD)) == sink_key(q.format("other"))
    assert sink_key(q.format(PASSWORD)) != sink_key(q.replace("coach", "other"))
    assert sink_key("discord://id/token1") != sink_key("discord://id/token2")
    assert sink_key("strava") == "strava"


def test_strava_sink_uses_the_callback_and_its_failure_is_isolated(webhook):
    port, hooks = webhook
    seen = []

    def poster(report):
        seen.append(report.week)
        return True

    def broken(report):
        raise RuntimeError(f"Strava said 500 for {mailto(1)}")

    url = f"json://127.0.0.1:{port}/d"
    assert post_digest(rich_report(), ["strava"], already_posted=set(), force=False,
                       strava_poster=poster) == [PostResult("strava", True, None, False, "strava")]
    assert seen == ["2025-W11"]

    results = post_digest(rich_report(), ["strava", url], already_posted=set(), force=False,
                          strava_poster=broken)
    assert [r.ok for r in results] == [False, True]
    assert "RuntimeError" in (results[0].error or "") and len(hooks) == 1

    [r] = post_digest(rich_report(), ["strava"], already_posted=set(), force=False)
    assert not r.ok and "Strava" in (r.error or "")


def test_file_sink_overwrites_atomically(tmp_path):
    url = f"file://{tmp_path}"
    report = rich_report()
    post_digest(report, [url], already_posted=set(), force=False)
    report.plan_name = "Changed plan"
    [r] = post_digest(report, [url], already_posted=set(), force=True)
    assert r.ok
    assert sorted(os.listdir(tmp_path)) == ["week-2025-W11.html", "week-2025-W11.md"]
    assert "Changed plan" in (tmp_path / "week-2025-W11.md").read_text()


def test_file_sink_failure_is_reported(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    [r] = post_digest(rich_report(), [f"file://{blocker}/sub"], already_posted=set(),
                      force=False)
    assert not r.ok and r.error and r.error.startswith(f"file://{blocker}/sub: ")

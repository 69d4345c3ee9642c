"""Posting a rendered digest: Apprise URLs, a directory (file:///dir) and Strava.

Each sink is posted on its own and its outcome reported; one failing sink never stops the rest.
Sink URLs are secrets (Apprise URLs carry passwords and tokens), so:
- results and errors show only `display_sink(url)`: scheme and host, and the host only when it
  looks like a host name (for slack://, discord://, ntfy:// ... the "host" is a token);
- the store keeps `sink_key(url)`, a hash, never the URL.

What each kind of sink receives (a decision, documented in the README):
- e-mail services (mailto://, mailtos://, sendgrid://, ses:// ...): the HTML page, body_format
  html, so the coach sees the week strip and the chart;
- every other Apprise service, chat or webhook, gets the Markdown with body_format markdown;
  Apprise converts it for services that only take HTML or plain text. That includes json:// and
  jsons://: the receiver gets Apprise's JSON payload ({"version", "title", "message", "type",
  "attachments"}) whose "message" is the Markdown. A program that wants the structured digest
  should read `render(report, "json")` / the file sink instead of parsing a webhook body;
- file:///dir: week-YYYY-Www.html and week-YYYY-Www.md written atomically into dir;
- strava: handed to the `strava_poster` callback (it appends description lines).
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urlsplit

from syncd.digest import notification_title
from syncd.digest.html import render_html
from syncd.digest.markdown import render_markdown
from syncd.logs import redact, register_secret
from syncd.plan.model import WeekReport

__all__ = [
    "EMAIL_SCHEMES",
    "PostResult",
    "StravaPoster",
    "display_sink",
    "post_digest",
    "sink_key",
    "write_files",
]

# Apprise services that deliver e-mail: they get the HTML page rather than Markdown.
EMAIL_SCHEMES = frozenset({
    "mailto", "mailtos", "sendgrid", "mailgun", "ses", "sparkpost", "resend", "smtp2go",
    "brevo", "o365", "azure", "postmark", "mailersend", "sendpulse", "acs", "groundmail",
})
STRAVA_SINK = "strava"
# Apprise also takes a password as ?pass= / ?password=.
_PASSWORD_PARAMS = frozenset({"pass", "password"})
_WEEK_RE = re.compile(r"^\d{4}-W\d{2}$")

# Called with the report; returning False or raising marks the sink failed.
StravaPoster = Callable[[WeekReport], bool | None]


@dataclass(frozen=True)
class PostResult:
    """One sink's outcome. `sink` is the redacted display form; `key` is `sink_key(url)`.

    ok and not skipped: posted now, record (week, key). skipped: already posted (ok is True,
    nothing was sent). not ok: `error` says why, without secrets.
    """

    sink: str
    ok: bool
    error: str | None = None
    skipped: bool = False
    key: str = ""


# ---- identity and display -------------------------------------------------------------------


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    return parts


def _looks_like_host(host: str) -> bool:
    """A real host name or address (shown), as opposed to a token in the host slot (hidden)."""
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return True
    return "." in host and re.fullmatch(r"[A-Za-z0-9.-]+", host) is not None


def display_sink(url: str) -> str:
    """A form of the sink safe to print and log: 'mailto://smtp.example.com', 'slack://***'."""
    url = url.strip()
    if url == STRAVA_SINK:
        return STRAVA_SINK
    parts = _split(url)
    if parts is None or not parts.scheme:
        return "<unparseable sink URL>"
    scheme = parts.scheme.lower()
    if scheme == "file":
        return f"file://{_file_dir(parts)}"
    host = parts.hostname or ""
    if not host:
        return f"{scheme}://"
    if not _looks_like_host(host):
        return f"{scheme}://***"
    port = f":{parts.port}" if parts.port else ""
    return f"{scheme}://{host}{port}"


def sink_key(url: str) -> str:
    """A stable, non-secret id for a sink: 'mailto:3f0c9a1b2d4e5f60'.

    The password (user:PASSWORD@ or ?pass=) is dropped before hashing, so a changed password
    is still the same sink (no second post) and the key cannot be brute-forced back to a weak
    password. Other tokens in the URL (webhook tokens) are long and random, so the truncated
    hash does not reveal them.
    """
    url = url.strip()
    if url == STRAVA_SINK:
        return STRAVA_SINK
    parts = _split(url)
    if parts is None or not parts.scheme:
        return "invalid:" + hashlib.sha256(url.encode()).hexdigest()[:16]
    netloc, query = parts.netloc, parts.query
    if parts.password is not None:
        userinfo, _, hostport = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{hostport}"
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(k.lower() in _PASSWORD_PARAMS for k, _ in pairs):
        query = urlencode([(k, v) for k, v in pairs if k.lower() not in _PASSWORD_PARAMS])
    canonical = parts._replace(scheme=parts.scheme.lower(), netloc=netloc, query=query).geturl()
    return f"{parts.scheme.lower()}:{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"


def _register_url_secrets(url: str, parts: SplitResult | None) -> None:
    """Let the log pipeline scrub an Apprise URL and its password if anything echoes them."""
    if url == STRAVA_SINK or (parts is not None and parts.scheme.lower() == "file"):
        return
    register_secret(url)
    if parts is not None:
        for key, value in parse_qsl(parts.query):
            if key.lower() in _PASSWORD_PARAMS:
                register_secret(value)
    if parts is not None and parts.password:
        register_secret(unquote(parts.password))
        register_secret(parts.password)


def _safe_error(text: str, url: str, parts: SplitResult | None) -> str:
    """An error message with the URL and its password removed, then the usual redaction."""
    text = text.replace(url, display_sink(url))
    if parts is not None and parts.password:
        for secret in {parts.password, unquote(parts.password)}:
            text = text.replace(secret, "[redacted]")
    return redact(text)


# ---- the file sink --------------------------------------------------------------------------


def _file_dir(parts: SplitResult) -> str:
    """file:///abs/dir -> /abs/dir; file://localhost/dir too; file://~/dir expands the home."""
    path = unquote(parts.path)
    if parts.netloc and parts.netloc != "localhost":
        path = unquote(parts.netloc) + path
    return os.path.expanduser(path) if path.startswith("~") else path


def _atomic_write(path: Path, text: str) -> None:
    """Write then rename: a reader (a web server serving the dir) never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_files(report: WeekReport, directory: str | Path) -> list[Path]:
    """Write week-YYYY-Www.html and .md into directory (created if missing)."""
    if not _WEEK_RE.match(report.week):
        raise ValueError(f"unexpected week id {report.week!r}")
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    written = []
    for ext, text in (("html", render_html(report)), ("md", render_markdown(report))):
        path = d / f"week-{report.week}.{ext}"
        _atomic_write(path, text)
        written.append(path)
    return written


# ---- Apprise --------------------------------------------------------------------------------


def _apprise_post(url: str, scheme: str, report: WeekReport) -> str | None:
    """Post through Apprise; None on success, else a (not yet redacted) reason."""
    import apprise

    ap = apprise.Apprise()
    if not ap.add(url):
        return "not a valid notification URL (Apprise does not accept it; check its syntax)"
    if scheme in EMAIL_SCHEMES:
        body, body_format = render_html(report), apprise.NotifyFormat.HTML
    else:
        body, body_format = render_markdown(report), apprise.NotifyFormat.MARKDOWN
    result = ap.notify(title=notification_title(report), body=body, body_format=body_format)
    if result:
        return None
    reasons: list[str] = []
    with contextlib.suppress(AttributeError):  # Apprise < 2 returns a plain bool
        reasons = [entry.message for entry in result.logs()
                   if entry.level in ("WARNING", "ERROR", "CRITICAL")]
    return "delivery failed" + (f": {reasons[-1]}" if reasons else "")


# ---- posting --------------------------------------------------------------------------------


def post_digest(
    report: WeekReport,
    sinks: list[str],
    *,
    already_posted: set[str],
    force: bool,
    strava_poster: StravaPoster | None = None,
) -> list[PostResult]:
    """Post the digest to every sink, in order; one result per sink, none raises.

    `already_posted` holds `sink_key`s (raw URLs are accepted too) of sinks that have this week;
    they are skipped unless `force`. The same sink listed twice is posted once.
    """
    results: list[PostResult] = []
    seen: set[str] = set()
    for raw in sinks:
        url = raw.strip()
        parts = _split(url)
        _register_url_secrets(url, parts)
        shown, key = display_sink(url), sink_key(url)
        if key in seen:
            results.append(PostResult(shown, True, "listed twice; posted once", True, key))
            continue
        seen.add(key)
        if not force and (key in already_posted or url in already_posted):
            results.append(PostResult(shown, True, None, True, key))
            continue
        try:
            error = _post_one(url, parts, report, strava_poster)
        except Exception as exc:  # a sink's failure must never stop the others
            error = f"{type(exc).__name__}: {exc}"
        if error is None:
            results.append(PostResult(shown, True, None, False, key))
        else:
            results.append(PostResult(shown, False, f"{shown}: {_safe_error(error, url, parts)}",
                                      False, key))
    return results


def _post_one(url: str, parts: SplitResult | None, report: WeekReport,
              strava_poster: StravaPoster | None) -> str | None:
    if url == STRAVA_SINK:
        if strava_poster is None:
            return "no Strava connection to post with (authorise Strava first)"
        return None if strava_poster(report) is not False else "Strava update failed"
    if parts is None or not parts.scheme or "://" not in url:
        return "not a URL (expected e.g. mailto://..., ntfy://..., file:///dir or 'strava')"
    scheme = parts.scheme.lower()
    if scheme == "file":
        directory = _file_dir(parts)
        if not directory:
            return "file sink needs a directory: file:///path/to/dir"
        write_files(report, directory)
        return None
    return _apprise_post(url, scheme, report)


def send_alert(sinks: list[str], title: str, body: str) -> bool:
    """A short plain-text alert (e.g. "Strava authorisation needed") to the Apprise sinks.

    file:// and strava sinks are for digests, not alerts. True if any sink took it.
    """
    import apprise

    sent = False
    for url in sinks:
        parts = _split(url)
        if url == "strava" or (parts is not None and parts.scheme == "file"):
            continue
        _register_url_secrets(url, parts)
        ap = apprise.Apprise()
        if ap.add(url) and ap.notify(title=title, body=redact(body)):
            sent = True
    return sent

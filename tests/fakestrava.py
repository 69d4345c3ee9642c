"""A local stand-in for Strava's API, for end-to-end tests and the pull benchmark.

It serves real HTTP on 127.0.0.1 so the CLI can run as a separate process (and be killed
mid-pull). Payload shapes follow Strava's swagger file; see tests/sources/strava for the
checks that keep them honest. Rate-limit headers are sent on every API answer and enforced.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

ATHLETE_ID = 34874817
CLIENT_ID = 4242
CLIENT_SECRET = "test-client-secret-0123456789"


@dataclass
class FakeStrava:
    """State of the fake: activities, tokens, limits and a log of every call."""

    activities: list[dict[str, Any]] = field(default_factory=list)
    streams: dict[int, dict[str, Any]] = field(default_factory=dict)
    limit_15: int = 200
    limit_day: int = 2000
    read_limit_15: int = 100
    read_limit_day: int = 1000
    usage_15: int = 0
    usage_day: int = 0
    read_15: int = 0
    read_day: int = 0
    delay_s: float = 0.0  # per streams call, so a test can kill the client mid-pull
    fail_streams: set[int] = field(default_factory=set)  # answer 500 for these ids
    calls: list[str] = field(default_factory=list)
    descriptions: dict[int, str | None] = field(default_factory=dict)
    access_token: str = "fake-access-token-abcdef123456"
    refresh_token: str = "fake-refresh-token-987654zyx"
    expires_at: int = field(default_factory=lambda: int(time.time()) + 6 * 3600)
    codes: set[str] = field(default_factory=lambda: {"good-code"})
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- data -------------------------------------------------------------------------------
    def add_activity(self, idx: int, start: datetime, *, seconds: int = 600,
                     sport: str = "Run", manual: bool = False, hz: float = 1.0,
                     seed: int | None = None) -> dict[str, Any]:
        aid = 10_000_000_000 + idx  # 64-bit ids, as Strava's are now
        distance = seconds * 2.9
        summary = {
            "resource_state": 2, "athlete": {"id": ATHLETE_ID, "resource_state": 1},
            "name": f"Run {idx}", "distance": distance, "moving_time": seconds,
            "elapsed_time": seconds + 30, "total_elevation_gain": 12.0, "type": sport,
            "sport_type": sport, "workout_type": 0 if sport in ("Run", "TrailRun") else None,
            "id": aid, "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "start_date_local": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": "(GMT+01:00) Europe/Paris", "utc_offset": 3600.0,
            "trainer": False, "commute": False, "manual": manual, "private": False,
            "average_speed": 2.9, "max_speed": 4.1, "has_heartrate": True,
            "average_heartrate": 142.0, "max_heartrate": 171.0,
            "map": {"id": f"a{aid}", "summary_polyline": "", "resource_state": 2},
        }
        self.activities.append(summary)
        if not manual:
            self.streams[aid] = synth_streams(seconds, seed if seed is not None else idx, hz)
        return summary

    def remove(self, aid: int) -> None:
        self.activities = [a for a in self.activities if a["id"] != aid]

    # -- server -----------------------------------------------------------------------------
    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self, "POST")

            def do_PUT(self) -> None:  # noqa: N802
                fake._handle(self, "PUT")

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_address[1]}"

    def _headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": f"{self.limit_15},{self.limit_day}",
            "X-RateLimit-Usage": f"{self.usage_15},{self.usage_day}",
            "X-ReadRateLimit-Limit": f"{self.read_limit_15},{self.read_limit_day}",
            "X-ReadRateLimit-Usage": f"{self.read_15},{self.read_day}",
        }

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: Any,
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        url = urlparse(h.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body: dict[str, Any] = {}
        if method == "POST":
            length = int(h.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(h.rfile.read(length).decode()).items()}
            query.update(form)
        elif method == "PUT":
            length = int(h.headers.get("Content-Length") or 0)
            body = json.loads(h.rfile.read(length) or b"{}")
        with self.lock:
            self.calls.append(f"{method} {url.path}")
        if url.path == "/oauth/token":
            return self._token(h, query)
        if h.headers.get("Authorization") != f"Bearer {self.access_token}":
            return self._send(h, 401, {"message": "Authorization Error", "errors": [
                {"resource": "Athlete", "field": "access_token", "code": "invalid"}]})
        with self.lock:
            over = (self.usage_15 >= self.limit_15 or self.read_15 >= self.read_limit_15
                    or self.usage_day >= self.limit_day or self.read_day >= self.read_limit_day)
            if not over:
                self.usage_15 += 1
                self.usage_day += 1
                self.read_15 += 1
                self.read_day += 1
            headers = self._headers()
        if over:
            return self._send(h, 429, {"message": "Rate Limit Exceeded", "errors": [
                {"resource": "Application", "field": "rate limit", "code": "exceeded"}]}, headers)
        if url.path == "/api/v3/athlete/activities":
            return self._list(h, query, headers)
        parts = url.path.strip("/").split("/")
        if len(parts) == 5 and parts[:3] == ["api", "v3", "activities"] and parts[4] == "streams":
            return self._streams(h, int(parts[3]), headers)
        if len(parts) >= 4 and parts[:3] == ["api", "v3", "activities"]:
            found = next((a for a in self.activities if a["id"] == int(parts[3])), None)
            if found is not None and len(parts) == 4 and method == "PUT":
                self.descriptions[found["id"]] = body.get("description")
                return self._send(h, 200, {**found, "description": body.get("description")},
                                  headers)
            if found is not None and len(parts) == 4:
                return self._send(h, 200, {**found, "resource_state": 3, "description":
                                           self.descriptions.get(found["id"], "detail")},
                                  headers)
            if found is not None and parts[4:] == ["laps"]:
                half = found["elapsed_time"] // 2
                laps = [{"id": k, "lap_index": k + 1, "elapsed_time": half, "moving_time": half,
                         "distance": found["distance"] / 2, "start_date": found["start_date"]
                         if k == 0 else _iso(_epoch(found["start_date"]) + half)}
                        for k in range(2)]
                return self._send(h, 200, laps, headers)
        return self._send(h, 404, {"message": "Record Not Found", "errors": []}, headers)

    def _token(self, h: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        if form.get("client_id") != str(CLIENT_ID) or form.get("client_secret") != CLIENT_SECRET:
            return self._send(h, 401, {"message": "Bad Request", "errors": [
                {"resource": "Application", "field": "client_id", "code": "invalid"}]})
        grant = form.get("grant_type")
        if grant == "authorization_code" and form.get("code") in self.codes:
            pass
        elif grant == "refresh_token" and form.get("refresh_token") == self.refresh_token:
            self.access_token = "fake-access-token-rotated-" + str(len(self.calls))
            self.refresh_token = "fake-refresh-token-rotated-" + str(len(self.calls))
            self.expires_at = int(time.time()) + 6 * 3600
        else:
            field_ = "refresh_token" if grant == "refresh_token" else "code"
            return self._send(h, 400, {"message": "Bad Request", "errors": [
                {"resource": "RefreshToken" if field_ == "refresh_token" else "AuthorizationCode",
                 "field": field_, "code": "invalid"}]})
        body = {"token_type": "Bearer", "expires_at": self.expires_at, "expires_in": 21600,
                "refresh_token": self.refresh_token, "access_token": self.access_token}
        if grant == "authorization_code":
            body["athlete"] = {"id": ATHLETE_ID, "firstname": "Ana", "lastname": "Trail",
                               "resource_state": 2}
        self._send(h, 200, body)

    def _list(self, h: BaseHTTPRequestHandler, q: dict[str, str], headers: dict[str, str]) -> None:
        after = int(q.get("after", 0))
        page = int(q.get("page", 1))
        per_page = int(q.get("per_page", 30))
        rows = sorted(
            (a for a in self.activities if _epoch(a["start_date"]) > after),
            key=lambda a: a["start_date"],
        )
        chunk = rows[(page - 1) * per_page : page * per_page]
        self._send(h, 200, chunk, headers)

    def _streams(self, h: BaseHTTPRequestHandler, aid: int, headers: dict[str, str]) -> None:
        if self.delay_s:
            time.sleep(self.delay_s)
        if aid in self.fail_streams:
            return self._send(h, 500, {"message": "Internal Server Error"}, headers)
        data = self.streams.get(aid)
        if data is None:
            return self._send(h, 404, {"message": "Record Not Found", "errors": [
                {"resource": "Activity", "field": "id", "code": "not found"}]}, headers)
        self._send(h, 200, data, headers)


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(iso: str) -> int:
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def synth_streams(seconds: int, seed: int, hz: float = 1.0) -> dict[str, Any]:
    """A plausible key_by_type StreamSet: a runner at ~2.9 m/s with GPS and altitude noise."""
    rnd = random.Random(seed)
    step = 1.0 / hz
    n = int(seconds * hz)
    t, d, ll, alt, v, hr, cad, mov, grade = [], [], [], [], [], [], [], [], []
    lat, lng, dist, a = 48.85, 2.35, 0.0, 35.0
    for i in range(n):
        speed = 2.9 + 0.3 * math.sin(i / 90.0) + rnd.gauss(0, 0.08)
        dist += speed * step
        heading = i / 600.0
        lat += speed * step * math.cos(heading) / 111_320 + rnd.gauss(0, 2e-6)
        lng += speed * step * math.sin(heading) / 73_000 + rnd.gauss(0, 2e-6)
        a += 0.02 * math.sin(i / 200.0) + rnd.gauss(0, 0.05)
        t.append(round(i * step))
        d.append(round(dist, 1))
        ll.append([round(lat, 6), round(lng, 6)])
        alt.append(round(a, 1))
        v.append(round(speed, 2))
        hr.append(int(130 + 20 * (1 - math.exp(-i / 300.0)) + rnd.gauss(0, 1.5)))
        cad.append(int(86 + rnd.gauss(0, 1.5)))
        mov.append(True)
        grade.append(round(rnd.gauss(0, 0.8), 1))

    def s(data: list[Any]) -> dict[str, Any]:
        return {"data": data, "series_type": "distance", "original_size": n,
                "resolution": "high"}

    return {"time": s(t), "distance": s(d), "latlng": s(ll), "altitude": s(alt),
            "velocity_smooth": s(v), "heartrate": s(hr), "cadence": s(cad),
            "moving": s(mov), "grade_smooth": s(grade)}

"""The HTML digest really renders in a browser at phone width (headless Chromium).

The PNG is decoded with the standard library (zlib + the PNG row filters) and must show the
week strip's colours, so a blank page, a broken stylesheet or a crash fails the test.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib

import pytest

from syncd.digest.html import STRIP_COLOURS, render_html
from tests.digest.fixtures import rich_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of raw pixel bytes) for an 8-bit RGB/RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    assert header is not None
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def colours(width: int, rows: list[bytes], bpp: int) -> set[tuple[int, int, int]]:
    return {tuple(row[x:x + 3]) for row in rows for x in range(0, width * bpp, bpp)}


def _rgb(hexcol: str) -> tuple[int, int, int]:
    return tuple(int(hexcol[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_png_decoder_on_a_known_image():
    # 2x2 RGB, rows filtered Sub then Up: red, green / blue, white.
    rows = [b"\x01" + bytes([255, 0, 0, 1, 255, 0]), b"\x02" + bytes([1, 0, 255, 0, 0, 255])]
    png = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
           + _chunk(b"IDAT", zlib.compress(b"".join(rows))) + _chunk(b"IEND", b""))
    _, _, px = png_pixels(png)
    assert px == [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 0, 255, 255])]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_phone_width_screenshot_is_not_blank(tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium not installed: apt-get install chromium")
    page = tmp_path / "digest.html"
    page.write_text(render_html(rich_report()), encoding="utf-8")
    png = tmp_path / "digest.png"
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=390,1200", f"--screenshot={png}", page.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert png.exists(), f"no screenshot; chromium said:\n{proc.stderr[-2000:]}"
    data = png.read_bytes()
    width, height, rows = png_pixels(data)
    assert (width, height) == (390, 1200)
    bpp = len(rows[0]) // width
    seen = colours(width, rows, bpp)
    assert len(seen) > 50, "screenshot looks blank"
    # The week strip is at the top: its green, yellow and red cells must be on screen.
    top = colours(width, rows[:300], bpp)
    for name in ("green", "yellow", "red", "grey"):
        want = _rgb(STRIP_COLOURS[name])
        # A little tolerance for colour management on other machines.
        assert any(max(abs(a - b) for a, b in zip(c, want, strict=True)) <= 4 for c in top), name

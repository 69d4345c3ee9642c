"""A minimal, fast FIT activity writer for benchmark data only (not used by syncd itself).

fit-tool writes correct files but takes seconds per hour of 1 Hz records, too slow to make
thousands of bench files; this writes the handful of messages an activity needs with struct.
Field numbers and base types are from the FIT SDK profile.
"""

from __future__ import annotations

import struct
from datetime import datetime

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z

_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)

UINT8, UINT16, UINT32, SINT32, ENUM, UINT32Z = 0x02, 0x84, 0x86, 0x85, 0x00, 0x8C
_FMT = {UINT8: "B", UINT16: "H", UINT32: "I", SINT32: "i", ENUM: "B", UINT32Z: "I"}
_SIZE = {UINT8: 1, UINT16: 2, UINT32: 4, SINT32: 4, ENUM: 1, UINT32Z: 4}


def crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


class _Msg:
    def __init__(self, local: int, global_num: int, fields: list[tuple[int, int]]) -> None:
        self.local = local
        self.fields = fields
        self.pack = struct.Struct("<B" + "".join(_FMT[t] for _, t in fields))
        body = struct.pack("<BBHB", 0, 0, global_num, len(fields))
        body += b"".join(struct.pack("<BBB", num, _SIZE[t], t) for num, t in fields)
        self.definition = bytes([0x40 | local]) + body

    def data(self, *values: int) -> bytes:
        return self.pack.pack(self.local, *values)


def _ts(dt: datetime) -> int:
    return int(dt.timestamp()) - FIT_EPOCH


def write_fit_fast(run: dict) -> bytes:
    """Encode a scripts/synth.py run dict (1 Hz columns + meta) as a FIT activity file."""
    meta = run["meta"]
    start = _ts(meta["start_utc"])
    t = run["time"]
    n = len(t)
    file_id = _Msg(0, 0, [(0, ENUM), (1, UINT16), (2, UINT16), (3, UINT32Z), (4, UINT32)])
    record = _Msg(1, 20, [(253, UINT32), (0, SINT32), (1, SINT32), (2, UINT16), (3, UINT8),
                          (4, UINT8), (5, UINT32), (6, UINT16)])
    summary = [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32)]
    lap = _Msg(2, 19, summary)
    session = _Msg(3, 18, [*summary, (5, ENUM), (6, ENUM), (16, UINT8), (17, UINT8)])
    activity = _Msg(4, 34, [(253, UINT32), (0, UINT32), (1, UINT16)])
    out = bytearray()
    out += file_id.definition + file_id.data(4, 1, 1, 3_000_000 + start % 1000, start)
    out += record.definition
    semi = 2**31 / 180.0
    lat, lng, alt = run["lat"], run["lng"], run["altitude"]
    hr, cad, dist, spd = run["heartrate"], run["cadence"], run["distance"], run["speed"]
    pack = record.pack.pack
    for i in range(n):
        out += pack(1, start + int(t[i]), int(lat[i] * semi), int(lng[i] * semi),
                    int((alt[i] + 500) * 5), int(hr[i]) & 0xFF, int(cad[i]) & 0xFF,
                    int(dist[i] * 100), min(int(spd[i] * 1000), 65534))
    end = start + int(t[-1])
    elapsed = int(t[-1] * 1000)
    total = int(dist[-1] * 100)
    out += lap.definition + lap.data(end, start, elapsed, elapsed, total)
    sport = 2 if meta.get("sport") == "cycling" else 1
    out += session.definition + session.data(end, start, elapsed, elapsed, total, sport, 0,
                                             int(sum(hr) / n), int(max(hr)))
    out += activity.definition + activity.data(end, elapsed, 1)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(out), b".FIT")
    header += struct.pack("<H", crc16(header))
    body = header + bytes(out)
    return body + struct.pack("<H", crc16(body))

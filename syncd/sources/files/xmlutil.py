"""Safe, fast XML parsing for GPX and TCX, with one-line error messages."""

from __future__ import annotations

import re

from lxml import etree

from syncd.errors import FileImportError

_PARSER_KW = dict(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
_LINE_COL = re.compile(r",?\s*line \d+, column \d+\s*$")


def parse_xml(data: bytes, display: str, fmt: str) -> etree._Element:
    """Parse without entity expansion or network access (files come from anywhere).

    Strava's TCX exports start with spaces before the XML declaration; a BOM is common too.
    Both make strict parsers fail, so they are stripped first.
    """
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise FileImportError(display, f"empty {fmt} file")
    try:
        return etree.fromstring(body, etree.XMLParser(**_PARSER_KW))
    except etree.XMLSyntaxError as exc:
        msg = _LINE_COL.sub("", " ".join(str(exc.msg or exc).split()))
        msg = msg[:1].lower() + msg[1:]
        line = exc.lineno if exc.lineno else None
        where = f" at line {line}" if line else ""
        raise FileImportError(display, f"malformed {fmt} (XML error{where}: {msg})") from None


def local(tag: object) -> str:
    """Element name without its namespace; '' for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1 :]


def num(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None

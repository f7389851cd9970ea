"""Bytes of a fetched document → text, choosing the encoding much as a browser would.

Pure and CPU-bound: call it in a worker, not on the event loop.

Order of evidence (the first that decodes *strictly* wins; a declaration that does
not decode falls through instead of producing mojibake):

1. a byte-order mark (UTF-8, UTF-16LE/BE) — beats every declaration;
2. the charset of the HTTP ``Content-Type`` header;
3. ``<meta charset>``, ``<meta http-equiv … charset=…>`` or the XML declaration
   in the first 4 KB (not for ``text/plain``);
4. UTF-8;
5. CP949, when the result reads as Korean (mostly KS X 1001 Hangul syllables) —
   checked before generic detection, which mistakes short Korean text for Big5;
6. UTF-8 with a few bad bytes (a slightly corrupt UTF-8 page);
7. a "weak" header charset — ISO-8859-1/ASCII/windows-1252, which servers such as
   Tomcat send by default, so it is trusted only after the checks above;
8. ``charset_normalizer`` detection (ties among Latin code pages go to windows-1252);
9. CP949;
10. the first declared charset, or else windows-1252, with replacement characters.

Korean labels (``euc-kr``, ``ks_c_5601-1987``, ``x-windows-949``, …) are read as
CP949, the superset that pages labelled EUC-KR really use (e.g. "똠", "햏").
"""

from __future__ import annotations

import codecs
import functools
import re

import charset_normalizer

_SNIFF_BYTES = 4096
_DETECTION_SAMPLE = 256 * 1024
_KOREAN_SAMPLE = 200_000

_ALIASES = {
    # Korean: all read as CP949 (Unified Hangul Code), a superset of EUC-KR.
    **dict.fromkeys(
        (
            "euc-kr",
            "euc_kr",
            "euckr",
            "cseuckr",
            "ks_c_5601-1987",
            "ks_c_5601-1989",
            "ks_c_5601",
            "ksc5601",
            "ksc_5601",
            "ks_x_1001",
            "iso-ir-149",
            "korean",
            "cskscs56011987",
            "x-windows-949",
            "windows-949",
            "ms949",
            "uhc",
            "cp949",
        ),
        "cp949",
    ),
    # Per the WHATWG Encoding Standard these labels all mean windows-1252.
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"),
        "cp1252",
    ),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j"),
        "cp932",
    ),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "csgb2312", "chinese"), "gb18030"),
    **dict.fromkeys(("big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("tis-620", "iso-8859-11"), "cp874"),
    **dict.fromkeys(("iso-8859-9", "latin5"), "cp1254"),
}
_WEAK_HEADER_CHARSETS = frozenset({"cp1252"})

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:-]+)", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def decode_document(
    body: bytes, header_charset: str | None, content_type: str = "text/html"
) -> tuple[str, str]:
    """The document's text and the Python name of the encoding used (see module docstring)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), encoding

    header = normalize_charset(header_charset) if header_charset else None
    weak_header = header if header in _WEAK_HEADER_CHARSETS else None
    strong_header = None if weak_header else header
    declared = None if content_type == "text/plain" else _declared_in_document(body)

    for candidate in (strong_header, declared, "utf-8"):
        if candidate and (text := _decode_strictly(body, candidate)) is not None:
            return text, candidate

    korean = _decode_strictly(body, "cp949")
    if korean is not None and _reads_as_korean(korean):
        return korean, "cp949"

    mostly_utf8 = body.decode("utf-8", errors="replace")
    if _few_replacements(mostly_utf8):
        return mostly_utf8, "utf-8"

    for candidate in (weak_header, _detect(body)):
        if candidate and (text := _decode_strictly(body, candidate)) is not None:
            return text, candidate

    if korean is not None:
        return korean, "cp949"
    fallback = strong_header or declared or "cp1252"
    return body.decode(fallback, errors="replace"), fallback


def normalize_charset(label: str) -> str | None:
    """The Python codec name for a charset label as found on the web, or None if unknown."""
    name = label.strip().strip("\"'").strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared_in_document(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    encoding = normalize_charset(match.group(1).decode("ascii"))
    if encoding is not None and encoding.startswith("utf-16"):
        # The document was readable as ASCII to find this, so it is not UTF-16 (HTML spec).
        return "utf-8"
    return encoding


def _decode_strictly(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _reads_as_korean(text: str) -> bool:
    """Mostly common Hangul syllables: CP949 misreadings of other encodings are not."""
    sample = text[:_KOREAN_SAMPLE]
    non_ascii = len(_NON_ASCII.findall(sample))
    hangul = len(_ks_x_1001_hangul().findall(sample))
    return hangul > 0 and hangul >= 0.7 * non_ascii


def _few_replacements(text: str) -> bool:
    """UTF-8 with at least 20 well-formed non-ASCII characters for each undecodable byte."""
    bad = text.count("\ufffd")
    good = len(_NON_ASCII.findall(text)) - bad
    return bad > 0 and 20 * bad <= good


def _detect(body: bytes) -> str | None:
    matches = charset_normalizer.from_bytes(body[:_DETECTION_SAMPLE])
    best = matches.best()
    if best is None:
        return None
    # Short Western texts fit several Latin code pages equally well (it would read
    # "naïve" as cp1250 "naďve"); among equals, prefer the web's usual windows-1252.
    for match in matches:
        if match.chaos <= best.chaos and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return normalize_charset(best.encoding)


@functools.cache
def _ks_x_1001_hangul() -> re.Pattern[str]:
    """The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8), as a character class."""
    syllables = (bytes((lead, trail)) for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF))
    return re.compile("[" + "".join(pair.decode("euc_kr") for pair in syllables) + "]")

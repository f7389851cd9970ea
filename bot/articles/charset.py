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

Only the labels of the WHATWG Encoding Standard are honoured (``normalize_charset``);
any other label counts as no declaration at all, and detection only proposes those
encodings too. Korean labels (``euc-kr``, ``ks_c_5601-1987``, ``x-windows-949``, …)
are read as CP949, the superset that pages labelled EUC-KR really use (e.g. "똠", "햏").
"""

from __future__ import annotations

import codecs
import functools
import re

import charset_normalizer

_SNIFF_BYTES = 4096
_DETECTION_SAMPLE = 256 * 1024
_KOREAN_SAMPLE = 200_000

# The WHATWG Encoding Standard's labels (https://encoding.spec.whatwg.org/#names-and-labels),
# by the Python codec that implements each encoding. No other label is honoured: Python
# also knows codecs that are no text encodings at all (punycode, idna, unicode_escape,
# utf-7, …), some of them slow enough to stall a worker for a minute on one page.
_WHATWG_LABELS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
    "iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
    "iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
    "iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
    "iso_8859-5 iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 "
    "iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
    "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    # ISO-8859-8 and ISO-8859-8-I differ only in the direction a browser lays text out.
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 "
    "iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 "
    "iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
    "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    # The standard's GBK decoder is its gb18030 decoder.
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk "
    "gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    # CP949 (Unified Hangul Code), the superset that pages labelled EUC-KR really use.
    # After the standard's labels, spellings met on Korean sites.
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
    "ksc5601 ksc_5601 windows-949 euc_kr euckr ks_c_5601 ks_x_1001 cskscs56011987 "
    "x-windows-949 ms949 uhc cp949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    # Not here: the "replacement" labels (iso-2022-kr, iso-2022-cn, hz-gb-2312, …), which
    # a browser decodes to a single U+FFFD so that no filter is fooled by them, and
    # x-user-defined, which no Python codec implements. Both count as undeclared.
}
_LABELS = {label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels.split()}
WEB_CODECS = frozenset(_WHATWG_LABELS)
"""Python codecs that ``decode_document`` may use: those of the web's encodings."""
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
    """The Python codec for a web encoding label (WHATWG), or None for any other label."""
    return _LABELS.get(label.strip().strip("\"'").strip().lower())


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
    """The text, or None if ``body`` is not valid in ``encoding`` (whatever the codec raises)."""
    try:
        return body.decode(encoding)
    except (UnicodeError, LookupError, ValueError):
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
    matches = charset_normalizer.from_bytes(
        body[:_DETECTION_SAMPLE], cp_isolation=sorted(WEB_CODECS)
    )
    best = matches.best()
    if best is None:
        return None
    # Short Western texts fit several Latin code pages equally well (it would read
    # "naïve" as cp1250 "naďve"); among equals, prefer the web's usual windows-1252.
    for match in matches:
        if match.chaos <= best.chaos and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    codec = codecs.lookup(best.encoding).name
    return codec if codec in WEB_CODECS else None


@functools.cache
def _ks_x_1001_hangul() -> re.Pattern[str]:
    """The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8), as a character class."""
    syllables = (bytes((lead, trail)) for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF))
    return re.compile("[" + "".join(pair.decode("euc_kr") for pair in syllables) + "]")

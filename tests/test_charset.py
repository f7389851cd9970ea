from __future__ import annotations

import pytest

from bot.articles.charset import WEB_CODECS, decode_document, normalize_charset

# "똠" and "햏" exist only in CP949, not in EUC-KR proper; pages labelled euc-kr use them anyway.
KOREAN = "북한이 동해상으로 탄도미사일을 발사했다. 똠방각하와 햏자도 소식을 전했다."


def page(meta: str = "", text: str = KOREAN) -> str:
    head = f"<head>{meta}<title>속보</title></head>"
    return f"<!doctype html><html>{head}<body><p>{text}</p></body></html>"


def test_page_declaring_euc_kr_with_cp949_only_syllables() -> None:
    html = page('<meta charset="euc-kr">')
    assert decode_document(html.encode("cp949"), None) == (html, "cp949")


def test_http_equiv_ks_c_5601_label() -> None:
    html = page('<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">')
    assert decode_document(html.encode("cp949"), None) == (html, "cp949")


def test_header_euc_kr() -> None:
    html = page()
    assert decode_document(html.encode("cp949"), "EUC-KR") == (html, "cp949")


def test_korean_page_without_any_declaration() -> None:
    html = page()
    assert decode_document(html.encode("cp949"), None) == (html, "cp949")


def test_short_korean_text_is_not_taken_for_big5() -> None:
    assert decode_document("짧은 글".encode("cp949"), None, "text/plain") == ("짧은 글", "cp949")


def test_bom_beats_a_lying_meta_and_header() -> None:
    html = page('<meta http-equiv="Content-Type" content="text/html; charset=x-sjis">')
    body = b"\xff\xfe" + html.encode("utf-16-le")
    assert decode_document(body, "x-sjis") == (html, "utf-16-le")


def test_utf8_bom() -> None:
    assert decode_document(b"\xef\xbb\xbf" + page().encode(), "euc-kr") == (page(), "utf-8")


def test_utf16be_bom() -> None:
    assert decode_document(b"\xfe\xff" + page().encode("utf-16-be"), None) == (page(), "utf-16-be")


def test_header_beats_meta() -> None:
    html = page('<meta charset="euc-kr">')
    assert decode_document(html.encode("utf-8"), "utf-8") == (html, "utf-8")


def test_declaration_that_does_not_decode_falls_through() -> None:
    html = page('<meta charset="utf-8">')  # but the bytes are CP949
    assert decode_document(html.encode("cp949"), "utf-8") == (html, "cp949")


def test_utf8_page_wrongly_declared_euc_kr() -> None:
    html = page('<meta charset="euc-kr">')
    assert decode_document(html.encode("utf-8"), None) == (html, "utf-8")


def test_xml_declaration() -> None:
    xhtml = '<?xml version="1.0" encoding="EUC-KR"?>\n' + page()
    assert decode_document(xhtml.encode("cp949"), None, "application/xhtml+xml") == (xhtml, "cp949")


def test_meta_is_ignored_in_plain_text() -> None:
    text = '<meta charset="iso-8859-1"> 한국어 본문입니다.'
    assert decode_document(text.encode("utf-8"), None, "text/plain") == (text, "utf-8")


def test_default_latin1_header_does_not_spoil_a_korean_page() -> None:
    # Tomcat and friends label everything ISO-8859-1 unless told otherwise.
    html = page('<meta charset="euc-kr">')
    assert decode_document(html.encode("cp949"), "ISO-8859-1") == (html, "cp949")
    assert decode_document(page().encode("utf-8"), "ISO-8859-1") == (page(), "utf-8")


def test_latin1_header_on_a_western_page() -> None:
    text = "Le président a déclaré: « naïve »."
    assert decode_document(text.encode("cp1252"), "iso-8859-1", "text/plain") == (text, "cp1252")


def test_undeclared_western_page() -> None:
    text = "café au lait, naïve résumé"
    assert decode_document(text.encode("cp1252"), None, "text/plain") == (text, "cp1252")


def test_utf8_with_one_stray_byte_stays_utf8() -> None:
    body = page().encode("utf-8").replace(b"</p>", b"\xff</p>")
    text, encoding = decode_document(body, None)
    assert encoding == "utf-8"
    assert KOREAN + "\ufffd" in text


def test_ascii_only() -> None:
    assert decode_document(b"<p>hello</p>", None) == ("<p>hello</p>", "utf-8")


def test_empty_body() -> None:
    assert decode_document(b"", None) == ("", "utf-8")


def test_undecodable_bytes_still_give_text() -> None:
    text, _ = decode_document(bytes(range(256)) * 4, None)
    assert text


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("euc-kr", "cp949"),
        ("EUC_KR", "cp949"),
        ("ks_c_5601-1987", "cp949"),
        ("x-windows-949", "cp949"),
        ("KSC5601", "cp949"),
        ('"utf-8"', "utf-8"),
        ("UTF8", "utf-8"),
        ("iso-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("x-sjis", "cp932"),
        ("gb2312", "gb18030"),
        ("no-such-charset", None),
        ("punycode", None),
        ("iso-2022-kr", None),
        ("x-user-defined", None),
    ],
)
def test_normalize_charset(label: str, codec: str | None) -> None:
    assert normalize_charset(label) == codec


# ── Labels that are not web encodings ─────────────────────────────────────────

# Read with the codec its label names, this ASCII text would come out wrong or not at all:
# utf-7 reads "+ACE-" as "!", idna "xn--3e0b707e" as "한국", the escape codecs "\\u00e9"
# as "é"; punycode raises a UnicodeError (and takes ~40 s of CPU on a 640 KB page).
TRICKY = (
    "North Korea fired a missile on Friday, state media said; grades rose to A+ACE- "
    "at www.xn--3e0b707e.kr (see C:\\u00e9 notes)."
)
NOT_WEB_ENCODINGS = [
    "punycode",
    "idna",
    "unicode_escape",
    "raw_unicode_escape",
    "utf-7",
    "rot13",
    "zlib_codec",
    "x" * 5_000,
]


def tricky_page(meta: str = "") -> str:
    return f"<!doctype html><html><head>{meta}<title>News</title></head><p>{TRICKY}</p></html>"


def label_id(label: str) -> str:
    return label if len(label) < 20 else f"{len(label)}-character label"


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS, ids=label_id)
def test_a_header_naming_a_non_web_codec_is_ignored(label: str) -> None:
    html = tricky_page()
    assert decode_document(html.encode("ascii"), label) == (html, "utf-8")


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS, ids=label_id)
def test_a_meta_naming_a_non_web_codec_is_ignored(label: str) -> None:
    html = tricky_page(f'<meta charset="{label}">')
    assert decode_document(html.encode("ascii"), None) == (html, "utf-8")


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS, ids=label_id)
def test_an_xml_declaration_naming_a_non_web_codec_is_ignored(label: str) -> None:
    xml = f'<?xml version="1.0" encoding="{label}"?>\n<rss><title>{TRICKY}</title></rss>'
    assert decode_document(xml.encode("ascii"), None, "application/xml") == (xml, "utf-8")


def test_korean_page_with_a_non_web_label_is_detected_as_korean() -> None:
    html = page('<meta charset="unicode_escape">')
    assert decode_document(html.encode("cp949"), "punycode") == (html, "cp949")


def test_replacement_labels_are_not_decoded_with_their_codec() -> None:
    # Python would read these ISO-2022-KR escapes as "한"; a browser reads nothing at all.
    body = b"\x1b$)C<p>\x0e\x47\x51\x0f</p>"
    text, encoding = decode_document(body, "iso-2022-kr", "text/plain")
    assert encoding != "iso2022_kr" and "한" not in text


def test_every_label_maps_to_a_web_codec() -> None:
    import codecs

    for codec in WEB_CODECS:
        assert codecs.lookup(codec).name == codec
    assert normalize_charset("latin1") == "cp1252", "per the standard, latin1 is windows-1252"

"""A feed item's lede as a reader should see it: the news, not the wire's paperwork.

Feeds hand over their descriptions as the wire filed them: a dateline and byline first
(``(서울=연합뉴스) 전명훈 기자 =``, ``WASHINGTON, Aug. 13 (Yonhap) --``, ``Pyongyang,
November 5 (KCNA) --``), picture credits (``사진=…, 그래픽=…``), Yonhap's sign-off
(``jhcho@yna.co.kr (끝)``), often cut mid-sentence with ``...``, sometimes nothing but a
stray bracket or a diary item's time. :func:`clean_lede` removes the paperwork and keeps
whole sentences only; when nothing usable is left it returns ``""`` and the item shows its
headline alone.
"""

from __future__ import annotations

import re

from bot.news.headlines import strip_wire_tags

# "(서울=연합뉴스) 이밝음 기자 =", "(로스앤젤레스=연합뉴스) 임미나 특파원 =",
# "(서울=뉴스1) 김기자 기자 =", "【서울=뉴시스】": a place and an agency, then the byline.
_KOREAN_DATELINE = re.compile(
    r"^\s*[(\[【][^()\[\]【】=]{1,30}=[^()\[\]【】=]{1,20}[)\]】]\s*"
    r"(?:[가-힣A-Za-z·\s]{1,40}?(?:기자|특파원|통신원|객원기자|논설위원)\s*[=:]\s*)?"
)
# A byline without a dateline: "전명훈 기자 = ".
_KOREAN_BYLINE = re.compile(r"^\s*[가-힣]{2,4}(?:\s*·\s*[가-힣]{2,4})*\s*(?:기자|특파원)\s*=\s*")
# "WASHINGTON, Aug. 13 (Yonhap) --", "Pyongyang, November 5 (KCNA) --",
# "SEOUL, Sept. 6 (Yonhap) --", "BEIJING, Aug 25 (Reuters) -".
_ENGLISH_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'\- ]{1,40}(?:, [A-Z][A-Za-z.'\- ]{1,30})?,\s+"
    r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?\s+\([A-Za-z .&-]{2,30}\)\s*[-–—]{1,2}\s*"
)
# Yonhap's notice-board and diary items open with a bullet: "▲ 통일부는 …".
_BULLET = re.compile(r"^\s*[▲■◆◇●]\s*")
# Chosun's picture credits, often twice: "/사진=JTBC 방송 캡쳐·오종찬 기자, 그래픽=조선디자인랩
# 김영재", "사진=조선DB·아산정주영닷컴, 그래픽=조선디자인랩 이연주".
_CREDIT = (
    r"/?\s*(?:사진|그래픽|일러스트|영상)\s*=\s*"
    r"(?:[^,/=]{0,30}?기자|\S+디자인랩\s*[가-힣]{2,4}|[^\s,/=]+)"
)
_CREDITS = re.compile(rf"^(?:\s*{_CREDIT}\s*,?)+\s*")
# Yonhap's sign-off: the reporter's address and "(끝)", the end of the copy.
_SIGN_OFF = re.compile(r"\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*)?\(끝\)\s*$")
# A diary item's lede that is only its time: "(09:00)".
_TIME_ONLY = re.compile(r"^\(?\s*\d{1,2}:\d{2}\s*\)?$")
_CUT = re.compile(r"(?:\.{3}|…)\s*$")
_SENTENCE_END = re.compile(r"[.!?。]['\"’”)]*(?=\s|$)|다\.(?=\s|$)")
_WORDLESS = re.compile(r"^[\W_]*$")
_NON_WORD = re.compile(r"[\W_]+")
# Characters that show nothing: the Hangul fillers (a Hangul "letter" to the regex engine,
# which some feeds send as the whole description: "ㅤ") and zero-width spaces and joiners.
_INVISIBLE = str.maketrans(
    dict.fromkeys("\u3164\u115f\u1160\uffa0\u200b\u200c\u200d\u2060\ufeff", " ")
)


def clean_lede(text: str | None, headline: str = "") -> str:
    """The lede without dateline, byline or a cut-off last sentence; "" if nothing is left
    or all that is left repeats the ``headline`` (a flash filed as its own description,
    "[속보] 인요한, 국회의원직 사퇴"; CGTN's descriptions, often the headline again)."""
    text = " ".join((text or "").translate(_INVISIBLE).split())
    for pattern in (_CREDITS, _KOREAN_DATELINE, _KOREAN_BYLINE, _ENGLISH_DATELINE, _BULLET):
        text = pattern.sub("", text, count=1)
    text = _SIGN_OFF.sub("", text, count=1)
    if _TIME_ONLY.match(text):
        return ""
    if _CUT.search(text):
        text = _whole_sentences(_CUT.sub("", text))
    else:
        # Feeds also cut without saying so: a fragment after the last full stop goes. A
        # lede with no full stop at all is usually one whole sentence, so it stays, and so
        # does one that ends on a quotation and its attribution ('…," the minister said').
        # A lede whose quotation marks do not pair up even as a whole has them wrong at
        # the source (a “ for a ”): the fragment after its last sentence goes all the same.
        whole = _whole_sentences(text)
        if not whole and not _quotes_closed(text):
            whole = _whole_sentences(text, quotes=False)
        text = whole or text
    if _WORDLESS.match(text) or (headline and _repeats(text, headline)):
        return ""
    return text


def _repeats(lede: str, headline: str) -> bool:
    """Whether the lede says nothing the headline does not: its words, wire tags and
    punctuation aside, are a part of the headline's."""
    words = _words(lede)
    return bool(words) and words in _words(headline)


def _words(text: str) -> str:
    return _NON_WORD.sub("", strip_wire_tags(text)).casefold()


def _whole_sentences(text: str, quotes: bool = True) -> str:
    """Everything up to the end of the last complete sentence outside quotation marks
    (with ``quotes=False``, of the last sentence, quotation marks aside).

    A full stop inside quoted speech that the cut left open (``만나 “모르겠다. 그는…``)
    ends no sentence of the report: keeping up to it would end the lede on an open quote.
    """
    for match in reversed(list(_SENTENCE_END.finditer(text))):
        kept = text[: match.end()]
        if not quotes or _quotes_closed(kept):
            return kept.strip()
    return ""


def _quotes_closed(text: str) -> bool:
    return text.count("“") <= text.count("”") and text.count('"') % 2 == 0

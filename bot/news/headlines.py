"""Headline clean-up shared by clustering and the briefing's display.

Wires mark how a story was filed, not what it says: Yonhap's English service puts
``(LEAD)``, ``(2nd LD)``, ``(URGENT)``, ``(News Focus)`` before the headline, its Korean
service ``(종합)``, ``(종합2보)``, ``(2보)`` after it and ``[속보]``, ``[1보]`` before it;
aggregators append the outlet (``… | Yonhap``, ``… - The Korea Times``); KCNA ends its
headlines with the day in its own calendar (``[Juche113.2.11.]``). A reader needs
none of it, and two updates of one story should read the same to the clusterer.
:func:`strip_wire_tags` removes such marks at the start and the end, however many; a tag
inside the headline ("Parliament (LEAD) vote") is the headline's own text and stays.
"""

from __future__ import annotations

import re

__all__ = ["is_format_item", "strip_wire_tags"]

_ENGLISH_TAG = (
    r"(?:\d+(?:st|nd|rd|th)\s+)?(?:LEAD|LD)"
    r"|URGENT|UPDATE(?:\s*\d+)?|UPDATED|BREAKING|CORRECTED|EXCLUSIVE"
    r"|News\s+(?:Focus|Analysis)|Yonhap\s+(?:Interview|Feature)|Interview|Feature"
)
# 속보 (breaking), 1보/2보 (first/second filing), 종합/종합2보 (round-up, its second
# update), 단독 (exclusive), 긴급 (urgent); a space or a middle dot may sit inside. Also
# the page's format, which a text briefing does not carry: 영상/동영상 (video), 쇼츠
# (shorts), 포토/사진 (photo), 그래픽, 카드뉴스 (captured: Yonhap's and Chosun's "[영상]"); and
# Yonhap's column of short North Korea items, 북한단신, a label rather than news.
_FORMAT = r"동?영상|쇼츠|포토|사진|그래픽|카드\s*뉴스"
_KOREAN_TAG = (
    r"속보|긴급|단독|종합\s*(?:\d+\s*보)?|\d+\s*보|(?:속보|긴급)\s*[·,]\s*\d+\s*보"
    rf"|{_FORMAT}|북한\s*단신"
)
# KCNA stamps its headlines with the date in its own calendar: "[Juche113.2.11.]".
_JUCHE_DATE = r"\[\s*Juche\s*\d+(?:\.\d+){0,2}\.?\s*\]"
_TAG = (
    rf"(?:\(\s*(?:{_ENGLISH_TAG})\s*\)|[\[(【〔<]\s*(?:{_KOREAN_TAG})\s*[\])】〕>]"
    rf"|{_JUCHE_DATE})"
)
_OPENERS = frozenset("([【〔<")
_CLOSERS = frozenset(")]】〕>")
_LEADING = re.compile(rf"^\s*{_TAG}\s*", re.IGNORECASE)
_TRAILING = re.compile(rf"\s*{_TAG}\s*$", re.IGNORECASE)

# Outlets that aggregators name after the headline ("… | Yonhap", "… - The Korea Times").
# Only known names after "|" or " - ": "… — Lavrov" names a speaker, and TASS's
# "US weighs new tariffs — WSJ" the outlet it quotes, which the reader should see.
_OUTLETS = (
    "Yonhap", "Yonhap News", "Yonhap News Agency", "Yonhap News TV", "The Korea Times",
    "Korea Times", "The Korea Herald", "Korea Herald", "Korea JoongAng Daily",
    "JoongAng Daily", "The Chosun Daily", "The Chosun Ilbo", "Chosun Ilbo",
    "The Dong-A Ilbo", "Dong-A Ilbo", "The Hankyoreh", "Hankyoreh", "Korea Pro",
    "KBS", "KBS News", "KBS World", "MBC", "SBS", "Arirang", "Arirang News", "NK News",
    "NK Pro", "Daily NK", "38 North", "Reuters", "AP", "AP News", "The Associated Press",
    "Associated Press", "AFP", "BBC", "BBC News", "CNN", "NHK", "NHK World", "Kyodo",
    "Kyodo News", "Nikkei Asia", "The Japan Times", "South China Morning Post", "SCMP",
    "The Guardian", "The New York Times", "New York Times", "The Washington Post",
    "Washington Post", "Bloomberg", "The Wall Street Journal", "Wall Street Journal",
    "WSJ", "Al Jazeera", "TASS", "Xinhua", "CGTN", "Global Times", "Taipei Times",
    "Voice of America", "VOA", "Radio Free Asia", "RFA",
    "연합뉴스", "연합뉴스TV", "조선일보", "조선비즈", "중앙일보", "동아일보", "한겨레",
    "경향신문", "한국일보", "국민일보", "서울신문", "세계일보", "문화일보", "매일경제",
    "한국경제", "머니투데이", "이데일리", "서울경제", "헤럴드경제", "아시아경제",
    "파이낸셜뉴스", "뉴스1", "뉴시스", "노컷뉴스", "오마이뉴스", "데일리NK", "통일뉴스",
    "KBS뉴스", "MBC뉴스", "SBS뉴스", "JTBC", "채널A", "TV조선", "MBN", "YTN",
)  # fmt: skip
_OUTLET = "|".join(re.escape(name) for name in sorted(_OUTLETS, key=len, reverse=True))
_OUTLET_SUFFIX = re.compile(rf"(?:\s+-|\s*\|)\s*(?:{_OUTLET})\s*$")


# An item whose headline is marked as a video, photos, a card story or a speech's full
# text ("[영상]", "[포토]", "[전문]", "(Video)", "Full text:") is a page of another
# format: the briefing shows a story by a report when it has one.
_FORMAT_TAG = rf"[\[(【〔<]\s*(?:{_FORMAT}|화보|전문|video|photos?)\s*[\])】〕>]"
_FORMAT_MARK = re.compile(
    rf"^\s*{_FORMAT_TAG}|{_FORMAT_TAG}\s*$|^\s*(?:watch|video|in pictures|photos|full text)\s*:",
    re.IGNORECASE,
)


def is_format_item(headline: str) -> bool:
    """Whether the headline marks a video, photo, card-story or full-text item."""
    return _FORMAT_MARK.search(headline) is not None


def strip_wire_tags(headline: str) -> str:
    """The headline without wire tags and outlet suffixes at its start or end.

    ``(2nd LD) N. Korea fires…`` → ``N. Korea fires…``; ``北 미사일 발사(종합2보)`` →
    ``北 미사일 발사``; ``Kim visits Russia | Yonhap`` → ``Kim visits Russia``. A headline
    that is nothing but a tag is left as it is.
    """
    previous = None
    text = " ".join(headline.split())
    while previous != text:
        previous = text
        # Cheap checks first: most headlines have no tag, and a regex anchored at the
        # end would be tried at every position of the text.
        if text[-1:] in _CLOSERS:
            text = _TRAILING.sub("", text, count=1).strip() or text
        if text[:1] in _OPENERS:
            text = _LEADING.sub("", text, count=1).strip() or text
        if "|" in text[-40:] or " -" in text[-40:]:
            text = _OUTLET_SUFFIX.sub("", text, count=1).strip() or text
    return text

"""Routine formats: headline tags that mark a listing, not news.

Korean wires file their routine copy under a bracketed tag at the start of the headline:
``[인사] 외교부`` (appointments), ``[부고]`` (obituaries), ``[게시판]`` (notices of events),
``[동정]`` (officials' schedules), ``[특징주]``/``[외환]``/``[코스피]`` (market quotes),
``[내일날씨]``, ``[오늘의 운세]``, ``[주요 신문 사설](6일 조간)`` (press digests),
``[부산소식]`` (local bulletins). The labelling policy (``../shared/data/realnews``) puts all
of these outside a peninsula briefing — routine market and exchange-rate reports, weather,
local news — and on the real development set (15,416 labelled items) 613 of 617 items
under these tags are labelled not relevant (the four: a bulletin about a summer school for
North Korean defectors' children, two press digests and a market wrap).

The learned model mostly agrees, but not always: a peninsula word in the listing (탈북민
in ``[게시판] 탈북민 작가 … 특별전``, 외교부 in ``[인사] 외교부``) could carry it into the
briefing, where "[인사] 외교부" once stood second of eight. So the format decides before the
words: :func:`routine_tag` names the tag, and the relevance filter keeps such items out.
"""

from __future__ import annotations

import re

__all__ = ["routine_tag"]

_TAGS = frozenset(
    {
        # Notices, appointments, obituaries, schedules, new books, tables.
        "게시판",
        "인사",
        "부고",
        "동정",
        "신간",
        "표",
        "오늘의 국회일정",
        # Market quotes and columns.
        "특징주",
        "코스피",
        "코스닥",
        "외환",
        "마켓뷰",
        "투자노트",
        # Press digests.
        "주요 신문 사설",
        "전국 주요 신문 사설",
        "전국 주요 신문 톱뉴스",
        # Health tips.
        "건강포커스",
    }
)
_SUFFIXES = ("날씨", "운세", "소식")
"""``[내일날씨]``, ``[북한날씨]``, ``[오늘의 운세]``, and the local and culture bulletins
``[부산소식]``, ``[충주소식]``, ``[문화소식]``, ``[가요소식]``."""

_LEADING_TAG = re.compile(r"^\s*[\[【〔]\s*([^\]】〕]{1,16}?)\s*[\]】〕]")


def routine_tag(title: str) -> str | None:
    """The routine-format tag a headline starts with (``"인사"``), or None."""
    match = _LEADING_TAG.match(title)
    if match is None:
        return None
    tag = " ".join(match.group(1).split())
    if tag in _TAGS or tag.endswith(_SUFFIXES):
        return tag
    return None

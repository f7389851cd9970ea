"""Market records: the day the national market makes history is news, its ordinary days are not.

The labelling policy (``../shared/data/realnews``) keeps routine KOSPI and exchange-rate
reports out of a peninsula briefing but puts "record market moves and crashes" in. The
learned model cannot tell the two apart: on the real development set the market's words
come almost only with routine days (a 2.7 % fall at the open, labelled not relevant), so
they weigh against relevance — and a crash that halts trading reads to the model like
another quote. On dev every headline of the index at a record (12 of 12: "코스피, 사상
최고치 경신", "사상 첫 4,100선 돌파") is labelled relevant, and the model, judged on weeks it
was not fitted on, let 6 of the 10 go.

So the headline decides, as a routine tag does (:mod:`bot.news.routine`): the national
index or the won (코스피, 코스닥, 원/달러 환율; KOSPI, "Seoul shares", "the won") together
with a mark of a record or of a crash — 사상 최고/최저, 역대 최고, 사상 첫, 최대 낙폭,
폭락, a sidecar or circuit breaker (Korea's exchange triggers them on a 5 % and an 8 %
move, so they are crashes by definition); "record high", "circuit breaker", "plunge".
A fall (급락) or a rise at the open alone is not a record: such days stay with the model.
"""

from __future__ import annotations

import re

__all__ = ["market_record"]

_MARKET = re.compile(
    r"코스피|코스닥|(?:국내|한국|韓|서울)\s*증시|(?<![가-힣])환율|원[/·]?달러|원화"
    r"|\bKOSPI\b|\bKOSDAQ\b|\bSeoul (?:shares|stocks)\b|\bKorean won\b|\bthe won\b",
    re.IGNORECASE,
)
_RECORD = re.compile(
    r"사상\s*(?:최고|최저|처음|첫)|역대\s*(?:최고|최저|최대)|최고치|최저치|최대\s*(?:낙폭|폭락|하락폭)"
    r"|폭락|사이드카|서킷\s*브레이커|블랙\s*(?:먼데이|프라이데이)"
    r"|\brecord[- ](?:high|low)s?\b|\ball-time (?:high|low)\b|\bsidecar\b|\bcircuit[- ]breakers?\b"
    r"|\bplunges?\b|\bplunged\b|\bcrash(?:es|ed)?\b",
    re.IGNORECASE,
)


def market_record(title: str) -> str | None:
    """The record or crash a headline reports of the national market (``"사이드카"``), or None."""
    if _MARKET.search(title) is None:
        return None
    match = _RECORD.search(title)
    return " ".join(match.group(0).split()) if match else None

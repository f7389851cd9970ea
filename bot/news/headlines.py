"""Headline clean-up shared by clustering and the briefing's display."""

from __future__ import annotations

import re

# Wire-service tags that say how a story was filed, not what it says:
# "(LEAD)", "(2nd LEAD)", "(URGENT)", "[속보]", "[종합2보]", "【단독】".
WIRE_TAG = re.compile(
    r"^\s*(?:\((?:\d\w*\s+)?(?:LEAD|URGENT|UPDATE|BREAKING|News Focus|Yonhap Interview)\)"
    r"|[\[(【](?:속보|종합|\d보|단독|긴급|1보|2보)[^\])】]*[\])】])\s*",
    re.IGNORECASE,
)


def strip_wire_tags(headline: str) -> str:
    """``(2nd LEAD) N. Korea fires…`` → ``N. Korea fires…``; repeated tags too."""
    previous = None
    while previous != headline:
        previous, headline = headline, WIRE_TAG.sub("", headline, count=1)
    return headline.strip()

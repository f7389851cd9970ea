"""Extractor output → the article's paragraphs, one per line, without the page around them.

Whatever extractor read a page, its text goes through the same clean-up: bylines,
copyright and "(END)" lines, share buttons, cookie notices, reprint notices and a
headline repeated as the first line go; a block of prose printed twice is kept once, but
lines a piece repeats on purpose (a meal plan's "Drink during your workout" every day)
stay. Tables, which trafilatura writes as ``| cell | cell |``, are read as words.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
SENTENCE_END = re.compile(r"[.!?。…](?:[\"'”’)\]]*)(?=\s|$)")
"""Where a sentence may end: punctuation, closing quotes or brackets, then space."""
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?。…\"'”’)\]다요]$")
_HAS_WORD = re.compile(r"[^\W_]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TABLE_CELL = re.compile(r"(?<!\\)\|")

_BOILERPLATE = re.compile(
    r"""^(?:
        (?:copyright|©|ⓒ|\(c\)\s).*
      | .*\ball\ rights\ reserved\b.*
      | .*(?:저작권자|무단\s*전재|재배포\s*금지|무단\s*복제).*
      | (?:[(\[/]\s*(?:end|끝)\s*[)\]/]|끝)
      | (?:share|share\ (?:this|on)\b.*|tweet|email|e-mail|print|copy\ link|공유하기|스크랩|인쇄)
      | -?\s*(?:order\ reprints|print\ article|reprints)
      | text\ size
      | https?://\S+
      | by
      | (?:related\ (?:articles?|stories|news|coverage)|read\ more|more\ stories|most\ read
          |you\ may\ also\ like|recommended|관련\s*기사|많이\s*본\s*(?:기사|뉴스)|추천\s*기사).*
      | (?:advertisement|sponsored|광고)
      | .*\b(?:we\ use\ cookies|cookie\ policy|accept\ (?:all\ )?cookies)\b.*
      | [\[(]?(?:사진|자료\s*사진|그래픽|영상|제공)\s*[=:].*
      | (?:photo|image|file\ photo)\s*(?:by|:|=|courtesy)\b.*
      | .*(?:기사\s*입력|입력|수정|등록|published|updated|written|posted)
          \s*[:：]?\s*\[?\s*\d{4}[-./]\d{1,2}.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
"""Whole lines that are never article prose (checked on short lines only)."""

_BYLINE = re.compile(
    r"^(?!.*[.!?]$)(?:By [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}(?:(?:,| and) .{0,60})?"
    r"|[가-힣]{2,4} ?(?:기자|특파원|선임기자|논설위원))$"
)
"""A line that only names the author: "By Hannah Seo, Defense Correspondent", "김민서 기자"."""

_END_OF_ARTICLE = re.compile(
    r"^(?:(?:copyright|©|ⓒ).*|.*(?:저작권자|무단\s*전재).*|(?:[(\[/]\s*(?:end|끝)\s*[)\]/]|끝)"
    r"|(?:related\ (?:articles?|stories|news)|관련\s*기사|more\ stories).*)$",
    re.IGNORECASE,
)
"""Lines after which, in the second half of a text, nothing belongs to the article."""

_BOILERPLATE_MAX_LEN = 160
_TRAILER_MAX_LEN = 40
_TRAILER_MAX_LINES = 3
_DUPLICATE_MIN_LEN = 20
_REPRINT_NOTICE = re.compile(
    r"^this copy is for your personal,? non-commercial use only\b", re.IGNORECASE
)
"""Dow Jones' reprint notice (barrons.com, wsj.com): longer than a boilerplate line."""
_SENTENCE_BREAK = re.compile(r"[.!?。](?:[\"'”’)\]]*)\s+[\"“‘']?[A-Z가-힣]")
_PROSE_ENDS = (".", "!", "?", '"', "”", "’", "다", "요")
_REPEATED_RUN = 3
"""Lines in a row, two of them paragraphs of prose, that repeat an earlier run: a
duplicated block. A meal plan repeats its lines (one-sentence items) day after day."""


def untable(text: str) -> str:
    """trafilatura writes table rows as ``| cell | cell |``: cells joined in words instead."""
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in _TABLE_CELL.split(stripped[1:-1])]
            line = " · ".join(c for c in cells if c)
        lines.append(line)
    return "\n".join(lines)


def clean_text(raw: str | None, drop_first: set[str]) -> str:
    """Extractor output → clean paragraphs, one per line."""
    if not raw:
        return ""
    return "\n".join(clean_lines(text_lines(raw), drop_first))


def text_lines(raw: str) -> list[str]:
    lines = [squash(line) for line in _INVISIBLE.sub("", raw).split("\n")]
    return [line for line in lines if _HAS_WORD.search(line) and not _REPRINT_NOTICE.match(line)]


def clean_lines(lines: list[str], drop_first: set[str]) -> list[str]:
    if lines and normalise(lines[0]) in drop_first:
        lines = lines[1:]
    half = len(lines) // 2
    for index in range(half, len(lines)):
        if len(lines[index]) <= _BOILERPLATE_MAX_LEN and _END_OF_ARTICLE.match(lines[index]):
            lines = lines[:index]
            break
    kept = _drop_repeats(
        [
            line
            for line in lines
            if not (
                len(line) <= _BOILERPLATE_MAX_LEN
                and (
                    _BOILERPLATE.match(line)
                    or _BYLINE.match(line)
                    or (_EMAIL.search(line) and len(line) <= 80)
                )
            )
        ]
    )
    # bylines and credits left at the end ("칼럼니스트 박생강", "Reporting by ..."); a longer
    # run of short lines is a list or a table that ends the piece, and stays
    trailer = 0
    for line in reversed(kept):
        if len(line) > _TRAILER_MAX_LEN or _ENDS_LIKE_SENTENCE.search(line):
            break
        trailer += 1
    return kept[: len(kept) - trailer] if trailer <= _TRAILER_MAX_LINES else kept


def _drop_repeats(lines: list[str]) -> list[str]:
    """Without a line repeated at once, or a run of lines repeating an earlier run (a page
    that carries its article twice). A line that recurs on its own stays, and so does a
    run of list items: a meal plan's "Drink during your workout" every day."""
    kept: list[str] = []
    first_at: dict[str, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        earlier = first_at.get(line) if len(line) >= _DUPLICATE_MIN_LEN else None
        if earlier is not None:
            if kept and kept[-1] == line:
                index += 1
                continue
            run = 0
            while (
                index + run < len(lines)
                and earlier + run < len(kept)
                and lines[index + run] == kept[earlier + run]
            ):
                run += 1
            paragraphs = sum(map(_is_paragraph, lines[index : index + run]))
            if run >= _REPEATED_RUN and paragraphs >= 2:
                index += run
                continue
        first_at.setdefault(line, len(kept))
        kept.append(line)
        index += 1
    return kept


def _is_paragraph(line: str) -> bool:
    """Prose of two sentences or more ("1 tsp. olive oil" is not a sentence break)."""
    return len(line) >= 100 and line.endswith(_PROSE_ENDS) and bool(_SENTENCE_BREAK.search(line))


def squash(text: str) -> str:
    """Runs of white space as one space, none at the ends."""
    return _WS.sub(" ", text).strip()


def normalise(text: str) -> str:
    """Case-, space- and punctuation-insensitive form for comparing names and titles."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())

"""Sentences that are never summary material, whatever their score.

Credits, bylines, reporter e-mails, copyright lines, photo captions ("Pictured: …",
"(pictured above)", a "Label: … pictured …" caption glued into the text), reader prompts
("Do you think …?", "Tell us …"), question-and-answer items ("Q: …", a speaker's
question, an explainer's question heading) and agency tails ("(END)", "[연합뉴스]").
The summarizer sets them aside before ranking (``bot.articles.summarize``).
"""

from __future__ import annotations

import re

__all__ = ["PHOTO_CREDIT", "is_boilerplate"]

# Phrases are plain substring tests on the lower-cased sentence, and the regexes are
# anchored where possible: an alternation of literals scanned by ``re`` would cost more
# than everything else in the summarizer.
_BOILERPLATE_PHRASES = (
    *("copyright", "all rights reserved", "©", "ⓒ", "(end)", "reporting by", "editing by"),
    *("writing by", "click here", "sign up for", "subscribe to", "newsletter", "follow us"),
    *("read more", "related article", "photo by", "photos by", "photo courtesy"),
    *("getty images", "reuters/", "/yonhap", "무단 전재", "무단전재", "재배포 금지"),
    *("재배포금지", "저작권자", "활용 금지", "사진=", "사진 =", "자료사진", "제보는"),
    *("구독하기", "바로가기"),
)
_BOILERPLATE_ANYWHERE = re.compile(r"\(c\) ?\d{4}")
_BOILERPLATE_START = re.compile(
    r"""END$
    |(?:this|the|in\ this|a|an)\ (?:undated\ |file\ |handout\ |pool\ )*
        (?:photo|image|picture|screenshot|screen\ grab)\b
    |photos?:|\[?사진\s*[=:\]]
    |[(\[【][^()\[\]【】]{1,15}=[^()\[\]【】]{1,20}[)\]】]\s*(?:[가-힣]{2,4}\s*)*
        (?:기자|특파원)?\s*=?$
    |(?:[가-힣]{2,4}\s+)*[가-힣]{2,4}\s*(?:기자|특파원|통신원)\s*=?$""",
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_END = re.compile(
    r"""\((?:yonhap|ap|afp|reuters|epa|kcna|pool|news1)(?:\ photo)?\)$
    |제공\]$|재판매\ 금지\]$|\[[^\]]*연합뉴스\]$|/뉴스1$""",
    re.IGNORECASE | re.VERBOSE,
)
PHOTO_CREDIT = re.compile(
    r"""[(\[【<](?=[^()\[\]【】<>]{0,60}[)\]】>]$)[^()\[\]【】<>]*
    (?:yonhap|news1|newsis|photo|\bap\b|afp|reuters|epa|getty|kcna|pool
      |연합뉴스|뉴스1|뉴시스|사진|조선중앙통신|제공|\bdb\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_TERMINAL = re.compile(r"""[.!?…。！？]["'”’»)\]]*$""")

# Captions: a caption label ("Pictured:", "Above:", "Left to right:") or a video teaser.
_CAPTION_START = re.compile(
    r"""(?:pictured|photo(?:graph)?s?|pictures?|images?|video|watch|above|below|top
        |bottom|left|right|inset|main\ picture|left\ to\ right)\b[^:]{0,25}:
    |scroll\ down\ for""",
    re.IGNORECASE | re.VERBOSE,
)
# "(pictured)", "(pictured left)", "(Hong Kong branch pictured)": the words point at a
# photo the reader of a summary cannot see.
_PICTURED_ASIDE = re.compile(r"\([^()]{0,60}\bpictured\b[^()]{0,60}\)", re.IGNORECASE)
# A short "Label:" opening: in a sentence that also says "pictured", a caption that
# the page glued onto the text ("Shooter: Terry Martin, 48, pictured in …").
_LABEL = re.compile(r"[A-Z][^\s:]*(?:\s[^\s:]+){0,3}:\s")
# Reader prompts: questions and calls put to the reader, not news.
_PROMPT = re.compile(
    r"""(?:do|did|would|will|should|could|can|have|are|were|is\ it|what\ do|how\ do
        |what\ would|how\ would|which\ do)\ you\b[^"“”]*[?？]$
    |(?:tell\ us|let\ us\ know|share\ your|have\ your\ say|join\ the\ (?:conversation|debate)
        |leave\ a\ comment|comment\ below|what's\ your|what\ is\ your|vote\ in\ our)\b
    |.*(?:어떻게\ 생각하(?:세요|십니까|시나요)|여러분의\ (?:생각|의견)|의견을\ (?:남겨|보내))""",
    re.IGNORECASE | re.VERBOSE,
)
# Question-and-answer items: "Q: …", "A: …", "질문:", or a named reader's question
# ("Jane Doe: What do scholars know …?").
_QA_ITEM = re.compile(
    r"""(?:Q|Question|Answer|A)\s*:|Q\.\s|(?:질문|답변|문|답)\s*[:.)]
    |[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}:\s[^"“”]*[?？]["'”’]?$""",
    re.VERBOSE,
)
_QUOTES = "\"“”'‘’「」『』"
_QUESTION_HEADING_WORDS = 12
"""An unquoted question this short is an explainer's heading ("Why is Saudi Arabia
bombing Yemen?"), not a finding: a summary of questions tells the reader nothing."""


def is_boilerplate(sentence: str) -> bool:
    """True for lines that are never summary material: credits, bylines, captions,
    reader prompts and question-and-answer items."""
    sentence = sentence.strip()
    lower = sentence.lower()
    return bool(
        any(phrase in lower for phrase in _BOILERPLATE_PHRASES)
        or ("(c)" in lower and _BOILERPLATE_ANYWHERE.search(lower))
        or _BOILERPLATE_START.match(sentence)
        or _BOILERPLATE_END.search(sentence, max(0, len(sentence) - 40))
        or ("@" in sentence and _EMAIL.search(sentence))
        or is_caption(sentence, lower)
        or _PROMPT.match(sentence)
        or _QA_ITEM.match(sentence)
        or _is_question_heading(sentence)
    )


def is_caption(sentence: str, lower: str) -> bool:
    """A photo caption: a caption label, a "(pictured …)" aside, or "pictured" in a
    labelled or unpunctuated line (a caption the page ran into the text)."""
    if _CAPTION_START.match(sentence):
        return True
    if "pictured" not in lower:
        return False
    return bool(
        _PICTURED_ASIDE.search(sentence) or _LABEL.match(sentence) or not _TERMINAL.search(sentence)
    )


def _is_question_heading(sentence: str) -> bool:
    return (
        sentence.endswith(("?", "？"))
        and not any(quote in sentence for quote in _QUOTES)
        and len(sentence.split()) <= _QUESTION_HEADING_WORDS
    )

"""Baselines the summary benchmarks measure ours against, in the same run.

* ``lead_sentences`` — Lead-N: the first N sentences, a strong baseline for news.
* ``stock_lexrank`` — sumy's own ``LexRankSummarizer`` (thresholded LexRank, pure
  Python similarity loops), fed our tokenizer, since sumy's default one needs NLTK's
  punkt data and its Korean one needs konlpy and Java. English uses sumy's Snowball
  stemmer and English stop words; Korean uses sumy's ``Stemmer("korean")`` (which is the
  null stemmer) and the Korean stop-word list sumy ships (722 entries, many of them
  multi-word phrases meant for konlpy's noun output).
"""

from __future__ import annotations

from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.articles.sentences import split_sentences
from bot.articles.summarize import NewsTokenizer


def lead_sentences(text: str, n: int, language: str | None = None) -> list[str]:
    """The first ``n`` sentences of ``text``."""
    return split_sentences(text, language)[:n]


def stock_lexrank(text: str, n: int, language: str = "en") -> list[str]:
    """``n`` sentences chosen by sumy's stock LexRank, in article order."""
    tokenizer = NewsTokenizer(language)
    # One paragraph per line, as bot.articles.summarize does, so both see the same sentences.
    paragraphs = "\n\n".join(line for line in text.splitlines() if line.strip())
    document = PlaintextParser.from_string(paragraphs, tokenizer).document
    sumy_language = "korean" if language == "ko" else "english"
    summarizer = LexRankSummarizer(Stemmer(sumy_language))
    summarizer.stop_words = get_stop_words(sumy_language)
    return [str(sentence) for sentence in summarizer(document, n)]


def guess_language(text: str) -> str:
    """``"ko"`` when Hangul makes up a fifth or more of the letters, else ``"en"``."""
    letters = sum(ch.isalpha() for ch in text) or 1
    hangul = sum("가" <= ch <= "힣" for ch in text)
    return "ko" if hangul / letters >= 0.2 else "en"

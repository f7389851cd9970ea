from __future__ import annotations

import pytest

from bot.formatting import (
    MESSAGE_LIMIT,
    escape,
    fit_lines,
    join_blocks,
    link,
    truncate_text,
    utf16_length,
    visible_length,
)


def test_escape_neutralises_markup_in_article_text() -> None:
    assert escape("<b>Kim & Yoon</b>") == "&lt;b&gt;Kim &amp; Yoon&lt;/b&gt;"


def test_link_escapes_quotes_in_href() -> None:
    assert link('https://x.kr/?a="1"&b=2', "x.kr") == (
        '<a href="https://x.kr/?a=&quot;1&quot;&amp;b=2">x.kr</a>'
    )


def test_utf16_length_counts_emoji_as_two_and_hangul_as_one() -> None:
    assert utf16_length("한국") == 2
    assert utf16_length("🚀") == 2


def test_visible_length_ignores_tags_and_counts_entities_once() -> None:
    assert visible_length("<b>a &amp; b</b>") == len("a & b")


def test_truncate_text_cuts_at_a_word_and_marks_it() -> None:
    text = "North Korea fired a ballistic missile toward the East Sea on Tuesday"
    short = truncate_text(text, 30)
    assert short.endswith("…")
    assert utf16_length(short) <= 30
    assert text.startswith(short[:-1].rstrip())


def test_truncate_text_leaves_short_text_alone() -> None:
    assert truncate_text("short", 30) == "short"


def test_join_blocks_never_splits_a_block_and_respects_the_limit() -> None:
    blocks = [f"<b>story {i}</b>\n" + "x" * 1000 for i in range(10)]
    messages = join_blocks(blocks)
    assert len(messages) > 1
    assert all(visible_length(m) <= MESSAGE_LIMIT for m in messages)
    rejoined = "\n\n".join(messages)
    assert all(block in rejoined for block in blocks)


def test_join_blocks_rejects_a_block_over_the_limit() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        join_blocks(["x" * (MESSAGE_LIMIT + 1)])


def test_fit_lines_drops_whole_body_lines_from_the_end() -> None:
    body = [f"• sentence {i} " + "y" * 900 for i in range(8)]
    text = fit_lines(["<b>Title</b>"], body, ["<a href='https://x.kr'>link</a>"], MESSAGE_LIMIT)
    assert visible_length(text) <= MESSAGE_LIMIT
    assert text.startswith("<b>Title</b>") and text.endswith("</a>")
    kept = [line for line in body if line in text]
    assert kept == body[: len(kept)] and 0 < len(kept) < len(body)

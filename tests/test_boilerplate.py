"""Sentences that never reach a summary: captions, reader prompts, Q&A items.

The texts are written for these tests in the shape real pages have them (a Daily
Mail-style caption between the paragraphs, a CNN explainer's question headings, a
reader poll under a story).
"""

from __future__ import annotations

import pytest

from bot.articles.boilerplate import is_boilerplate
from bot.articles.sentences import split_sentences
from bot.articles.summarize import summarize

# As extracted from a page: the caption is a paragraph (a line) of its own.
CAPTIONED = "\n".join(
    [
        "Shooter: Terry Marsh, 48, pictured in this 2012 mugshot, shot his partner after an "
        "argument over a lottery ticket",
        "A man who won $500 on a scratch-off lottery ticket shot his partner and then himself "
        "after she asked for half of the winnings, police in Fort Worth said on Monday.",
        "Officers found the couple in a bedroom of their home on Beaty Street.",
        "Mr Marsh (pictured left) had been arrested twice before for assault.",
        "The woman was taken to hospital but died a few hours later.",
        "Police said the ticket was found on the kitchen table.",
    ]
)

EXPLAINER = " ".join(
    [
        "Protesters filled the streets of Sao Paulo on Sunday demanding the president's "
        "impeachment over a bribery scandal at the state oil company.",
        "What do the protesters want?",
        "They say the president knew of the kickbacks while she chaired the company's board.",
        "Why was the election so close?",
        "The economy slowed sharply in the months before the vote.",
        "Q: Has she responded to the protesters?",
        "A: She said peaceful protest is part of democracy.",
        "Do you think the president should resign?",
        "Tell us in the comments below.",
    ]
)


@pytest.mark.parametrize(
    "sentence",
    [
        "Pictured: Kim Jong-un inspects the launch site in a photo released by KCNA",
        "Above: The missile lifts off from the Sunan area",
        "Scroll down for video",
        "Mr Marsh (pictured left) had been arrested twice before for assault.",
        "Embarrassing: The site took over the bank's awards page (Hong Kong branch pictured)",
        "Shooter: Terry Marsh, 48, pictured in this 2012 mugshot, shot his partner",
        "Photo: Yonhap",
    ],
)
def test_photo_captions_are_boilerplate(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Do you think the president should resign?",
        "What do you think of the new sanctions?",
        "Would you pay more for a phone made in Korea?",
        "Tell us in the comments below.",
        "Let us know what you think.",
        "Have your say on the new law.",
        "여러분은 어떻게 생각하십니까?",
    ],
)
def test_reader_prompts_are_boilerplate(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Q: Has she responded to the protesters?",
        "A: She said peaceful protest is part of democracy.",
        "Q. What happens next?",
        "Jane Doe: What do scholars know about the man named Judas?",
        "What do the protesters want?",
        "Why?",
        "질문: 회담은 언제 열립니까?",
    ],
)
def test_question_and_answer_items_are_boilerplate(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "A man who won $500 on a lottery ticket shot his partner, police said on Monday.",
        '"Do you think we will ever give up our nuclear weapons?" Kim asked the envoy.',
        "Kim Yo-jong said: the South will pay dearly for the leaflets.",
        "Photographers were kept away from the launch site, the ministry said.",
        "The ministry said it had asked Japan whether it would join the talks, but got "
        "no answer before the deadline on Friday evening?",
        "A. J. Lee, a researcher at the institute, said the test was a success.",
        "남북 정상회담은 다음 달 판문점에서 열린다.",
    ],
)
def test_news_sentences_stay_candidates(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_a_caption_among_the_paragraphs_is_never_chosen() -> None:
    summary = summarize(CAPTIONED, max_sentences=4)
    assert summary
    assert all("pictured" not in sentence for sentence in summary)
    assert summary[0].startswith("A man who won $500")


def test_a_summary_of_an_explainer_has_no_questions_or_prompts() -> None:
    summary = summarize(EXPLAINER, max_sentences=4)
    assert summary
    assert all(not sentence.endswith("?") for sentence in summary)
    assert all(not sentence.startswith(("Q:", "A:", "Tell us")) for sentence in summary)
    assert all(sentence in split_sentences(EXPLAINER, "en") for sentence in summary)

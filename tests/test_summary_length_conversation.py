"""One summary-length setting, end to end: chosen in /settings, applied to a link's summary."""

from __future__ import annotations

from tests.support.fakebotapi import FakeBotAPI, SentMessage, entity_for
from tests.support.pageserver import PageServer
from tests.test_subscription_conversation import press, say

ALICE = 5101
MINJI = 5102


def sentences_in(reply: SentMessage) -> int:
    """A link summary lists its sentences as bullets."""
    return sum(line.startswith("• ") for line in reply.plain_text.splitlines())


def labels_of(message: SentMessage) -> list[str]:
    assert message.reply_markup is not None, message.plain_text
    return [key["text"] for row in message.reply_markup["inline_keyboard"] for key in row]


async def summary_of(api: FakeBotAPI, chat_id: int, url: str, language: str) -> SentMessage:
    return await say(api, chat_id, url, entities=[entity_for(url, url)], language_code=language)


async def test_short_in_settings_gives_a_two_sentence_link_summary(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    url = page_server.url_for("/boilerplate_missile_en.html")
    await say(bot, ALICE, "/subscribe")
    assert sentences_in(await summary_of(bot, ALICE, url, "en")) == 3  # standard

    menu = await say(bot, ALICE, "/settings")
    assert "Summary: Standard · 3 sentences" in menu.plain_text
    picker = await press(bot, menu, "📏")
    labels = labels_of(picker)
    assert labels[:3] == ["Short · 2 sentences", "• Standard · 3 sentences", "Long · 5 sentences"]
    assert "each story gets 1 sentence (short)" in picker.plain_text
    home = await press(bot, picker, "Short · 2 sentences")
    assert "Summary: Short · 2 sentences" in home.plain_text

    assert sentences_in(await summary_of(bot, ALICE, url, "en")) == 2


async def test_long_gives_five_sentences_when_the_article_has_room(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    url = page_server.url_for("/boilerplate_missile_en.html")
    await say(bot, ALICE, "/subscribe")
    menu = await say(bot, ALICE, "/settings")
    picker = await press(bot, menu, "📏")
    await press(bot, picker, "Long · 5 sentences")
    assert sentences_in(await summary_of(bot, ALICE, url, "en")) == 5


async def test_korean_reader_chooses_short_and_gets_two_sentences(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    url = page_server.url_for("/goose3_test_donga_korean.html")
    await say(bot, MINJI, "/subscribe", language_code="ko")
    assert sentences_in(await summary_of(bot, MINJI, url, "ko")) == 3

    menu = await say(bot, MINJI, "/settings", language_code="ko")
    assert "요약: 보통(3문장)" in menu.plain_text
    picker = await press(bot, menu, "📏")
    labels = labels_of(picker)
    assert labels[:3] == ["짧게(2문장)", "• 보통(3문장)", "길게(5문장)"]
    home = await press(bot, picker, "짧게(2문장)")
    assert "요약: 짧게(2문장)" in home.plain_text

    assert sentences_in(await summary_of(bot, MINJI, url, "ko")) == 2


async def test_a_reader_who_never_subscribes_can_choose_short(
    bot: FakeBotAPI, page_server: PageServer
) -> None:
    url = page_server.url_for("/boilerplate_missile_en.html")
    menu = await say(bot, ALICE, "/settings")
    picker = await press(bot, menu, "📏")
    home = await press(bot, picker, "Short · 2 sentences")
    assert "📏 Summary: Short · 2 sentences" in labels_of(home)
    assert "Subscribe" in " ".join(labels_of(home)), "choosing a length does not subscribe"
    assert sentences_in(await summary_of(bot, ALICE, url, "en")) == 2

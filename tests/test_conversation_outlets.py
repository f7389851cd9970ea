"""Link summaries credit the outlet that published the story, in the reader's language."""

from __future__ import annotations

import pytest

from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer

ALICE = 1001
MINJI = 1002
NAVER_PAGE = "/htmldate_n.news.naver.com-607.html"


@pytest.mark.parametrize(
    ("user", "language", "outlet"), [(MINJI, "ko", "뉴스타파"), (ALICE, "en", "Newstapa")]
)
async def test_a_naver_news_page_is_credited_to_its_outlet(
    bot: FakeBotAPI, page_server: PageServer, user: int, language: str, outlet: str
) -> None:
    bot.user_says(user, page_server.url_for(NAVER_PAGE), language_code=language)
    [reply] = await bot.wait_for_messages(user)
    head = reply.plain_text.splitlines()
    assert head[0].startswith("[주간 뉴스타파] 부모를 빼앗긴 아기들")
    assert head[1].split(" · ")[0] == outlet
    assert "네이버" not in head[1]

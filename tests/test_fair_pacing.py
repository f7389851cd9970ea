"""Fair pacing: at the rate limit, each slot goes to the chat served least recently, so one
reader's reply does not queue behind other chats' busy streams."""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery.pacing import FairPacer
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI


class HandPacer:
    """A pacer whose slots the test releases one at a time."""

    def __init__(self) -> None:
        self.asked = 0
        self._slots: asyncio.Queue[None] = asyncio.Queue()

    async def wait(self) -> None:
        self.asked += 1
        await self._slots.get()

    def release(self, count: int = 1) -> None:
        for _ in range(count):
            self._slots.put_nowait(None)


class Sent(list[tuple[int | str, int]]):
    """(chat, message number) in the order messages got their slot."""


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def _send(
    fair: FairPacer,
    chat: int | str,
    log: list[tuple[int | str, int]],
    n: int,
    *,
    action: bool = False,
) -> asyncio.Task[None]:
    async def go() -> None:
        await fair.wait(chat, action=action)
        log.append((chat, n))

    return asyncio.create_task(go())


async def test_chats_never_served_go_in_the_order_they_asked() -> None:
    pacer, sent = HandPacer(), Sent()
    fair = FairPacer(pacer)
    tasks = [_send(fair, chat, sent, 0) for chat in (5, 3, 9, 1)]
    await _settle()
    pacer.release(4)
    await asyncio.gather(*tasks)
    assert [chat for chat, _ in sent] == [5, 3, 9, 1]
    assert pacer.asked == 4  # one slot of the pacer for each message


async def test_a_chat_just_served_waits_behind_one_that_was_not() -> None:
    pacer, sent = HandPacer(), Sent()
    fair = FairPacer(pacer)
    first = _send(fair, "busy", sent, 1)
    await _settle()
    pacer.release()
    await first
    # The busy chat's next message asks before the other reader's, and still goes second.
    tasks = [_send(fair, "busy", sent, 2), _send(fair, "reader", sent, 1)]
    await _settle()
    pacer.release()
    await _settle()
    assert sent[-1] == ("reader", 1)
    pacer.release()
    await asyncio.gather(*tasks)
    assert sent == [("busy", 1), ("reader", 1), ("busy", 2)]


async def test_a_chats_own_messages_keep_their_order() -> None:
    pacer, sent = HandPacer(), Sent()
    fair = FairPacer(pacer)
    tasks = [_send(fair, chat, sent, n) for n in range(3) for chat in (1, 2)]
    await _settle()
    pacer.release(6)
    await asyncio.gather(*tasks)
    assert [n for chat, n in sent if chat == 1] == [0, 1, 2]
    assert [n for chat, n in sent if chat == 2] == [0, 1, 2]


async def test_a_message_cancelled_while_waiting_strands_no_other() -> None:
    pacer, sent = HandPacer(), Sent()
    fair = FairPacer(pacer)
    gone = _send(fair, 1, sent, 0)
    kept = [_send(fair, chat, sent, 0) for chat in (2, 3)]
    await _settle()
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    pacer.release(2)  # the slot asked for the cancelled message serves another
    await asyncio.wait_for(asyncio.gather(*kept), 5)
    assert sorted(chat for chat, _ in sent) == [2, 3]
    pacer.release()  # the third slot finds no one waiting: it goes unused
    await _settle()
    assert len(sent) == 2


async def test_slots_come_from_the_pacer_set_last() -> None:
    before, after, sent = HandPacer(), HandPacer(), Sent()
    fair = FairPacer(before)
    fair.pacer = after
    task = _send(fair, 7, sent, 0)
    await _settle()
    assert (before.asked, after.asked) == (0, 1)
    after.release()
    await task
    assert sent == [(7, 0)]


async def test_a_chat_with_many_messages_waiting_takes_turns_with_the_others() -> None:
    pacer, sent = HandPacer(), Sent()
    fair = FairPacer(pacer)
    long = [_send(fair, "briefing", sent, n) for n in range(3)]
    await _settle()
    short = _send(fair, "reader", sent, 0)  # asks after the briefing's three
    await _settle()
    pacer.release(4)
    await asyncio.gather(*long, short)
    assert sent == [("briefing", 0), ("reader", 0), ("briefing", 1), ("briefing", 2)]


async def test_a_chat_action_waits_for_every_message_but_goes_when_none_waits() -> None:
    pacer, sent = HandPacer(), Sent()
    fair = FairPacer(pacer)
    typing = _send(fair, "reader", sent, 0, action=True)  # asks first, never served before
    messages = [_send(fair, chat, sent, 1) for chat in ("busy", "other")]
    await _settle()
    pacer.release(3)
    await asyncio.gather(typing, *messages)
    assert sent == [("busy", 1), ("other", 1), ("reader", 0)]
    alone = _send(fair, "reader", sent, 2, action=True)
    await _settle()
    pacer.release()
    await alone
    assert sent[-1] == ("reader", 2)


BUSY, READER = 8601, 8602


async def test_at_the_rate_limit_a_readers_help_does_not_queue_behind_a_busy_chat(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    # Two messages a second: the busy chat's six replies take three seconds to go out.
    settings = make_settings(fake_api, sqlite_url, telegram_max_messages_per_second=2)
    async with running_bot(settings) as application:
        for _ in range(6):
            fake_api.user_says(BUSY, "/help")
        fake_api.user_says(READER, "/help")
        await fake_api.wait_for_messages(BUSY, count=6)
        await fake_api.wait_for_messages(READER, count=1)
        await asyncio.wait_for(application.update_queue.join(), PATIENCE)
    order = [call.params["chat_id"] for call in fake_api.calls_to("sendMessage")]
    assert sorted(order) == [BUSY] * 6 + [READER]
    # First come first served would send the reader's reply last, after all six; it goes
    # once the busy chat has had a turn (second, or a little later on a slow machine).
    assert order.index(READER) <= 3

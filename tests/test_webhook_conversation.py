"""Webhook mode end to end: the bot sets its webhook with a secret, Telegram POSTs updates
to PTB's webhook server (through the "proxy" the fake routes to), and a request without
the secret gets 403 and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from tests.support.app import WEBHOOK_SECRET, WEBHOOK_URL, running_bot, webhook_settings
from tests.support.fakebotapi import FakeBotAPI
from tests.support.ports import free_port

CHAT = 5101


@dataclass
class WebhookBot:
    api: FakeBotAPI
    backend: str
    """Where the fake's "reverse proxy" forwards the webhook: the bot's own server."""


@pytest.fixture
async def webhook_bot(fake_api: FakeBotAPI, sqlite_url: str) -> AsyncIterator[WebhookBot]:
    port = free_port()
    async with running_bot(webhook_settings(fake_api, sqlite_url, port)):
        yield WebhookBot(fake_api, f"http://127.0.0.1:{port}")


async def test_webhook_mode_sets_the_webhook_with_the_secret_and_never_polls(
    webhook_bot: WebhookBot,
) -> None:
    api = webhook_bot.api
    (call,) = api.calls_to("setWebhook")
    assert call.params["url"] == WEBHOOK_URL
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert api.calls_to("getUpdates") == []


async def test_webhook_mode_answers_help(webhook_bot: WebhookBot) -> None:
    api = webhook_bot.api
    api.route_webhook(webhook_bot.backend)
    api.user_says(CHAT, "/help")
    (reply,) = await api.wait_for_messages(CHAT)
    assert reply.plain_text.startswith("Commands")
    # The fake records the delivery once it has read the bot's answer (which may come
    # after the reply), then drops the update, as Telegram does after a 2xx.
    await api.wait_for(
        lambda: api.deliveries and api.pending_updates == 0, what="the delivery confirmed"
    )
    assert [d.status for d in api.deliveries] == [200]


@pytest.mark.parametrize("secret", ["wrong-secret", None])
async def test_a_request_without_the_secret_gets_403_and_no_reply(
    webhook_bot: WebhookBot, secret: str | None
) -> None:
    api = webhook_bot.api
    forged = api.user_says(CHAT, "/help")  # queued, not delivered: no route yet
    assert await api.post_update(forged, webhook_bot.backend, secret=secret) == 403
    # An update with the secret, posted after it, is answered: the bot was listening.
    genuine = api.user_says(CHAT, "/start")
    assert await api.post_update(genuine, webhook_bot.backend) == 200
    (reply,) = await api.wait_for_messages(CHAT)
    assert reply.plain_text.startswith("Peninsula Brief")
    assert not any(m.plain_text.startswith("Commands") for m in api.sent_messages(CHAT))


async def test_stopping_an_instance_leaves_the_webhook_to_the_others(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    async with running_bot(webhook_settings(fake_api, sqlite_url, free_port())):
        pass
    assert fake_api.calls_to("deleteWebhook") == []
    assert fake_api.webhook_secret == WEBHOOK_SECRET  # still set: Telegram keeps posting to the URL

"""Several instances, one bot: an update delivered twice (a webhook retry, or to two
instances behind a load balancer sharing one PostgreSQL database) is answered once."""

from __future__ import annotations

import contextlib

from bot.settings import Settings
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.ports import free_port

PUBLIC_URL = "https://bot.example.test/telegram"
SECRET = "instances-secret_0123456789"
CHAT = 5202


def instance_settings(api: FakeBotAPI, database_url: str, port: int) -> Settings:
    return make_settings(
        api,
        database_url,
        webhook_url=PUBLIC_URL,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=SECRET,
        worker_processes=1,
    )


async def test_an_update_posted_to_every_instance_and_again_is_answered_once(
    fake_api: FakeBotAPI, database_url: str
) -> None:
    # Two instances on PostgreSQL; SQLite serves one process, which gets the retry.
    count = 2 if database_url.startswith("postgresql") else 1
    ports = [free_port() for _ in range(count)]
    backends = [f"http://127.0.0.1:{port}" for port in ports]
    async with contextlib.AsyncExitStack() as stack:
        for port in ports:
            await stack.enter_async_context(
                running_bot(instance_settings(fake_api, database_url, port))
            )
        fake_api.route_webhook(*backends)
        update = fake_api.user_says(CHAT, "/help")
        await fake_api.wait_for_messages(CHAT)
        for backend in [*backends, backends[0]]:  # every instance, then a retry to the first
            assert await fake_api.post_update(update, backend) == 200
        # A later update is answered: by now the repeats have been handled (and dropped).
        fake_api.user_says(CHAT, "/start")
        await fake_api.wait_for(
            lambda: any(
                m.plain_text.startswith("Peninsula Brief") for m in fake_api.sent_messages(CHAT)
            ),
            what="the reply to /start",
        )
    helps = [m for m in fake_api.sent_messages(CHAT) if m.plain_text.startswith("Commands")]
    assert len(helps) == 1
    assert len(fake_api.deliveries) == count + 1 + 1 + 1  # help, repeats, start

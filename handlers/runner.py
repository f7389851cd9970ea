"""Long polling (or a webhook server) until a stop signal, with a clean shutdown and a
plain 409 message.

PTB's ``run_polling`` retries every polling error forever, including 409
Conflict (another instance polling with the same token). Fighting that other
instance helps nobody, so this runner stops and says so instead.

Telegram's start-up errors leave here as ours (``bot.errors.MessengerError`` kinds, or
``ConfigError`` for a rejected token), so the ``briefbot`` command explains them
without knowing PTB.

Webhook mode (WEBHOOK_URL) serves PTB's webhook server instead of polling: every
instance sets the same webhook at start-up and leaves it set at shutdown, since other
instances behind the same URL keep serving.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.errors import (
    ConfigError,
    MessengerRefused,
    MessengerUnreachable,
    PollingConflict,
)
from bot.settings import Webhook
from handlers.context import BotApplication

log = logging.getLogger(__name__)


async def serve(
    application: BotApplication,
    stop: asyncio.Event | None = None,
    *,
    webhook: Webhook | None = None,
    started: asyncio.Event | None = None,
) -> None:
    """Run until ``stop`` is set (or SIGINT/SIGTERM); raise PollingConflict on 409.

    With ``webhook`` the updates arrive at PTB's webhook server instead of long polling.
    ``started`` is set once updates are being taken (polling, or the webhook set).
    """
    try:
        await _serve(application, stop, webhook, started)
    except InvalidToken as exc:
        raise ConfigError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
        ) from exc
    except NetworkError as exc:
        raise MessengerUnreachable(str(exc)) from exc
    except TelegramError as exc:
        raise MessengerRefused(str(exc)) from exc
    finally:
        # PTB shuts the bot down only if it started: a failed getMe left its connection open.
        await application.bot.shutdown()


async def _serve(
    application: BotApplication,
    stop: asyncio.Event | None,
    webhook: Webhook | None,
    started: asyncio.Event | None,
) -> None:
    stop = stop or asyncio.Event()
    conflict: list[Conflict] = []

    def on_polling_error(exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            conflict.append(exc)
            stop.set()
        else:  # PTB retries with back-off; the operator should still see it
            log.warning("polling for updates failed, retrying: %s", exc)

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with application:  # initialize (getMe) … shutdown
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            assert application.updater is not None
            if webhook is None:
                await application.updater.start_polling(
                    allowed_updates=Update.ALL_TYPES, error_callback=on_polling_error
                )
                log.info("polling for updates as @%s", application.bot.username)
            else:
                await application.updater.start_webhook(
                    listen=webhook.listen,
                    port=webhook.port,
                    url_path=webhook.path,
                    webhook_url=webhook.url,
                    secret_token=webhook.secret,
                    allowed_updates=Update.ALL_TYPES,
                )
                log.info(
                    "serving the webhook %s on %s:%s as @%s",
                    webhook.url,
                    webhook.listen,
                    webhook.port,
                    application.bot.username,
                )
            if started is not None:
                started.set()
            try:
                await stop.wait()
            finally:
                log.info("shutting down")
                services = application.bot_data.services
                if services is not None:
                    # A running edition winds down (in-flight sends finish and are recorded)
                    # before the job queue is stopped, so a restart loses and repeats nothing.
                    await services.dispatcher.stop()
                if application.updater.running:
                    if conflict:
                        # PTB's final getUpdates meets the same 409 and logs a traceback;
                        # the operator gets the plain explanation instead.
                        logging.getLogger("telegram.ext.Updater").setLevel(logging.CRITICAL)
                    await application.updater.stop()
                await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
    if conflict:
        raise PollingConflict(str(conflict[0]))

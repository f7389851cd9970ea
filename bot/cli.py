"""The ``briefbot`` command: ``run`` the bot, ``summarize`` one article offline or online."""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.errors import BriefbotError, ConfigError
from bot.fetch import Fetcher, FetchLimits, build_client
from bot.i18n import Catalog
from bot.logs import configure_logging
from bot.models import Summary
from bot.pipeline import page_from_file, summarize_page
from bot.render import format_date
from bot.settings import Settings, load_settings

EXIT_CONFIG = 2
EXIT_CONFLICT = 3
EXIT_TELEGRAM = 4
EXIT_FAILED = 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.env_file)
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.command == "run":
        return _run(settings)
    if args.command == "db":
        return _db_upgrade(settings)
    return _summarize(settings, args.target, args.sentences, args.json)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefbot", description=__doc__)
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling) until SIGINT/SIGTERM")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply schema migrations (also done at start-up)")
    summarize = sub.add_parser("summarize", help="summarize one article (URL or local file)")
    summarize.add_argument("target", metavar="URL_OR_FILE")
    summarize.add_argument("--sentences", type=int, default=None, help="number of sentences")
    summarize.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _run(settings: Settings) -> int:
    from bot.app import build_application  # PTB application only when running the bot
    from bot.runner import PollingConflict, serve

    try:
        token = settings.require_token()
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.log_level, secrets=[token])
    try:
        asyncio.run(serve(build_application(settings)))
    except PollingConflict:
        print(
            "briefbot: Telegram says another instance is already polling with this token "
            "(409 Conflict). Stop the other instance (or use another token), then start again.",
            file=sys.stderr,
        )
        return EXIT_CONFLICT
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except (OSError, SQLAlchemyError) as exc:
        print(f"briefbot: cannot open the database: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except InvalidToken:
        print(
            "briefbot: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except NetworkError as exc:
        print(
            f"briefbot: cannot reach the Bot API at {settings.telegram_api_url}: {exc}",
            file=sys.stderr,
        )
        return EXIT_TELEGRAM
    except TelegramError as exc:
        print(f"briefbot: the Bot API refused to start the bot: {exc}", file=sys.stderr)
        return EXIT_TELEGRAM
    return 0


def _db_upgrade(settings: Settings) -> int:
    from bot.store.database import upgrade

    configure_logging(settings.log_level)
    try:
        revision = asyncio.run(upgrade(settings.database_url))
    except (ConfigError, OSError, SQLAlchemyError) as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    print(f"database is at revision {revision}")
    return 0


def _summarize(settings: Settings, target: str, sentences: int | None, as_json: bool) -> int:
    configure_logging("WARNING")
    if sentences is not None and not 1 <= sentences <= 20:
        print("briefbot: --sentences must be between 1 and 20", file=sys.stderr)
        return EXIT_CONFIG
    try:
        path = Path(target)
        if "://" not in target and path.is_file():
            summary = summarize_page(page_from_file(path), sentences)
        else:
            summary = asyncio.run(_summarize_url(settings, target, sentences))
    except BriefbotError as exc:
        message = Catalog.load().text("en", exc.reason, status=getattr(exc, "status", ""))
        print(f"briefbot: {_plain(message)}", file=sys.stderr)
        return EXIT_FAILED
    print(_as_json(summary) if as_json else _as_text(summary))
    return 0


async def _summarize_url(settings: Settings, url: str, sentences: int | None) -> Summary:
    limits = FetchLimits.from_settings(settings)
    async with build_client(limits) as client:
        page = await Fetcher(client, limits).fetch(url)
    return await asyncio.to_thread(summarize_page, page, sentences)


def _as_json(summary: Summary) -> str:
    article = summary.article
    data = {
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "language": article.language,
        "extractor": article.extractor,
        "sentences": list(summary.sentences),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _as_text(summary: Summary) -> str:
    article = summary.article
    meta = " · ".join(
        part
        for part in (article.source, article.published and format_date(article.published, "en"))
        if part
    )
    lines = [article.title or article.url, meta, ""]
    lines += [f"{n}. {sentence}" for n, sentence in enumerate(summary.sentences, 1)]
    lines += ["", article.url]
    return "\n".join(lines)


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))

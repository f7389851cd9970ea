"""The ``briefbot`` command: ``run`` the bot; ``summarize`` and ``extract`` pages, offline or
online, one or a JSONL batch."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.errors import (
    ConfigError,
    InputError,
    InvalidTimezone,
    MessengerRefused,
    MessengerUnreachable,
    PollingConflict,
)
from bot.logs import configure_logging, warn_if_readable_by_others
from bot.models import DEFAULT_LANGUAGE, Language, SummaryLength
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
        return _run(settings, args.env_file)
    if args.command == "db":
        return _db_upgrade(settings)
    if args.command == "briefing":
        return _briefing(settings, args)
    if args.command == "feeds":
        return _feeds_check(settings, args)
    if args.command == "triage":
        return _triage(args)
    return _pages(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefbot", description=__doc__)
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="run the bot (long polling, or a webhook with WEBHOOK_URL) until SIGINT/SIGTERM"
    )
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply schema migrations (also done at start-up)")
    briefing = sub.add_parser(
        "briefing", help="print the briefing built from the configured feeds (no Telegram)"
    )
    briefing.add_argument("--json", action="store_true", help="print JSON")
    briefing.add_argument("--now", help="edition time, ISO 8601 (default: now)")
    briefing.add_argument(
        "--language", type=Language, choices=list(Language), default=DEFAULT_LANGUAGE
    )
    briefing.add_argument("--timezone", default=None, help="reader's time zone (default setting)")
    briefing.add_argument("--topics", default=None, help="comma-separated, e.g. security,diplomacy")
    briefing.add_argument(
        "--length", type=SummaryLength, choices=list(SummaryLength), default=SummaryLength.STANDARD
    )
    briefing.add_argument(
        "--no-articles", action="store_true", help="use feed excerpts; don't fetch article pages"
    )
    triage = sub.add_parser(
        "triage", help="relevance, topics, story and provenance of each item of a JSONL file"
    )
    triage.add_argument("file", help="JSONL items, or - for standard input")
    triage.add_argument("--json", action="store_true", help="print JSONL")
    triage.add_argument("--now", help="time for items without one, ISO 8601 (default: now)")
    triage.add_argument(
        "--explain", action="store_true", help="say why: the weightiest evidence, the outlet"
    )
    feeds = sub.add_parser("feeds", help="feed list maintenance")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", required=True)
    check = feeds_sub.add_parser("check", help="fetch and parse every feed once, report status")
    check.add_argument("--json", action="store_true", help="print JSON")
    summarize = sub.add_parser(
        "summarize", help="summarize pages: URLs, saved files or a JSONL batch (--jsonl)"
    )
    _page_inputs(summarize)
    summarize.add_argument("--sentences", type=int, default=None, help="number of sentences")
    summarize.add_argument(
        "--json", action="store_true", help="print one JSON line per page (always with --jsonl)"
    )
    extract = sub.add_parser(
        "extract", help="print what the bot reads from pages (title, source, text…) as JSONL"
    )
    _page_inputs(extract)
    return parser


def _page_inputs(command: argparse.ArgumentParser) -> None:
    command.add_argument("targets", nargs="*", metavar="URL_OR_FILE")
    command.add_argument(
        "--jsonl",
        metavar="FILE",
        help='JSONL lines {"id", "url"|"file"|"text"|"html"}, or - for standard input',
    )


def _run(settings: Settings, env_file: str) -> int:
    # The one place the core reaches the Telegram layer: the command that starts it.
    from handlers.app import build_application
    from handlers.runner import serve

    try:
        token = settings.require_token()
        webhook = settings.webhook()
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    secrets = [token] if webhook is None else [token, webhook.secret]
    redactor = configure_logging(
        settings.log_level, secrets=secrets, log_format=settings.log_format
    )
    warn_if_readable_by_others(env_file)

    def fail(message: str, code: int) -> int:
        # Not logged but printed, so redacted here: error texts may quote a Bot API URL.
        print(f"briefbot: {redactor.redact(message)}", file=sys.stderr)
        return code

    try:
        asyncio.run(serve(build_application(settings), webhook=webhook))
    except PollingConflict:
        return fail(
            "Telegram says another instance is already polling with this token "
            "(409 Conflict). Stop the other instance (or use another token), then start again.",
            EXIT_CONFLICT,
        )
    except ConfigError as exc:
        return fail(str(exc), EXIT_CONFIG)
    except (OSError, SQLAlchemyError) as exc:
        return fail(f"cannot open the database: {exc}", EXIT_CONFIG)
    except MessengerUnreachable as exc:
        api = settings.telegram_api_url
        return fail(f"cannot reach the Bot API at {api}: {exc}", EXIT_TELEGRAM)
    except MessengerRefused as exc:
        return fail(f"the Bot API refused to start the bot: {exc}", EXIT_TELEGRAM)
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


def _briefing(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.briefing import briefing_json, briefing_text, build_briefing, parse_topics
    from bot.delivery.schedule import resolve_timezone
    from bot.models import ReaderPrefs

    configure_logging("WARNING")
    try:
        now = _parse_now(args.now)
        prefs = ReaderPrefs(
            language=args.language,
            topics=parse_topics(args.topics),
            summary_length=args.length,
            timezone=resolve_timezone(args.timezone)
            if args.timezone
            else settings.default_timezone,
        )
        briefing, report = asyncio.run(
            build_briefing(settings, prefs, now=now, fetch_articles=not args.no_articles)
        )
    except (ConfigError, InvalidTimezone, ValueError) as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    for failure in report.failed:
        print(
            f"briefbot: feed {failure.name} failed ({failure.kind}): {failure.message}",
            file=sys.stderr,
        )
    print(briefing_json(briefing, report) if args.json else briefing_text(briefing, args.length))
    return 0


def _triage(args: argparse.Namespace) -> int:
    from bot.cli.triage import open_input, run_triage

    try:
        now = _parse_now(args.now)
        with open_input(args.file) as source:
            run_triage(source, sys.stdout, now=now, as_json=args.json, explain=args.explain)
    except InputError as exc:
        print(f"briefbot: {args.file}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except UnicodeDecodeError:
        print(f"briefbot: {args.file}: not UTF-8 text", file=sys.stderr)
        return EXIT_CONFIG
    except (ValueError, OSError) as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _feeds_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.briefing import checks_text, feed_checks

    configure_logging("WARNING")
    try:
        checks = asyncio.run(feed_checks(settings, dt.datetime.now(dt.UTC)))
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.json:
        print(json.dumps([_check_dict(c) for c in checks], ensure_ascii=False, indent=2))
    else:
        print(checks_text(checks))
    return 0 if all(check.kind is None for check in checks) else EXIT_FAILED


def _check_dict(check: Any) -> dict[str, Any]:
    return {
        "name": check.name,
        "url": check.url,
        "ok": check.kind is None,
        "kind": check.kind,
        "message": check.message,
        "items": check.items,
        "relevant": check.relevant,
    }


def _parse_now(text: str | None) -> dt.datetime:
    if not text:
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("--now needs a time zone, e.g. 2026-11-27T21:00Z")
    return moment.astimezone(dt.UTC)


def _pages(settings: Settings, args: argparse.Namespace) -> int:
    """``summarize`` or ``extract``: every input read, in order; 1 if any failed."""
    from bot.cli.batch import PageInput, read_inputs
    from bot.cli.extract import extract_inputs
    from bot.cli.summarize import summarize_inputs
    from bot.cli.triage import open_input

    configure_logging("WARNING")
    sentences = getattr(args, "sentences", None)
    if sentences is not None and not 1 <= sentences <= 20:
        print("briefbot: --sentences must be between 1 and 20", file=sys.stderr)
        return EXIT_CONFIG
    if not args.targets and not args.jsonl:
        print(f"briefbot {args.command}: give URLs or files, or --jsonl FILE", file=sys.stderr)
        return EXIT_CONFIG
    inputs = [PageInput.from_target(target) for target in args.targets]
    if args.jsonl:
        base = Path.cwd() if args.jsonl == "-" else Path(args.jsonl).parent
        try:
            with open_input(args.jsonl) as source:
                inputs += read_inputs(source, base)
        except InputError as exc:
            print(f"briefbot: {args.jsonl}: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        except UnicodeDecodeError:
            print(f"briefbot: {args.jsonl}: not UTF-8 text", file=sys.stderr)
            return EXIT_CONFIG
        except OSError as exc:
            print(f"briefbot: {args.jsonl}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_CONFIG
    if args.command == "extract":
        work = extract_inputs(inputs, settings, out=sys.stdout)
    else:
        as_json = args.json or bool(args.jsonl)
        work = summarize_inputs(
            inputs, settings, sentences=sentences, as_json=as_json, out=sys.stdout, err=sys.stderr
        )
    failed = asyncio.run(work)
    return EXIT_FAILED if failed else 0

"""The ``briefbot`` command as an operator uses it.

Most tests call ``bot.cli.main(argv)`` in this process, with settings only from the
environment they set and a ``.env`` in ``tmp_path`` (the working directory). A real
process is started only where one is the point: stopping on SIGTERM, and the exit code
when another instance is polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import FIXTURES, PAGES
from tests.support.ports import free_port

# The packaged feed list is on the internet; commands read the local fixture feeds, and a
# running bot one quiet local feed (the fixture feeds link to the outlets' real hosts).
FIXTURE_FEEDS = str(FIXTURES / "briefing" / "feeds.toml")
QUIET_FEEDS = str(FIXTURES / "bot" / "feeds.toml")
SETTING_NAMES = frozenset(name.upper() for name in Settings.model_fields)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Briefbot = Callable[..., Result]


@pytest.fixture
def briefbot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Briefbot]:
    """``briefbot *args`` in this process, in ``tmp_path``, with only the settings given.

    Keyword arguments are environment variables (``DATABASE_URL="…"``); any other setting
    comes from ``tmp_path/.env`` or its default. The logging set-up the command makes is
    undone afterwards.
    """
    monkeypatch.chdir(tmp_path)
    for name in os.environ:
        if name.upper() in SETTING_NAMES:
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFBOT_FEEDS", FIXTURE_FEEDS)
    # Off unless a test asks: bots of tests running side by side would all want port 8080.
    monkeypatch.setenv("HEALTH_PORT", "0")

    def run(*args: str, **env: str) -> Result:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        returncode = main(list(args))
        out, err = capsys.readouterr()
        return Result(returncode, out, err)

    with _logging_restored():
        yield run


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """Put back the root handlers and logger levels ``configure_logging`` replaces."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logger.level for name, logger in _loggers()}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in _loggers():
            logger.setLevel(levels.get(name, logging.NOTSET))


def _loggers() -> list[tuple[str, logging.Logger]]:
    loggers = logging.root.manager.loggerDict.items()
    return [(name, logger) for name, logger in loggers if isinstance(logger, logging.Logger)]


def _process_env(**values: str) -> dict[str, str]:
    """The environment for a real ``briefbot`` process: no settings but ``values``."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env["BRIEFBOT_FEEDS"] = QUIET_FEEDS
    env["HEALTH_PORT"] = "0"  # as in the fixture above; a test may set it
    env.update(values)
    return env


def _answer_help_then_stop(
    fake_api: FakeBotAPI, tmp_path: Path, chat_id: int, env: dict[str, str]
) -> tuple[int, str]:
    """Run ``briefbot run``, wait for its answer to /help, SIGTERM it: (exit status, log).

    The log goes to a file: a pipe nobody reads until the end fills at 64 KB and then
    blocks the bot on its next (DEBUG) log line.
    """
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            text=True,
        )
        try:
            fake_api.user_says(chat_id, "/help")
            deadline = time.monotonic() + 60
            while not fake_api.sent_messages(chat_id) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert fake_api.sent_messages(chat_id), "the bot did not answer /help"
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return process.returncode, log_path.read_text()


def test_run_without_a_token_is_a_clear_error(briefbot: Briefbot) -> None:
    result = briefbot("run")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_a_malformed_token_is_a_clear_error(briefbot: Briefbot, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=hello\n")
    result = briefbot("run")
    assert result.returncode == 2
    assert "does not look like a bot token" in result.stderr


def test_run_says_plainly_when_another_instance_is_polling(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    fake_api.set_conflict(True)
    env = _process_env(
        TELEGRAM_BOT_TOKEN=fake_api.token, TELEGRAM_API_URL=fake_api.url, LOG_LEVEL="DEBUG"
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 3
    assert "another instance is already polling" in result.stderr
    assert "Traceback" not in result.stderr
    assert fake_api.token not in result.stderr + result.stdout


def test_run_rejected_token_is_a_clear_error(fake_api: FakeBotAPI, briefbot: Briefbot) -> None:
    other = "987654321:AAOtherTokenNotKnownToTheServer_abcdef"
    result = briefbot("run", TELEGRAM_BOT_TOKEN=other, TELEGRAM_API_URL=fake_api.url)
    assert result.returncode == 2
    assert "rejected TELEGRAM_BOT_TOKEN" in result.stderr
    assert other not in result.stderr


def test_run_answers_then_stops_cleanly_on_sigterm(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={fake_api.token}\nTELEGRAM_API_URL={fake_api.url}\nLOG_LEVEL=DEBUG\n"
    )
    returncode, err = _answer_help_then_stop(fake_api, tmp_path, 1001, _process_env())
    assert returncode == 0
    assert "shutting down" in err
    assert fake_api.token not in err, "the token leaked into the log"


def test_run_in_webhook_mode_without_a_secret_is_a_clear_error(briefbot: Briefbot) -> None:
    result = briefbot(
        "run",
        TELEGRAM_BOT_TOKEN="123456789:AAFakeTokenForTestsOnly_abcdefghijklm",
        WEBHOOK_URL="https://bot.example.test/telegram",
    )
    assert result.returncode == 2
    assert "WEBHOOK_SECRET is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_in_webhook_mode_answers_and_never_logs_the_secret(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    secret = "Webhook-Secret_never_in_the_log_42"
    port = free_port()
    fake_api.route_webhook(f"http://127.0.0.1:{port}")
    env = _process_env(
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_API_URL=fake_api.url,
        LOG_LEVEL="DEBUG",  # PTB logs every Bot API call's parameters at DEBUG
        WEBHOOK_URL="https://bot.example.test/telegram",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=secret,
        HEALTH_PORT="0",  # the port is not what is under test
    )
    returncode, err = _answer_help_then_stop(fake_api, tmp_path, 1002, env)
    assert returncode == 0
    assert fake_api.calls_to("setWebhook")[0].params["secret_token"] == secret
    assert "serving the webhook" in err
    assert "setWebhook" in err  # the DEBUG line that quotes the parameters was written
    assert secret not in err, "the webhook secret leaked into the log"


async def test_a_second_bot_on_the_same_sqlite_file_is_refused(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    database = tmp_path / "briefbot.db"
    async with running_bot(make_settings(fake_api, f"sqlite:///{database}")):
        env = _process_env(
            TELEGRAM_BOT_TOKEN=fake_api.token,
            TELEGRAM_API_URL=fake_api.url,
            DATABASE_URL=f"sqlite:///{database}",
            HEALTH_PORT="0",  # the port is not what is under test
        )
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        fake_api.user_says(1003, "/help")  # the first bot is unharmed and still answers
        await fake_api.wait_for_messages(1003)
    assert result.returncode == 2
    assert f"another briefbot (pid {os.getpid()}) is running" in result.stderr
    assert "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_summarize_a_saved_page_offline_as_json(briefbot: Briefbot) -> None:
    target = str(PAGES / "boilerplate_missile_en.html")
    result = briefbot("summarize", target, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"id", "title", "sentences"}
    assert data["id"] == target
    assert data["title"].startswith("North Korea fires ballistic missile")
    assert 2 <= len(data["sentences"]) <= 5


def test_summarize_a_korean_page_with_a_sentence_count(briefbot: Briefbot) -> None:
    result = briefbot("summarize", str(PAGES / "korean_euckr.html"), "--sentences", "2", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["sentences"]) == 2
    assert all("\ufffd" not in s for s in data["sentences"])


def test_summarize_a_url_prints_text(page_server: PageServer, briefbot: Briefbot) -> None:
    url = page_server.url_for("/newspaper4k_yna_co_kr.html")
    result = briefbot("summarize", url, FETCH_ALLOW_PRIVATE_NETWORKS="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("N. Korea slams S. Korea")
    assert "1. " in result.stdout


def test_summarize_a_bad_url_is_a_friendly_error(
    page_server: PageServer, briefbot: Briefbot
) -> None:
    url = page_server.url_for("/pdf")
    result = briefbot("summarize", url, FETCH_ALLOW_PRIVATE_NETWORKS="true")
    assert result.returncode == 1
    assert "can't summarize this kind of file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["/does/not/exist.html", "ftp://example.com/x"])
def test_summarize_refuses_what_is_neither_a_file_nor_a_web_link(
    briefbot: Briefbot, target: str
) -> None:
    result = briefbot("summarize", target)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_db_upgrade_brings_the_database_to_the_newest_schema(
    database_url: str, briefbot: Briefbot
) -> None:
    result = briefbot("db", "upgrade", DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    assert "database is at revision" in result.stdout
    again = briefbot("db", "upgrade", DATABASE_URL=database_url)
    assert again.returncode == 0 and again.stdout == result.stdout


def test_db_upgrade_without_database_url_creates_the_sqlite_file(
    briefbot: Briefbot, tmp_path: Path
) -> None:
    result = briefbot("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "briefbot.db").is_file()


def test_unsupported_database_url_is_a_clear_error(briefbot: Briefbot) -> None:
    result = briefbot("db", "upgrade", DATABASE_URL="mysql://x@y/z")
    assert result.returncode == 2
    assert "not supported" in result.stderr and "Traceback" not in result.stderr


def test_run_with_an_unreachable_database_is_a_clear_error(
    fake_api: FakeBotAPI, briefbot: Briefbot
) -> None:
    result = briefbot(
        "run",
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_API_URL=fake_api.url,
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/nowhere",
    )
    assert result.returncode == 2
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_briefing_from_saved_feeds_offline(briefbot: Briefbot) -> None:
    result = briefbot(
        "briefing", "--now", "2026-11-27T21:00Z", "--timezone", "Asia/Seoul", "--no-articles"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("🗞 Peninsula Brief — Sat 28 Nov 2026")
    first_story = result.stdout.split("\n\n")[2]
    assert "ballistic missile" in first_story and "East Sea" in first_story
    assert "(LEAD)" not in result.stdout
    for off_topic in ("BTS", "aespa", "Galaxy", "Son Heung-min", "Pakistan"):
        assert off_topic not in result.stdout


def test_briefing_json_in_korean_for_chosen_topics(briefbot: Briefbot) -> None:
    result = briefbot(
        "briefing", "--now", "2026-11-27T21:00Z", "--language", "ko", "--topics", "security",
        "--json", "--no-articles",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "ko" and data["edition_date"] == "2026-11-28"
    assert [section["topic"] for section in data["sections"]] == ["security"]
    launch = data["sections"][0]["stories"][0]
    assert len(launch["sources"]) >= 3
    assert data["feeds"]["failed"] == []


def test_feeds_check_reports_every_feed(briefbot: Briefbot) -> None:
    result = briefbot("feeds", "check")
    assert result.returncode == 0, result.stderr
    assert "7 of 7 feeds working" in result.stdout
    assert "ok      NK News" in result.stdout


def test_malformed_feed_list_names_the_line(briefbot: Briefbot, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\nlanguage = "fr"\n'
                     'provenance = "wire"\n')  # fmt: skip
    result = briefbot("feeds", "check", BRIEFBOT_FEEDS=str(feeds))
    assert result.returncode == 2
    assert "line 1" in result.stderr and "Traceback" not in result.stderr

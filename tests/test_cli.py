"""The ``briefbot`` command as an operator uses it: a real process, real settings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import FIXTURES, PAGES


def _env(**values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "FETCH_", "DATABASE_", "DEFAULT_", "BRIEFBOT_", "ADMIN_"))
    }
    # The packaged feed list is on the internet; a started bot polls the local fixtures.
    env["BRIEFBOT_FEEDS"] = str(FIXTURES / "briefing" / "feeds.toml")
    env.update(values)
    return env


def _briefbot(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_run_without_a_token_is_a_clear_error(tmp_path: Path) -> None:
    result = _briefbot("run", env=_env(), cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_a_malformed_token_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=hello\n")
    result = _briefbot("run", env=_env(), cwd=tmp_path)
    assert result.returncode == 2
    assert "does not look like a bot token" in result.stderr


def test_run_says_plainly_when_another_instance_is_polling(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    fake_api.set_conflict(True)
    env = _env(TELEGRAM_BOT_TOKEN=fake_api.token, TELEGRAM_API_URL=fake_api.url, LOG_LEVEL="DEBUG")
    result = _briefbot("run", env=env, cwd=tmp_path)
    assert result.returncode == 3
    assert "another instance is already polling" in result.stderr
    assert "Traceback" not in result.stderr
    assert fake_api.token not in result.stderr + result.stdout


def test_run_rejected_token_is_a_clear_error(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    other = "987654321:AAOtherTokenNotKnownToTheServer_abcdef"
    env = _env(TELEGRAM_BOT_TOKEN=other, TELEGRAM_API_URL=fake_api.url)
    result = _briefbot("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "rejected TELEGRAM_BOT_TOKEN" in result.stderr
    assert other not in result.stderr


def test_run_answers_then_stops_cleanly_on_sigterm(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={fake_api.token}\nTELEGRAM_API_URL={fake_api.url}\nLOG_LEVEL=DEBUG\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=_env(),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        fake_api.user_says(1001, "/help")
        deadline = time.monotonic() + 30
        while not fake_api.sent_messages(1001) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake_api.sent_messages(1001), "the bot did not answer /help"
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "shutting down" in err
    assert fake_api.token not in err, "the token leaked into the log"


def test_summarize_a_saved_page_offline_as_json(tmp_path: Path) -> None:
    result = _briefbot(
        "summarize", str(PAGES / "boilerplate_missile_en.html"), "--json", env=_env(), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"url", "title", "source", "published", "language", "sentences"}
    assert data["title"].startswith("North Korea fires ballistic missile")
    assert data["language"] == "en"
    assert data["extractor"] == "trafilatura"
    assert 3 <= len(data["sentences"]) <= 5


def test_summarize_a_korean_page_with_a_sentence_count(tmp_path: Path) -> None:
    result = _briefbot(
        "summarize",
        str(PAGES / "korean_euckr.html"),
        "--sentences",
        "2",
        "--json",
        env=_env(),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "ko"
    assert len(data["sentences"]) == 2
    assert all("\ufffd" not in s for s in data["sentences"])


def test_summarize_a_url_prints_text(page_server: PageServer, tmp_path: Path) -> None:
    env = _env(FETCH_ALLOW_PRIVATE_NETWORKS="true")
    result = _briefbot(
        "summarize", page_server.url_for("/newspaper4k_yna_co_kr.html"), env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("N. Korea slams S. Korea")
    assert "1. " in result.stdout


def test_summarize_a_bad_url_is_a_friendly_error(page_server: PageServer, tmp_path: Path) -> None:
    env = _env(FETCH_ALLOW_PRIVATE_NETWORKS="true")
    result = _briefbot("summarize", page_server.url_for("/pdf"), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "can't summarize this kind of file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["/does/not/exist.html", "ftp://example.com/x"])
def test_summarize_refuses_what_is_neither_a_file_nor_a_web_link(
    tmp_path: Path, target: str
) -> None:
    result = _briefbot("summarize", target, env=_env(), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_db_upgrade_brings_the_database_to_the_newest_schema(
    database_url: str, tmp_path: Path
) -> None:
    result = _briefbot("db", "upgrade", env=_env(DATABASE_URL=database_url), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database is at revision" in result.stdout
    again = _briefbot("db", "upgrade", env=_env(DATABASE_URL=database_url), cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == result.stdout


def test_db_upgrade_without_database_url_creates_the_sqlite_file(tmp_path: Path) -> None:
    result = _briefbot("db", "upgrade", env=_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "briefbot.db").is_file()


def test_unsupported_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = _briefbot("db", "upgrade", env=_env(DATABASE_URL="mysql://x@y/z"), cwd=tmp_path)
    assert result.returncode == 2
    assert "not supported" in result.stderr and "Traceback" not in result.stderr


def test_run_with_an_unreachable_database_is_a_clear_error(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _env(
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_API_URL=fake_api.url,
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/nowhere",
    )
    result = _briefbot("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_briefing_from_saved_feeds_offline(tmp_path: Path) -> None:
    result = _briefbot(
        "briefing", "--now", "2026-11-27T21:00Z", "--timezone", "Asia/Seoul", "--no-articles",
        env=_env(), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("🗞 Peninsula Brief — Sat 28 Nov 2026")
    assert "N. Korea fires ballistic missile into East Sea" in result.stdout
    assert "(LEAD)" not in result.stdout
    for off_topic in ("BTS", "aespa", "Galaxy", "Son Heung-min", "Pakistan"):
        assert off_topic not in result.stdout


def test_briefing_json_in_korean_for_chosen_topics(tmp_path: Path) -> None:
    result = _briefbot(
        "briefing", "--now", "2026-11-27T21:00Z", "--language", "ko", "--topics", "security",
        "--json", "--no-articles", env=_env(), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "ko" and data["edition_date"] == "2026-11-28"
    assert [section["topic"] for section in data["sections"]] == ["security"]
    launch = data["sections"][0]["stories"][0]
    assert len(launch["sources"]) >= 3
    assert data["feeds"]["failed"] == []


def test_feeds_check_reports_every_feed(tmp_path: Path) -> None:
    result = _briefbot("feeds", "check", env=_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "7 of 7 feeds working" in result.stdout
    assert "ok      NK News" in result.stdout


def test_malformed_feed_list_names_the_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\nlanguage = "fr"\n'
                     'provenance = "wire"\n')  # fmt: skip
    result = _briefbot("feeds", "check", env=_env(BRIEFBOT_FEEDS=str(feeds)), cwd=tmp_path)
    assert result.returncode == 2
    assert "line 1" in result.stderr and "Traceback" not in result.stderr

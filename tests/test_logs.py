from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from aiohttp import web

from bot.cli import main
from bot.logs import RedactingFilter, configure_logging, current_chat, current_update
from bot.settings import Settings
from tests.support.pageserver import PageServer

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklm"


def test_token_in_a_request_url_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: POST %s",
        (f"https://api/bot{TOKEN}/getMe",),
        None,
    )
    RedactingFilter([TOKEN]).filter(record)
    assert TOKEN not in record.getMessage()
    assert "<redacted>" in record.getMessage()


def test_token_shaped_text_is_redacted_even_when_not_configured() -> None:
    assert TOKEN not in RedactingFilter().redact(f"url /bot{TOKEN}/x")


def test_token_in_an_exception_traceback_is_redacted() -> None:
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/sendMessage")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    RedactingFilter([TOKEN]).filter(record)
    assert record.exc_text is not None and TOKEN not in record.exc_text


def test_configured_logging_never_prints_the_token(capfd: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("DEBUG", secrets=[TOKEN])
        logging.getLogger("telegram.ext").warning(
            "calling https://api.telegram.org/bot%s/getMe", TOKEN
        )
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    err = capfd.readouterr().err
    assert "getMe" in err and TOKEN not in err


# ── Every form of a secret ────────────────────────────────────────────────────

ENCODED = quote(TOKEN, safe="")  # "123456789%3AAAFake…"


def leaks(text: str) -> bool:
    """Whether ``text`` shows the token's secret part in any form."""
    return TOKEN.split(":")[1] in text


@pytest.mark.parametrize(
    "form",
    [ENCODED, ENCODED.replace("%3A", "%3a"), quote(ENCODED, safe="")],
    ids=["url-encoded", "lower-case hex", "encoded twice"],
)
def test_an_encoded_token_is_redacted(form: str) -> None:
    assert form != TOKEN
    assert not leaks(RedactingFilter([TOKEN]).redact(f"GET /bot{form}/getMe failed"))
    assert not leaks(RedactingFilter().redact(f"GET /bot{form}/getMe failed")), "by its shape"


def test_any_configured_secret_is_redacted_in_every_form() -> None:
    secret = "s3cret pass/word:x"
    redactor = RedactingFilter([secret])
    for form in (secret, quote(secret, safe=""), quote_plus(secret), quote(secret)):
        assert redactor.redact(f"before {form} after") == "before <redacted> after"


def test_an_encoded_token_in_a_traceback_is_redacted() -> None:
    try:
        raise RuntimeError(f"failed calling /bot{ENCODED}/sendMessage")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    RedactingFilter([TOKEN]).filter(record)
    assert record.exc_text is not None and not leaks(record.exc_text)
    assert "failed calling /bot<redacted>/sendMessage" in record.exc_text


def test_a_token_in_stack_info_is_redacted() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "here", None, None)
    record.stack_info = f'Stack (most recent call last):\n  url = "/bot{TOKEN}/getMe"'
    RedactingFilter().filter(record)
    assert not leaks(record.stack_info)


def test_a_message_that_does_not_fit_its_arguments_does_not_leak(
    capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    configure_logging("DEBUG", secrets=[TOKEN])
    logging.getLogger("x").warning("%s and %s", f"/bot{TOKEN}")  # one argument short
    err = capfd.readouterr().err
    assert "/bot<redacted>" in err and not leaks(err)


# ── What `briefbot run` prints ────────────────────────────────────────────────


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield
    root.handlers[:], root.level = saved[0], saved[1]


@pytest.fixture
def failing_bot_api(
    page_server: PageServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Path]:
    """A Bot API that answers getMe with a 500 quoting the request's URL, both ways; yields
    a private ``.env`` pointing the bot at it (no other setting from the environment)."""

    async def get_me(request: web.Request) -> web.Response:
        description = f"upstream failed for {request.path} (/bot{ENCODED}/getMe)"
        return web.json_response(
            {"ok": False, "error_code": 500, "description": description}, status=500
        )

    page_server.add_route(f"/bot{TOKEN}/getMe", get_me)
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.lower() in Settings.model_fields:
            monkeypatch.delenv(name)
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_URL={page_server.base_url}\n", encoding="utf-8"
    )
    env_file.chmod(0o600)
    yield env_file


def test_run_prints_a_bot_api_error_without_the_token(
    failing_bot_api: Path, capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    code = main(["--env-file", str(failing_bot_api), "run"])

    err = capfd.readouterr().err
    assert code == 4
    assert "cannot reach the Bot API" in err and "upstream failed for /bot<redacted>" in err
    assert not leaks(err)


def test_run_warns_when_the_env_file_is_readable_by_others(
    failing_bot_api: Path, capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    failing_bot_api.chmod(0o644)

    main(["--env-file", str(failing_bot_api), "run"])

    err = capfd.readouterr().err
    assert f"{failing_bot_api} holds the bot token" in err
    assert f"chmod 600 {failing_bot_api}" in err


def test_run_is_quiet_about_a_private_env_file(
    failing_bot_api: Path, capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    main(["--env-file", str(failing_bot_api), "run"])

    assert "chmod" not in capfd.readouterr().err


# ── LOG_FORMAT=json ───────────────────────────────────────────────────────────


def json_lines(err: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in err.splitlines() if line.strip()]


def test_json_logs_write_one_object_a_line_with_the_chat_and_update(
    capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    configure_logging("INFO", secrets=[TOKEN], log_format="json")
    logging.getLogger("bot.test").info("outside any update")
    chat, update = current_chat.set(4242), current_update.set(17)
    try:
        logging.getLogger("handlers.test").warning("calling /bot%s/sendMessage", TOKEN)
    finally:
        current_chat.reset(chat)
        current_update.reset(update)

    outside, inside = json_lines(capfd.readouterr().err)

    assert (outside["logger"], outside["level"], outside["message"]) == (
        "bot.test",
        "INFO",
        "outside any update",
    )
    assert (outside["chat"], outside["update"]) == (None, None)
    assert inside["message"] == "calling /bot<redacted>/sendMessage"
    assert (inside["chat"], inside["update"]) == (4242, 17)
    assert dt.datetime.fromisoformat(str(inside["time"])).tzinfo is not None


def test_json_logs_carry_the_traceback_redacted(
    capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    configure_logging("INFO", secrets=[TOKEN], log_format="json")
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        logging.getLogger("handlers.errors").exception("unhandled error")

    [line] = json_lines(capfd.readouterr().err)

    assert line["message"] == "unhandled error"
    assert "RuntimeError" in str(line["exception"]) and not leaks(str(line["exception"]))


def test_logs_stay_text_for_people_by_default(
    capfd: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    configure_logging("INFO", secrets=[TOKEN])
    logging.getLogger("bot.test").info("plain words")

    err = capfd.readouterr().err

    assert err.rstrip().endswith("INFO bot.test: plain words")
    assert Settings(_env_file=None).log_format == "text"  # type: ignore[call-arg]

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactingFilter, configure_logging

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
        import sys

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

"""Logging set-up: one format, noisy libraries quietened, secrets never written.

A secret is redacted in every form it takes in a log line or an error message: as
is, URL-encoded (a token's ``:`` as ``%3A`` or ``%3a``, or encoded twice as
``%253A``), in exception messages and tracebacks alike. Text shaped like a bot token
is redacted even when it is not the configured one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import stat
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path

log = logging.getLogger(__name__)

# Bot API URLs carry the token ("/bot123456:AA.../sendMessage"); catch any token-shaped text,
# its colon URL-encoded or not.
_TOKEN_SHAPE = re.compile(r"\d{3,20}(?::|%(?:25)?3a)[A-Za-z0-9_-]{30,100}", re.IGNORECASE)
_REDACTED = "<redacted>"
# Characters a URL never needs to encode; anything else may appear as %XX (or %25XX).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class RedactingFilter(logging.Filter):
    """Replace secrets in the final message, whichever library logged it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        patterns = [_any_form(secret) for secret in sorted(set(secrets), key=len, reverse=True)]
        self._secrets = [re.compile(p, re.IGNORECASE) for p in patterns if p]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = secret.sub(_REDACTED, text)
        return _TOKEN_SHAPE.sub(_REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
            unformattable = False
        except (TypeError, ValueError, KeyError):  # arguments that do not fit the format
            # logging would report the error with the raw arguments: redact them first
            message, unformattable = f"{record.msg} {record.args!r}", True
        redacted = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Exceptions from the Bot API client may quote the URL; format once, redacted.
            formatter = logging.Formatter()
            record.exc_text = formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        if redacted != message or unformattable:
            record.msg, record.args = redacted, None
        return True


def _any_form(secret: str) -> str:
    """A regex for ``secret`` as is or with any of its characters URL-encoded (once or twice)."""
    parts = []
    for char in secret:
        if char in _UNRESERVED:
            parts.append(re.escape(char))
        else:
            encoded = "".join(f"%(?:25)?{byte:02x}" for byte in char.encode("utf-8"))
            plus = r"|\+" if char == " " else ""
            parts.append(f"(?:{re.escape(char)}|{encoded}{plus})")
    return "".join(parts)


current_chat: ContextVar[int | None] = ContextVar("current_chat", default=None)
"""The chat of the update being handled (set by the Telegram layer), for JSON log lines."""
current_update: ContextVar[int | None] = ContextVar("current_update", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log shippers: time (UTC, ISO 8601), level, logger,
    message, and the chat and update being handled (null outside an update); a traceback
    as ``exception``. Runs after the redacting filter, so it sees redacted text only."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "chat": current_chat.get(),
            "update": current_update.get(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


def configure_logging(
    level: str, secrets: Iterable[str] = (), log_format: str = "text"
) -> RedactingFilter:
    """Log to stderr, as text for people or (``log_format="json"``) JSON lines; attach the
    redacting filter to the handler so every logger passes it.

    Returns the filter, whose ``redact`` also serves what is printed rather than logged.
    """
    redactor = RedactingFilter(secrets)
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Extractors warn about every page they reject; the fallback chain handles that.
    for chatty in ("trafilatura", "htmldate", "readability"):
        logging.getLogger(chatty).setLevel(logging.ERROR)
    return redactor


def warn_if_readable_by_others(env_file: str | Path | None) -> bool:
    """Log a warning if the settings file (which holds the token) is readable by group or
    others; True if it warned. A missing file, or a system without such modes, is fine."""
    if env_file is None or os.name != "posix":
        return False
    path = Path(env_file)
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return False
    log.warning(
        "%s holds the bot token and can be read by other users of this machine "
        "(mode %s); make it private with: chmod 600 %s",
        path,
        stat.filemode(mode),
        path,
    )
    return True

"""Logging set-up: one format, noisy libraries quietened, secrets never written."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Bot API URLs carry the token ("/bot123456:AA.../sendMessage"); catch any token-shaped text.
_TOKEN_SHAPE = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{30,100}")
_REDACTED = "<redacted>"


class RedactingFilter(logging.Filter):
    """Replace secrets in the final message, whichever library logged it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, _REDACTED)
        return _TOKEN_SHAPE.sub(_REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Exceptions from the Bot API client may quote the URL; format once, redacted.
            formatter = logging.Formatter()
            record.exc_text = self.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr; attach the redacting filter to the handler so every logger passes it."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Extractors warn about every page they reject; the fallback chain handles that.
    for chatty in ("trafilatura", "htmldate", "readability"):
        logging.getLogger(chatty).setLevel(logging.ERROR)

"""Errors the core raises, so callers can catch them precisely.

Handlers turn these into friendly replies (``reason`` is a catalogue key);
anything else is a bug and goes to the error handler's log.

    BriefbotError
    ├── ConfigError              bad or missing configuration
    │   ├── DataFileError        a line of a packaged word list or gazetteer is malformed
    │   └── DatabaseInUse        another bot is running on the same SQLite file
    ├── InputError               a file given to a ``briefbot`` command is malformed
    ├── FetchError               the page could not be fetched
    │   ├── InvalidURL           malformed URL, or a scheme other than http(s)
    │   │   └── BrokenLink       a link as sent is broken: a space inside, no host
    │   ├── BlockedAddress       host resolves to a private/loopback/reserved address
    │   ├── DNSFailure           the host name does not resolve
    │   ├── ConnectFailure       host unreachable, connection refused or reset
    │   ├── FetchTimeout         connect/read timeout or the total deadline
    │   ├── HTTPStatusError      the server answered 4xx or 5xx
    │   ├── TooManyRedirects     redirect loop or more than the allowed hops
    │   ├── TooLarge             body above the cap (compressed or decompressed)
    │   └── UnsupportedContent   not HTML or plain text (PDF, image, binary)
    ├── ExtractionError
    │   └── NoArticleText        the page has no article text to summarize
    ├── FeedError                a polled feed could not be read
    │   ├── FeedParseError       the document is not an RSS or Atom feed at all
    │   └── ParserCrash          parsing failed in an unexpected way (traceback in the log)
    ├── WorkError                CPU work in a worker process did not finish
    │   ├── WorkTimeout          past WORKER_JOB_DEADLINE_SECONDS (the worker was stopped)
    │   └── WorkerCrashed        the worker process died under the job
    ├── SettingsError            a reader's setting could not be applied
    │   ├── InvalidTime          "/time 25:00"
    │   ├── InvalidTimezone      "/timezone Mars/Base" (carries suggestions)
    │   ├── InvalidLanguage      "/language fr"
    │   ├── InvalidFrequency     "/frequency hourly"
    │   ├── LastTopic            switching off a chat's only topic
    │   ├── NotSubscribed        a subscription setting for a chat that is not subscribed
    │   └── InvalidQuietHours    "/alerts quiet 7-7": not a start and an end time
    ├── FollowError              a /follow or /unfollow could not be done
    │   ├── EmptyFollow          no words to follow (only punctuation, or nothing)
    │   ├── FollowTooLong        longer than a follow may be
    │   ├── FollowTooBroad       would match too many stories a day (carries the estimate)
    │   ├── TooManyFollows       the chat already has the most follows allowed
    │   └── NotFollowing         /unfollow of something the chat does not follow
    ├── SendError                a message to a chat did not go out (the messenger's
    │   │                        own errors are translated by its adapter)
    │   ├── ChatUnreachable      blocked, removed, deleted account, unknown chat: stop sending
    │   ├── MessageRejected      this message was refused (markup, length): do not resend it
    │   ├── ThreadGone           the forum topic it was sent to is deleted: send to the chat
    │   ├── SendDeferred         flood control, a migrated chat: try again on a later tick
    │   │   └── NetworkTrouble   timeouts, connection errors, 5xx: resend shortly
    │   └── SenderBroken         the bot cannot send at all (token revoked): stop the run
    └── MessengerError           the bot could not start talking to the messenger
        ├── PollingConflict      another process is polling with the same token (409)
        ├── MessengerUnreachable the Bot API cannot be reached
        └── MessengerRefused     the Bot API refused to start the bot
"""

from __future__ import annotations

from bot.models import DeactivationReason


class BriefbotError(Exception):
    """Base of every error the core raises on purpose."""

    reason = "error_generic"


class ConfigError(BriefbotError):
    reason = "error_generic"


class DataFileError(ConfigError):
    """A packaged data file has a bad line; the message names the file and the line."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}: line {line}: {problem}")
        self.path = path
        self.line = line


class DatabaseInUse(ConfigError):
    """Another bot holds the SQLite database: one file serves one instance."""


class InputError(BriefbotError):
    """A line of input that cannot be read; the message names the line."""


class FetchError(BriefbotError):
    reason = "error_fetch"


class InvalidURL(FetchError):
    reason = "error_invalid_url"


class BrokenLink(InvalidURL):
    """A link in a message that cannot be meant as written ("https://exa mple.com")."""

    reason = "error_broken_link"


class BlockedAddress(FetchError):
    reason = "error_blocked_address"


class DNSFailure(FetchError):
    reason = "error_dns"


class ConnectFailure(FetchError):
    reason = "error_connect"


class FetchTimeout(FetchError):
    reason = "error_timeout"


class HTTPStatusError(FetchError):
    reason = "error_http_status"

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message or f"HTTP {status}")
        self.status = status


class TooManyRedirects(FetchError):
    reason = "error_redirects"


class TooLarge(FetchError):
    reason = "error_too_large"


class UnsupportedContent(FetchError):
    reason = "error_unsupported_content"

    def __init__(self, content_type: str) -> None:
        super().__init__(f"unsupported content type: {content_type or 'unknown'}")
        self.content_type = content_type


class ExtractionError(BriefbotError):
    reason = "error_extraction"


class NoArticleText(ExtractionError):
    reason = "error_no_article"


class FeedError(BriefbotError):
    """A polled feed could not be read; it fails alone, with its kind in feed health."""


class FeedParseError(FeedError):
    """The document is not an RSS or Atom feed: an HTML page, an error page, garbage."""


class ParserCrash(FeedError):
    """Parsing a feed failed in an unexpected way; the traceback is in the log."""


class WorkError(BriefbotError):
    """A job sent to a worker process (``bot.workers``) did not finish; the worker is replaced."""


class WorkTimeout(WorkError):
    """The job ran past its deadline, so its worker was stopped."""

    reason = "error_work_timeout"


class WorkerCrashed(WorkError):
    """The worker process died while running the job (killed, out of memory, a crash)."""


class SettingsError(BriefbotError):
    reason = "error_generic"


class InvalidTime(SettingsError):
    """Text that is not a time of day; the message says what was wrong."""

    reason = "error_invalid_time"


class InvalidTimezone(SettingsError):
    """Text that names no time zone; ``suggestions`` holds up to five IANA names."""

    reason = "error_invalid_timezone"

    def __init__(self, given: str, suggestions: tuple[str, ...] = (), detail: str = "") -> None:
        message = detail or f"unknown time zone {given!r}"
        if suggestions:
            message += f"; did you mean {', '.join(suggestions)}?"
        super().__init__(message)
        self.given = given
        self.suggestions = suggestions


class InvalidLanguage(SettingsError):
    reason = "error_invalid_language"


class InvalidFrequency(SettingsError):
    """Text that is not daily, weekdays or weekly (with a day) in either language."""

    reason = "error_invalid_frequency"


class LastTopic(SettingsError):
    """A chat keeps at least one topic: a briefing with none would always be empty."""

    reason = "topics_at_least_one"


class NotSubscribed(SettingsError):
    reason = "error_not_subscribed"


class InvalidQuietHours(SettingsError):
    reason = "alerts_quiet_invalid"


class FollowError(BriefbotError):
    reason = "error_generic"


class EmptyFollow(FollowError):
    reason = "follow_empty"


class FollowTooLong(FollowError):
    reason = "follow_too_long"


class FollowTooBroad(FollowError):
    """``stories`` is how many of the last day's stories it matched (None: judged by its
    words alone, e.g. only stop words)."""

    reason = "follow_too_broad"

    def __init__(self, label: str, stories: int | None = None) -> None:
        super().__init__(f"{label!r} would match {stories} stories a day")
        self.label = label
        self.stories = stories


class TooManyFollows(FollowError):
    reason = "follow_limit"

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} follows per chat")
        self.limit = limit


class NotFollowing(FollowError):
    reason = "unfollow_unknown"

    def __init__(self, label: str) -> None:
        super().__init__(f"not following {label!r}")
        self.label = label


class SendError(BriefbotError):
    """A message did not go out; ``str()`` is the messenger's own account of why."""


class ChatUnreachable(SendError):
    """The chat takes no more messages from the bot; ``deactivation`` is recorded on it."""

    def __init__(self, deactivation: DeactivationReason, detail: str) -> None:
        super().__init__(detail)
        self.deactivation = deactivation


class MessageRejected(SendError):
    """The messenger refused this message itself; sending it again would fail again."""


class ThreadGone(SendError):
    """The forum topic the message was addressed to no longer exists (deleted or closed
    for good): the chat itself still takes messages."""


class SendDeferred(SendError):
    """Worth another try on a later tick (flood control, a chat that moved)."""


class NetworkTrouble(SendDeferred):
    """Timeouts, connection errors, server errors: worth re-sending within seconds."""


class SenderBroken(SendError):
    """Nothing can be sent (the token was revoked…); the run stops and raises it."""


class MessengerError(BriefbotError):
    """The bot could not start: the messenger said no, or could not be reached."""


class PollingConflict(MessengerError):
    """Telegram answered 409: another process is polling with this token."""


class MessengerUnreachable(MessengerError):
    """The Bot API could not be reached at start-up."""


class MessengerRefused(MessengerError):
    """The Bot API refused to start the bot (other than a rejected token, a ConfigError)."""

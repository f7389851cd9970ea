"""Plain data the core passes around: pages and articles, feed items, readers and their
settings, feed health. No I/O here; every other module may import this one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched document as raw bytes; decoding is CPU work done off the event loop."""

    url: str
    """Final URL, after redirects."""
    content_type: str
    """Media type without parameters, e.g. ``text/html`` or ``text/plain``."""
    body: bytes
    """Decompressed body, at most the configured cap."""
    charset: str | None = None
    """Charset named by the HTTP ``Content-Type`` header, if any."""


@dataclass(frozen=True, slots=True)
class Article:
    """The readable part of a page."""

    url: str
    text: str
    title: str | None = None
    source: str | None = None
    """Site name, e.g. "Yonhap News Agency"."""
    published: str | None = None
    """ISO 8601 date (``YYYY-MM-DD``) when the page gives one."""
    language: str = "en"
    extractor: str = "trafilatura"
    """Which extractor produced the text: trafilatura, readability, meta or plain."""


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: whole sentences of the article, in article order."""

    article: Article
    sentences: tuple[str, ...] = field(default_factory=tuple)


class Topic(StrEnum):
    """The six briefing topics a reader can choose from (all by default)."""

    SECURITY = "security"
    """Missiles, nuclear programme, military."""
    INTER_KOREAN = "inter_korean"
    """Relations between the two Koreas."""
    DIPLOMACY = "diplomacy"
    """Diplomacy about Korea: US, China, Japan, Russia, the UN."""
    POLITICS = "politics"
    """Politics in Seoul and in Pyongyang: the president, the Assembly, parties and
    prosecutions; the North's leader, party and state at home. The real labelled sets
    file the North's domestic politics here (their ``nk_politics``), as Korean
    newspapers' 정치 sections do."""
    ECONOMY = "economy"
    """Economy and society."""
    HUMAN_RIGHTS = "human_rights"


ALL_TOPICS: frozenset[Topic] = frozenset(Topic)


class Language(StrEnum):
    """The languages the bot writes in, and in which its feeds are."""

    EN = "en"
    KO = "ko"


DEFAULT_LANGUAGE = Language.EN
"""For readers whose Telegram app is in neither language."""


class SummaryLength(StrEnum):
    """How long a reader's summaries are: link summaries and briefing stories alike.

    The sentence counts live with their users (``bot.articles.summarize.SENTENCES_FOR``
    for links, ``bot.briefing.render`` for briefing stories).
    """

    SHORT = "short"
    """Link summaries of 2 sentences; one sentence a briefing story."""
    STANDARD = "standard"
    """Link summaries of 3 sentences; up to two a briefing story."""
    LONG = "long"
    """Link summaries of 5 sentences; up to three a briefing story."""


class Frequency(StrEnum):
    """How often a subscriber gets the briefing (``bot.delivery.schedule.delivers_on``)."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    """Monday to Friday in the reader's time zone."""
    WEEKLY = "weekly"
    """Once a week on the reader's day: the week's top stories in one message."""


DEFAULT_WEEKDAY = 0
"""Weekly readers' day until they choose one: Monday (``date.weekday()`` numbering), so
the week's edition starts the working week."""


DEFAULT_TIMEZONE = "Asia/Seoul"
"""New subscribers' time zone unless ``DEFAULT_TIMEZONE`` is configured."""
DEFAULT_DELIVERY_TIME = time(7, 30)
"""New subscribers' delivery time unless ``DEFAULT_BRIEFING_TIME`` is configured."""


class Provenance(StrEnum):
    """Who publishes a feed; state media is always labelled as such, with its country."""

    NK_STATE_MEDIA = "nk_state_media"
    """KCNA, Rodong Sinmun, Uriminzokkiri, Voice of Korea (and KCNA Watch's copies)."""
    RU_STATE_MEDIA = "ru_state_media"
    """TASS, RIA Novosti, Sputnik, RT."""
    CN_STATE_MEDIA = "cn_state_media"
    """Xinhua, CGTN, Global Times, China Daily, People's Daily."""
    IR_STATE_MEDIA = "ir_state_media"
    VN_STATE_MEDIA = "vn_state_media"
    BY_STATE_MEDIA = "by_state_media"
    CU_STATE_MEDIA = "cu_state_media"
    SK_GOVERNMENT = "sk_government"
    WIRE = "wire"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    MONITOR = "monitor"
    """Specialist monitors and analysis sites (NK News, 38 North, Daily NK, KCNA Watch)."""
    UNSTATED = "unstated"
    """The feed list does not say and the outlet is not a known state medium: no label."""

    @property
    def state_media_of(self) -> str | None:
        """The ISO country code of the state behind this medium, or None."""
        code, _, rest = self.value.partition("_")
        if rest != "state_media":
            return None
        return "kp" if code == "nk" else code  # "nk_state_media" predates the ISO codes


@dataclass(frozen=True, slots=True)
class NewsItem:
    """A relevant feed item as the briefing sees it: scored, with topics, ready to cluster."""

    url: str
    """Canonical URL (tracking parameters stripped); the item's identity."""
    title: str
    summary: str
    """Best available short text: the article's own summary sentences when the page was
    fetched and summarized, else the feed's excerpt."""
    published: datetime
    """Timezone-aware UTC; the fetch time when the feed gave no date."""
    source: str
    """Outlet display name, e.g. "Yonhap"."""
    feed_name: str
    language: str
    provenance: Provenance
    topics: tuple[Topic, ...]
    relevance: float
    weight: float = 1.0
    """The feed's weight from the feed list."""
    outlet: str = ""
    """The outlet's identity across languages (see ``FeedSpec.outlet``); "" = ``source``."""
    source_ko: str = ""
    """The outlet's name for Korean readers (``FeedSpec.source_ko``); "" = ``source``."""
    source_en: str = ""
    """The outlet's name for English readers (``FeedSpec.source_en``); "" = ``source``."""

    @property
    def outlet_key(self) -> str:
        """What counts as one independent source: Yonhap and 연합뉴스 are one."""
        return self.outlet or self.source

    def source_name(self, language: str) -> str:
        """The outlet's name as a reader of ``language`` knows it: 연합뉴스 for Yonhap."""
        named = self.source_ko if language == Language.KO else self.source_en
        return named or self.source


class DeactivationReason(StrEnum):
    """Why a chat stopped receiving the briefing (``chats.deactivated_reason``)."""

    UNSUBSCRIBED = "unsubscribed"
    """The reader said /stop."""
    BLOCKED = "blocked"
    """The user blocked the bot."""
    KICKED = "kicked"
    """The bot was removed from the group or channel."""
    CHAT_NOT_FOUND = "chat_not_found"
    USER_DEACTIVATED = "user_deactivated"
    """The user deleted their account."""


@dataclass(frozen=True, slots=True)
class ForumThread:
    """Where in a forum supergroup a chat's briefing goes: the topic (thread) a setting was
    sent from; ``thread_id`` None is the chat itself (the General topic)."""

    thread_id: int | None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A chat as the bot knows it: subscribed or not, with its briefing preferences.

    Every chat that used a settings command has one (``subscribed`` says whether the
    daily briefing goes out); the store reads and writes them (``bot.store.subscribers``).
    """

    chat_id: int
    chat_type: str
    """private, group, supergroup or channel."""
    title: str
    language: Language
    timezone: str
    """An IANA name, e.g. Asia/Seoul."""
    delivery_time: time
    """Local wall-clock time of the daily briefing."""
    topics: frozenset[Topic]
    summary_length: SummaryLength
    subscribed: bool
    next_delivery_at: datetime | None
    """UTC; None exactly when not subscribed."""
    added_by: int | None
    created_at: datetime
    updated_at: datetime
    deactivated_at: datetime | None
    deactivated_reason: str | None
    timezone_chosen: bool = False
    """The reader named the zone (it is not the default or a guess from their language)."""
    frequency: Frequency = Frequency.DAILY
    delivery_weekday: int = DEFAULT_WEEKDAY
    """A weekly reader's day, 0 = Monday … 6 = Sunday (kept when the frequency changes)."""
    message_thread_id: int | None = None
    """The forum topic (thread) of a supergroup the briefing goes to; None: the chat itself
    (the General topic of a forum)."""


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """A feed's record, for ``/sources`` and ``briefbot feeds check``."""

    name: str
    url: str
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    """The current failure's message; cleared by the next success."""
    error_kind: str | None
    """The current failure's kind (``bot.news.ingest.FailureKind``), e.g. ``http_5xx``."""
    consecutive_failures: int
    next_attempt_at: datetime | None
    last_new_items: int
    items_total: int
    """New items the feed has brought in, all time."""

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0


@dataclass(frozen=True, slots=True)
class ReaderPrefs:
    """What one reader wants in a briefing (the subscription's settings, or defaults)."""

    language: Language
    topics: frozenset[Topic]
    summary_length: SummaryLength
    timezone: str
    """IANA name, for the edition's date."""
    frequency: Frequency = Frequency.DAILY
    """Weekly readers get the week's stories rather than the day's."""

    @classmethod
    def of(cls, subscriber: Subscriber) -> ReaderPrefs:
        return cls(
            subscriber.language,
            subscriber.topics,
            subscriber.summary_length,
            subscriber.timezone,
            subscriber.frequency,
        )

    @classmethod
    def default(cls, language: Language, timezone: str = DEFAULT_TIMEZONE) -> ReaderPrefs:
        """For a chat with no settings: every topic, standard length."""
        return cls(language, ALL_TOPICS, SummaryLength.STANDARD, timezone)

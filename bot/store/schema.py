"""The tables, as SQLAlchemy Core metadata; the migrations in ``migrations/`` build the
same thing by hand, and a test checks the two agree on SQLite and PostgreSQL.

Topics are a bit mask (:data:`TOPIC_BITS`) so a reader's toggle is one atomic
``UPDATE … SET topics = (topics | bit) - (topics & bit)`` on both backends: two
concurrent toggles of different topics can never overwrite each other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Double,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from bot.models import Topic

# Stable bit per topic: never renumber, only append (the numbers are stored).
TOPIC_BITS: dict[Topic, int] = {
    Topic.SECURITY: 1 << 0,
    Topic.INTER_KOREAN: 1 << 1,
    Topic.DIPLOMACY: 1 << 2,
    Topic.POLITICS: 1 << 3,
    Topic.ECONOMY: 1 << 4,
    Topic.HUMAN_RIGHTS: 1 << 5,
}


def topics_to_mask(topics: frozenset[Topic] | set[Topic]) -> int:
    mask = 0
    for topic in topics:
        mask |= TOPIC_BITS[topic]
    return mask


def mask_to_topics(mask: int) -> frozenset[Topic]:
    return frozenset(topic for topic, bit in TOPIC_BITS.items() if mask & bit)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on both backends.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so the value is stored
    as naive UTC text (which also sorts correctly) and UTC is re-attached on the way out.
    Naive datetimes are refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware (UTC) datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

chats = Table(
    "chats",
    metadata,
    # Telegram ids exceed 32 bits; groups and channels are negative (-100…).
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("chat_type", String(16), nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    Column("language", String(8), nullable=False),
    Column("timezone", String(64), nullable=False),
    # False while the zone is the default or a guess from the reader's app language:
    # /subscribe then asks where they read (revision 0004).
    Column("timezone_chosen", Boolean, nullable=False, server_default=false()),
    Column("delivery_time", Time, nullable=False),
    Column("topics", Integer, nullable=False),
    Column("summary_length", String(16), nullable=False),
    Column("subscribed", Boolean, nullable=False, server_default=false()),
    Column("next_delivery_at", UTCDateTime),
    Column("added_by", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("deactivated_at", UTCDateTime),
    Column("deactivated_reason", String(32)),
    # daily, weekdays or weekly (bot.models.Frequency); the weekly day 0 = Monday … 6 =
    # Sunday; the forum topic the briefing goes to (revision 0012).
    Column("frequency", String(16), nullable=False, server_default="daily"),
    Column("delivery_weekday", SmallInteger, nullable=False, server_default="0"),
    Column("message_thread_id", BigInteger),
    # Which instance is about to send the chat its due edition, and until when (revision
    # 0015): instances split the fan-out by these. Only an optimisation: the delivery
    # log's claim is what keeps each edition to one send. Stale after ``fanout_until``.
    Column("fanout_holder", String(128)),
    Column("fanout_until", UTCDateTime),
    CheckConstraint("chat_type IN ('private', 'group', 'supergroup', 'channel')", name="chat_type"),
    CheckConstraint("summary_length IN ('short', 'standard', 'long')", name="summary_length"),
    # A subscribed chat always has a next delivery, and only a subscribed one does.
    CheckConstraint("subscribed = (next_delivery_at IS NOT NULL)", name="next_delivery"),
)

# The due query: WHERE subscribed AND next_delivery_at <= now
# ORDER BY next_delivery_at, chat_id LIMIT n — read straight off the index, no sort.
# Partial on PostgreSQL; on SQLite unsubscribed rows are NULLs the range scan skips.
Index(
    "ix_chats_due",
    chats.c.next_delivery_at,
    chats.c.chat_id,
    postgresql_where=text("subscribed"),
)

channel_managers = Table(
    "channel_managers",
    metadata,
    Column(
        "channel_id",
        BigInteger,
        ForeignKey("chats.chat_id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", BigInteger, primary_key=True),
)
Index("ix_channel_managers_user_id", channel_managers.c.user_id)

# ── The daily briefing (revision 0003) ───────────────────────────────────────

feeds = Table(
    "feeds",
    metadata,
    # One row per configured feed URL: polling state and health, for /sources and back-off.
    Column("url", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_attempt_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_error", Text),
    Column("error_kind", String(32)),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime),
    Column("last_new_items", Integer, nullable=False, server_default="0"),
    Column("items_total", Integer, nullable=False, server_default="0"),
)

items = Table(
    "items",
    metadata,
    # Keyed by canonical URL (tracking parameters and fragment stripped), so an item
    # seen in several feeds, or again at the next poll, is processed once.
    Column("url", Text, primary_key=True),
    Column("feed_url", Text, nullable=False),
    Column("feed_name", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("provenance", String(32), nullable=False),
    Column("weight", Float, nullable=False, server_default="1.0"),
    Column("title", Text, nullable=False),
    Column("excerpt", Text, nullable=False, server_default=""),
    Column("summary", Text),
    # pending → the article page is still to be fetched and summarized; done, failed,
    # or skipped (full-text feed, or not relevant enough to fetch).
    Column("summary_status", String(16), nullable=False, server_default="skipped"),
    Column("published_at", UTCDateTime, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("relevance", Float, nullable=False, server_default="0"),
    Column("relevant", Boolean, nullable=False, server_default=false()),
    Column("topics", Integer, nullable=False, server_default="0"),
    # The topics strongest first, comma-separated (revision 0014): the mask above says
    # which, not in what order. NULL for items stored before; read in the enum's order.
    Column("topic_order", String(64)),
)
# The briefing's query: relevant items of the last 24 hours.
Index("ix_items_relevant_published_at", items.c.relevant, items.c.published_at)
Index("ix_items_summary_status", items.c.summary_status)
Index("ix_items_published_at", items.c.published_at)  # pruning by age (revision 0009)

deliveries = Table(
    "deliveries",
    metadata,
    # Exactly once: one row per (chat, edition date in the chat's zone), claimed before
    # sending. Cascades keep it with the chat through /forget and supergroup migration.
    Column(
        "chat_id",
        BigInteger,
        ForeignKey("chats.chat_id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    Column("edition_date", Date, primary_key=True),
    # sending → claimed, messages may be in flight; sent; failed (gave up); skipped
    # (more than 3 hours late after downtime).
    Column("status", String(16), nullable=False),
    Column("scheduled_for", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("messages_sent", Integer, nullable=False, server_default="0"),
    Column("sent_at", UTCDateTime),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("error", Text),
    CheckConstraint("status IN ('sending', 'sent', 'failed', 'skipped')", name="status"),
)
Index("ix_deliveries_status", deliveries.c.status, deliveries.c.updated_at)
# The edition report: the rows of the chats due in a window (revision 0015).
Index("ix_deliveries_scheduled_for", deliveries.c.scheduled_for)

# ── Several instances on one database (revision 0006) ────────────────────────

handled_updates = Table(
    "handled_updates",
    metadata,
    # Telegram's update id: the first instance to insert it handles the update; a retry
    # or a second delivery finds the row and drops it. Rows older than a day are pruned.
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("handled_at", UTCDateTime, nullable=False),
)
Index("ix_handled_updates_handled_at", handled_updates.c.handled_at)

leases = Table(
    "leases",
    metadata,
    # One row per job family ("jobs": feed polling and edition building): the instance
    # that holds it runs them until ``expires_at``, renewing well before (revision 0007).
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("renewed_at", UTCDateTime, nullable=False),
)

send_pacing = Table(
    "send_pacing",
    metadata,
    # One row per bot: its next free send slot, in seconds since the epoch by the
    # database's clock; every instance claims from it (bot.store.pacing, revision 0008).
    Column("name", String(64), primary_key=True),
    Column("next_slot", Double, nullable=False),
)

# ── Follows (revision 0010) ──────────────────────────────────────────────────

follows = Table(
    "follows",
    metadata,
    # What a chat follows (/follow 김여정): ``query_key`` is the parsed follow's identity
    # (bot.follows.query.FollowQuery.key), ``label`` the text as typed, shown back.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "chat_id",
        BigInteger,
        ForeignKey("chats.chat_id", ondelete="CASCADE", onupdate="CASCADE"),
        nullable=False,
    ),
    Column("query_key", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("chat_id", "query_key"),
)

follow_sends = Table(
    "follow_sends",
    metadata,
    # At most once: one row per (chat, story), claimed before the story is sent. The key
    # is the story's (its earliest item's URL); a story whose key changed as items came
    # in is recognised by its other items' URLs (bot.store.follows). Pruned with items.
    Column(
        "chat_id",
        BigInteger,
        ForeignKey("chats.chat_id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    Column("story_key", Text, primary_key=True),
    Column("follows", Text, nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
)
Index("ix_follow_sends_sent_at", follow_sends.c.sent_at)

# ── Search (revision 0009) ───────────────────────────────────────────────────

search_docs = Table(
    "search_docs",
    metadata,
    # One row per item. The id orders by publication time (seconds since the epoch,
    # shifted 20 bits, plus a hash of the URL), so "newest first" is the index's own
    # order on both backends (bot.store.search). INTEGER makes it SQLite's rowid.
    Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    ),
    Column(
        "url",
        Text,
        ForeignKey("items.url", ondelete="CASCADE", onupdate="CASCADE"),
        nullable=False,
        unique=True,
    ),
    # bot.store.searchterms' terms: text that SQLite's FTS5 table ``search_fts`` indexes
    # (external content, kept by triggers); a tsvector with a GIN index on PostgreSQL.
    Column("terms", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
)
Index("ix_search_docs_terms", search_docs.c.terms, postgresql_using="gin")
SEARCH_TEXT_TABLES = frozenset(
    {"search_fts", "search_fts_data", "search_fts_idx", "search_fts_docsize", "search_fts_config"}
)
"""SQLite's FTS5 table and its shadow tables: made by revision 0009, not modelled here;
on SQLite ``ix_search_docs_terms`` is that table instead of an index."""

search_queries = Table(
    "search_queries",
    metadata,
    # A search's words under a short id, so its page buttons carry only the id and the
    # page; rows unused for a month are pruned with old items.
    Column("id", String(16), primary_key=True),
    Column("query", Text, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
)

# ── Story threads (revision 0011) ────────────────────────────────────────────

thread_items = Table(
    "thread_items",
    metadata,
    # Which story thread each item belongs to (bot.briefing.threads): written when the
    # day's stories are built, first link wins, so a thread keeps its id as its items
    # leave the 24-hour window. Pruned with items through the foreign key.
    Column(
        "url",
        Text,
        ForeignKey("items.url", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    Column("thread_id", String(16), nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
)
Index("ix_thread_items_thread_id", thread_items.c.thread_id)

# ── Confirmed breaking alerts (revision 0013) ────────────────────────────────

breaking_chats = Table(
    "breaking_chats",
    metadata,
    # A chat's /alerts settings: on or off (off by default: no row), the forum topic
    # where /alerts on was sent, quiet hours on its wall clock (both or neither).
    Column(
        "chat_id",
        BigInteger,
        ForeignKey("chats.chat_id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    Column("enabled", Boolean, nullable=False, server_default=false()),
    Column("thread_id", BigInteger),
    Column("quiet_start", Time),
    Column("quiet_end", Time),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("(quiet_start IS NULL) = (quiet_end IS NULL)", name="quiet_hours"),
)

breaking_stories = Table(
    "breaking_stories",
    metadata,
    # Every item URL of every story that alerted, under the key it first alerted with: a
    # story whose key later changes (an earlier item joins, stories merge or split) is
    # still found by any item it had (bot.store.breaking). Pruned with the send log.
    Column("url", Text, primary_key=True),
    Column("story_key", Text, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=False),
)
Index("ix_breaking_stories_confirmed_at", breaking_stories.c.confirmed_at)

breaking_sends = Table(
    "breaking_sends",
    metadata,
    # At most once: one row per (chat, story), claimed before sending. held → waiting
    # for the chat's quiet hours to end (``release_at``, the text ready); sent; dropped
    # (the morning edition went out first, or alerts were turned off meanwhile).
    Column(
        "chat_id",
        BigInteger,
        ForeignKey("chats.chat_id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    Column("story_key", Text, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("release_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    CheckConstraint("status IN ('held', 'sent', 'dropped')", name="status"),
)
Index("ix_breaking_sends_status", breaking_sends.c.status, breaking_sends.c.release_at)
Index("ix_breaking_sends_created_at", breaking_sends.c.created_at)

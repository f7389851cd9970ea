"""The subscriber store on SQLite and PostgreSQL: every method, concurrency, round-trips."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import StatementError

from bot.errors import ConfigError, LastTopic
from bot.models import ALL_TOPICS, DeactivationReason, Subscriber, Topic
from bot.store import Database, SubscriberStore
from bot.store.database import _asyncpg_arguments, normalize_database_url

NOW = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)  # 21:00 in Seoul
USER = 5_123_456_789  # user ids no longer fit in 32 bits either
GROUP = -1_001_234_567_890
CHANNEL = -1_009_876_543_210


@pytest.fixture
def store(database: Database) -> SubscriberStore:
    return SubscriberStore(database, clock=lambda: NOW)


async def subscribe(store: SubscriberStore, chat_id: int = USER, **kwargs: object) -> Subscriber:
    values: dict[str, object] = {"chat_type": "private", "title": "Reader", "language": "en"}
    values.update(kwargs)
    settings, _ = await store.subscribe(chat_id, now=NOW, **values)  # type: ignore[arg-type]
    return settings


# ---------------------------------------------------------------------------- subscribe


async def test_subscribe_creates_a_chat_with_the_defaults(store: SubscriberStore) -> None:
    settings, newly = await store.subscribe(
        USER, chat_type="private", title="Reader", language="ko", added_by=USER, now=NOW
    )
    assert newly
    assert settings.subscribed
    assert (settings.timezone, settings.delivery_time) == ("Asia/Seoul", time(7, 30))
    assert settings.topics == ALL_TOPICS
    assert settings.summary_length == "standard"
    assert settings.language == "ko"
    assert settings.added_by == USER
    # 21:00 KST now → 07:30 KST tomorrow.
    assert settings.next_delivery_at == datetime(2024, 1, 1, 22, 30, tzinfo=UTC)
    assert await store.get(USER) == settings


async def test_subscribe_with_time_and_zone_uses_them(store: SubscriberStore) -> None:
    settings = await subscribe(store, timezone="America/New_York", delivery_time=time(8))
    assert settings.next_delivery_at == datetime(2024, 1, 1, 13, 0, tzinfo=UTC)


async def test_subscribing_again_changes_nothing(store: SubscriberStore) -> None:
    first = await subscribe(store)
    again, newly = await store.subscribe(
        USER, chat_type="private", title="Reader", language="en", now=NOW + timedelta(hours=1)
    )
    assert not newly
    assert again == first


async def test_subscribing_again_refreshes_the_title(store: SubscriberStore) -> None:
    await subscribe(store, GROUP, chat_type="supergroup", title="Old name")
    settings, newly = await store.subscribe(
        GROUP, chat_type="supergroup", title="New name", language="en", now=NOW
    )
    assert not newly
    assert settings.title == "New name"


async def test_subscribing_again_with_a_time_moves_the_delivery(store: SubscriberStore) -> None:
    await subscribe(store)
    settings, newly = await store.subscribe(
        USER, chat_type="private", title="Reader", language="en", delivery_time=time(22), now=NOW
    )
    assert not newly
    assert settings.next_delivery_at == datetime(2024, 1, 1, 13, 0, tzinfo=UTC)


async def test_resubscribing_reactivates_and_keeps_settings(store: SubscriberStore) -> None:
    await subscribe(store)
    await store.toggle_topic(USER, Topic.ECONOMY)
    await store.set_language(USER, "ko")
    await store.unsubscribe(USER, NOW)
    settings, newly = await store.subscribe(
        USER, chat_type="private", title="Reader", language="en", now=NOW + timedelta(days=3)
    )
    assert newly
    assert settings.subscribed
    assert (settings.deactivated_at, settings.deactivated_reason) == (None, None)
    assert Topic.ECONOMY not in settings.topics
    assert settings.language == "ko"
    assert settings.next_delivery_at == datetime(2024, 1, 4, 22, 30, tzinfo=UTC)


async def test_concurrent_subscribes_make_one_row_and_one_welcome(store: SubscriberStore) -> None:
    results = await asyncio.gather(
        *(
            store.subscribe(GROUP, chat_type="group", title="G", language="en", now=NOW)
            for _ in range(20)
        )
    )
    assert sum(newly for _, newly in results) == 1
    assert await store.count_subscribed() == 1


async def test_subscribe_rejects_unknown_values(store: SubscriberStore) -> None:
    with pytest.raises(ValueError, match="chat type"):
        await store.subscribe(USER, chat_type="forum", title="", language="en", now=NOW)
    with pytest.raises(ValueError, match="language"):
        await store.subscribe(USER, chat_type="private", title="", language="fr", now=NOW)
    with pytest.raises(ValueError, match="IANA"):
        await store.subscribe(
            USER, chat_type="private", title="", language="en", timezone="KST", now=NOW
        )
    assert await store.get(USER) is None


# ---------------------------------------------------------------------------- ensure_chat


async def test_ensure_chat_creates_an_unsubscribed_row(store: SubscriberStore) -> None:
    settings = await store.ensure_chat(USER, chat_type="private", title="Reader", language="ko")
    assert not settings.subscribed
    assert settings.next_delivery_at is None
    assert settings.language == "ko"
    assert settings.created_at == NOW
    assert await store.count_subscribed() == 0


async def test_ensure_chat_leaves_an_existing_row_alone(store: SubscriberStore) -> None:
    existing = await subscribe(store, language="ko")
    assert await store.ensure_chat(USER, chat_type="private", title="X", language="en") == existing


async def test_language_can_be_set_before_subscribing(store: SubscriberStore) -> None:
    await store.ensure_chat(USER, chat_type="private", title="Reader", language="en")
    await store.set_language(USER, "ko")
    settings, newly = await store.subscribe(
        USER, chat_type="private", title="Reader", language="en", now=NOW
    )
    assert newly
    assert settings.language == "ko"


async def test_time_and_zone_set_before_subscribing_are_used(store: SubscriberStore) -> None:
    await store.ensure_chat(USER, chat_type="private", title="Reader", language="en")
    await store.set_time(USER, time(7), NOW)
    await store.set_timezone(USER, "Europe/London", NOW)
    settings = await subscribe(store, timezone_guess="Asia/Seoul")
    assert (settings.delivery_time, settings.timezone) == (time(7), "Europe/London")
    assert settings.timezone_chosen, "a guess never overrides the reader's choice"
    assert settings.next_delivery_at == datetime(2024, 1, 2, 7, 0, tzinfo=UTC)


async def test_a_zone_guess_fills_a_zone_nobody_chose(store: SubscriberStore) -> None:
    new = await subscribe(store, timezone_guess="Asia/Tokyo")
    assert (new.timezone, new.timezone_chosen) == ("Asia/Tokyo", False)
    named = await subscribe(store, GROUP, chat_type="group", timezone="Europe/Paris")
    assert named.timezone_chosen
    # A guess does not move an active subscription; a chat coming back takes it.
    again = await subscribe(store, timezone_guess="America/New_York")
    assert again.timezone == "Asia/Tokyo"
    await store.unsubscribe(USER, NOW)
    back = await subscribe(store, timezone_guess="America/New_York")
    assert (back.timezone, back.timezone_chosen) == ("America/New_York", False)


async def test_setting_the_zone_marks_it_chosen(store: SubscriberStore) -> None:
    await subscribe(store)
    settings = await store.set_timezone(USER, "Asia/Seoul", NOW)
    assert settings is not None and settings.timezone_chosen


# ---------------------------------------------------------------------------- settings


async def test_get_unknown_chat_is_none(store: SubscriberStore) -> None:
    assert await store.get(USER) is None


async def test_set_time_moves_the_next_delivery(store: SubscriberStore) -> None:
    await subscribe(store)
    settings = await store.set_time(USER, time(22, 15), NOW)
    assert settings is not None
    assert settings.delivery_time == time(22, 15)
    assert settings.next_delivery_at == datetime(2024, 1, 1, 13, 15, tzinfo=UTC)


async def test_set_time_when_not_subscribed_schedules_nothing(store: SubscriberStore) -> None:
    await store.ensure_chat(USER, chat_type="private", title="", language="en")
    settings = await store.set_time(USER, time(6), NOW)
    assert settings is not None
    assert settings.delivery_time == time(6)
    assert settings.next_delivery_at is None


async def test_set_timezone_moves_the_next_delivery(store: SubscriberStore) -> None:
    await subscribe(store)
    settings = await store.set_timezone(USER, "Europe/London", NOW)
    assert settings is not None
    assert settings.next_delivery_at == datetime(2024, 1, 2, 7, 30, tzinfo=UTC)


async def test_set_timezone_refuses_a_non_iana_name(store: SubscriberStore) -> None:
    await subscribe(store)
    with pytest.raises(ValueError, match="IANA"):
        await store.set_timezone(USER, "Mars/Base", NOW)


async def test_settings_of_an_unknown_chat_are_none(store: SubscriberStore) -> None:
    assert await store.set_time(USER, time(6), NOW) is None
    assert await store.set_timezone(USER, "UTC", NOW) is None
    assert await store.set_language(USER, "ko") is None
    assert await store.set_summary_length(USER, "short") is None
    assert await store.toggle_topic(USER, Topic.SECURITY) is None
    assert await store.unsubscribe(USER, NOW) is None
    assert await store.advance(USER, NOW) is None


async def test_set_language_and_summary_length(store: SubscriberStore) -> None:
    await subscribe(store)
    later = NOW + timedelta(minutes=5)
    await store.set_language(USER, "ko", now=later)
    settings = await store.set_summary_length(USER, "short", now=later)
    assert settings is not None
    assert (settings.language, settings.summary_length) == ("ko", "short")
    assert settings.updated_at == later
    settings = await store.set_summary_length(USER, "long", now=later)
    assert settings is not None
    assert settings.summary_length == "long"
    with pytest.raises(ValueError, match="summary length"):
        await store.set_summary_length(USER, "huge")


async def test_toggle_topic_flips_one_topic(store: SubscriberStore) -> None:
    await subscribe(store)
    off = await store.toggle_topic(USER, Topic.ECONOMY)
    on = await store.toggle_topic(USER, Topic.ECONOMY)
    assert off is not None and on is not None
    assert off.topics == ALL_TOPICS - {Topic.ECONOMY}
    assert on.topics == ALL_TOPICS


async def test_concurrent_toggles_all_land_but_the_last_topic_stays(
    store: SubscriberStore,
) -> None:
    await subscribe(store)
    results = await asyncio.gather(
        *(store.toggle_topic(USER, topic) for topic in Topic), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], LastTopic)
    settings = await store.get(USER)
    assert settings is not None
    assert len(settings.topics) == 1


async def test_the_last_topic_cannot_be_switched_off(store: SubscriberStore) -> None:
    await subscribe(store)
    for topic in sorted(Topic)[1:]:
        await store.toggle_topic(USER, topic)
    last = sorted(Topic)[0]
    with pytest.raises(LastTopic):
        await store.toggle_topic(USER, last)
    settings = await store.get(USER)
    assert settings is not None and settings.topics == {last}


# ---------------------------------------------------------------------------- deactivation


async def test_unsubscribe_stops_deliveries(store: SubscriberStore) -> None:
    await subscribe(store)
    settings = await store.unsubscribe(USER, NOW)
    assert settings is not None
    assert not settings.subscribed
    assert settings.next_delivery_at is None
    assert (settings.deactivated_at, settings.deactivated_reason) == (NOW, "unsubscribed")
    assert await store.count_subscribed() == 0
    assert await store.due(NOW + timedelta(days=2)) == []


async def test_deactivate_records_why(store: SubscriberStore) -> None:
    await subscribe(store)
    settings = await store.deactivate(USER, DeactivationReason.BLOCKED, NOW)
    assert settings is not None
    assert settings.deactivated_reason == "blocked"
    assert not settings.subscribed


# ---------------------------------------------------------------------------- due / advance


async def test_due_returns_subscribed_chats_whose_time_has_come(store: SubscriberStore) -> None:
    await subscribe(store, 1, delivery_time=time(7, 30))  # 22:30 UTC
    await subscribe(store, 2, delivery_time=time(7, 0))  # 22:00 UTC
    await subscribe(store, 3, delivery_time=time(8, 0))  # 23:00 UTC
    await subscribe(store, 4, delivery_time=time(7, 0))
    await store.unsubscribe(4, NOW)
    due = await store.due(datetime(2024, 1, 1, 22, 30, tzinfo=UTC))
    assert [chat.chat_id for chat in due] == [2, 1]


async def test_due_honours_the_limit(store: SubscriberStore) -> None:
    for chat_id in range(1, 6):
        await subscribe(store, chat_id)
    due = await store.due(NOW + timedelta(days=1), limit=3)
    assert [chat.chat_id for chat in due] == [1, 2, 3]


DUE = NOW + timedelta(days=1)
PERIOD = timedelta(seconds=30)
LATER = DUE + PERIOD


async def test_two_holders_reserve_disjoint_due_chats(store: SubscriberStore) -> None:
    for chat_id in range(1, 8):
        await subscribe(store, chat_id)
    first = await store.reserve_due(DUE, 3, holder="a", until=LATER)
    second = await store.reserve_due(DUE, 10, holder="b", until=LATER)
    assert [chat.chat_id for chat in first] == [1, 2, 3]
    assert [chat.chat_id for chat in second] == [4, 5, 6, 7]
    assert await store.reserve_due(DUE, 10, holder="c", until=LATER) == []
    # The reservation is not a setting: the chats read back as before.
    assert first[0] == await store.get(1)


async def test_holders_reserving_at_once_never_share_a_chat(store: SubscriberStore) -> None:
    for chat_id in range(1, 31):
        await subscribe(store, chat_id)
    batches = await asyncio.gather(
        *(store.reserve_due(DUE, 4, holder=f"h{n}", until=LATER) for n in range(6))
    )
    taken = [chat.chat_id for batch in batches for chat in batch]
    assert len(taken) == len(set(taken)) == 24


async def test_a_holder_takes_its_own_reservations_again(store: SubscriberStore) -> None:
    for chat_id in range(1, 4):
        await subscribe(store, chat_id)
    await store.reserve_due(DUE, 2, holder="a", until=LATER)
    again = await store.reserve_due(DUE, 10, holder="a", until=LATER)
    assert [chat.chat_id for chat in again] == [1, 2, 3]


async def test_a_run_is_not_handed_the_chats_it_reserved_itself(store: SubscriberStore) -> None:
    for chat_id in range(1, 4):
        await subscribe(store, chat_id)
    # An earlier run reserved chat 1 and left it; this run (started at DUE, period 30 s)
    # takes it again, once, and then the rest.
    await store.reserve_due(DUE, 1, holder="a", until=DUE + timedelta(seconds=10))
    at = DUE + timedelta(seconds=5)
    first = await store.reserve_due(at, 1, holder="a", until=at + PERIOD, own_before=LATER)
    rest = await store.reserve_due(at, 10, holder="a", until=at + PERIOD, own_before=LATER)
    assert [chat.chat_id for chat in first] == [1]
    assert [chat.chat_id for chat in rest] == [2, 3]


async def test_expired_reservations_are_taken_by_another_holder(store: SubscriberStore) -> None:
    for chat_id in range(1, 4):
        await subscribe(store, chat_id)
    await store.reserve_due(DUE, 2, holder="a", until=LATER)
    assert [c.chat_id for c in await store.reserve_due(DUE, 10, holder="b", until=LATER)] == [3]
    taken = await store.reserve_due(LATER, 10, holder="b", until=LATER + timedelta(seconds=30))
    assert [chat.chat_id for chat in taken] == [1, 2, 3]


async def test_reserve_due_leaves_chats_not_due_or_unsubscribed(store: SubscriberStore) -> None:
    await subscribe(store, 1, delivery_time=time(7, 0))  # 22:00 UTC
    await subscribe(store, 2, delivery_time=time(8, 0))  # 23:00 UTC
    await subscribe(store, 3, delivery_time=time(7, 0))
    await store.unsubscribe(3, NOW)
    at = datetime(2024, 1, 1, 22, 30, tzinfo=UTC)
    reserved = await store.reserve_due(at, 10, holder="a", until=at + timedelta(seconds=30))
    assert [chat.chat_id for chat in reserved] == [1]


async def test_advance_moves_to_the_next_day(store: SubscriberStore) -> None:
    settings = await subscribe(store)
    assert settings.next_delivery_at is not None
    advanced = await store.advance(USER, settings.next_delivery_at)
    assert advanced is not None
    assert advanced.next_delivery_at == settings.next_delivery_at + timedelta(days=1)
    assert await store.due(settings.next_delivery_at) == []


async def test_advance_after_downtime_skips_missed_days(store: SubscriberStore) -> None:
    await subscribe(store)
    advanced = await store.advance(USER, NOW + timedelta(days=3))
    assert advanced is not None
    assert advanced.next_delivery_at == datetime(2024, 1, 4, 22, 30, tzinfo=UTC)


async def test_advance_leaves_an_unsubscribed_chat_alone(store: SubscriberStore) -> None:
    await subscribe(store)
    await store.unsubscribe(USER, NOW)
    settings = await store.advance(USER, NOW)
    assert settings is not None
    assert settings.next_delivery_at is None


# ---------------------------------------------------------------------------- identity


async def test_forget_erases_the_chat_and_its_managers(store: SubscriberStore) -> None:
    await subscribe(store, CHANNEL, chat_type="channel", added_by=USER)
    assert await store.forget(CHANNEL)
    assert await store.get(CHANNEL) is None
    assert await store.channels_managed_by(USER) == []
    assert not await store.forget(CHANNEL)


async def test_migrate_chat_moves_settings_to_the_supergroup(store: SubscriberStore) -> None:
    old = await subscribe(store, -4_000_000_001, chat_type="group", delivery_time=time(6))
    await store.toggle_topic(old.chat_id, Topic.POLITICS)
    moved = await store.migrate_chat(old.chat_id, GROUP)
    assert moved is not None
    assert (moved.chat_id, moved.chat_type) == (GROUP, "supergroup")
    assert moved.delivery_time == time(6)
    assert Topic.POLITICS not in moved.topics
    assert moved.next_delivery_at == old.next_delivery_at
    assert await store.get(old.chat_id) is None


async def test_migrate_chat_replaces_a_row_already_at_the_new_id(store: SubscriberStore) -> None:
    await subscribe(store, -4_000_000_001, chat_type="group", delivery_time=time(6))
    await store.ensure_chat(GROUP, chat_type="supergroup", title="raced", language="ko")
    moved = await store.migrate_chat(-4_000_000_001, GROUP)
    assert moved is not None
    assert (moved.delivery_time, moved.language, moved.subscribed) == (time(6), "en", True)
    assert await store.count_subscribed() == 1


async def test_migrate_unknown_chat_is_none(store: SubscriberStore) -> None:
    assert await store.migrate_chat(-4_000_000_001, GROUP) is None


async def test_channel_subscriber_manages_the_channel(store: SubscriberStore) -> None:
    await subscribe(store, CHANNEL, chat_type="channel", title="Brief", added_by=USER)
    assert [chat.chat_id for chat in await store.channels_managed_by(USER)] == [CHANNEL]


async def test_channel_managers_are_listed_by_title(store: SubscriberStore) -> None:
    await store.ensure_chat(CHANNEL, chat_type="channel", title="Zeta", language="en")
    await store.ensure_chat(CHANNEL - 1, chat_type="channel", title="Alpha", language="en")
    assert await store.add_channel_manager(CHANNEL, USER)
    assert await store.add_channel_manager(CHANNEL - 1, USER)
    assert await store.add_channel_manager(CHANNEL, USER)  # again: no error
    titles = [chat.title for chat in await store.channels_managed_by(USER)]
    assert titles == ["Alpha", "Zeta"]


async def test_manager_of_an_unknown_channel_is_not_recorded(store: SubscriberStore) -> None:
    assert not await store.add_channel_manager(CHANNEL, USER)
    assert await store.channels_managed_by(USER) == []


async def test_count_subscribed(store: SubscriberStore) -> None:
    await subscribe(store, 1)
    await subscribe(store, 2)
    await store.ensure_chat(3, chat_type="private", title="", language="en")
    assert await store.count_subscribed() == 2


# ---------------------------------------------------------------------------- round-trips


async def test_big_negative_chat_ids_round_trip(store: SubscriberStore) -> None:
    chat_id = -1_009_999_999_999_9
    await subscribe(store, chat_id, chat_type="channel", added_by=9_999_999_999)
    settings = await store.get(chat_id)
    assert settings is not None
    assert (settings.chat_id, settings.added_by) == (chat_id, 9_999_999_999)


async def test_datetimes_come_back_aware_in_utc(store: SubscriberStore) -> None:
    seoul_now = NOW.astimezone(ZoneInfo("Asia/Seoul"))
    await store.subscribe(USER, chat_type="private", title="", language="en", now=seoul_now)
    stored = await store.get(USER)
    assert stored is not None
    for value in (stored.created_at, stored.updated_at, stored.next_delivery_at):
        assert value is not None
        assert value.tzinfo is UTC
    assert stored.created_at == NOW


async def test_naive_datetimes_are_refused(store: SubscriberStore) -> None:
    await subscribe(store)
    with pytest.raises(StatementError, match="naive datetime"):
        await store.set_language(USER, "ko", now=datetime(2024, 1, 1))


async def test_unicode_titles_round_trip(store: SubscriberStore) -> None:
    await subscribe(store, GROUP, chat_type="supergroup", title="한반도 뉴스 📰")
    settings = await store.get(GROUP)
    assert settings is not None
    assert settings.title == "한반도 뉴스 📰"


# ---------------------------------------------------------------------------- Database


async def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    async with database, database.reading() as connection:
        assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert await connection.scalar(text("PRAGMA busy_timeout")) == 10_000


async def test_sqlite_directory_is_created_on_open_not_before(tmp_path: Path) -> None:
    database = Database(None, data_dir=tmp_path / "data")
    assert not (tmp_path / "data").exists()
    async with database:
        assert (tmp_path / "data" / "briefbot.db").exists()


async def test_in_memory_sqlite_works(tmp_path: Path) -> None:
    async with Database("sqlite:///:memory:") as database:
        store = SubscriberStore(database)
        await subscribe(store)
        assert await store.count_subscribed() == 1


def test_unopened_database_says_so() -> None:
    with pytest.raises(RuntimeError, match="not open"):
        _ = Database("sqlite:///:memory:").engine


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, "sqlite+aiosqlite:///data/briefbot.db"),
        ("", "sqlite+aiosqlite:///data/briefbot.db"),
        ("  ", "sqlite+aiosqlite:///data/briefbot.db"),
        ("sqlite:///var/bot.db", "sqlite+aiosqlite:///var/bot.db"),
        ("sqlite:////abs/bot.db", "sqlite+aiosqlite:////abs/bot.db"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@db:5432/brief", "postgresql+asyncpg://u:p@db:5432/brief"),
        ("postgres://u:p@db/brief", "postgresql+asyncpg://u:p@db/brief"),
        ("postgresql+asyncpg://u@db/brief", "postgresql+asyncpg://u@db/brief"),
        ("postgresql://u@db/brief?sslmode=require", "postgresql+asyncpg://u@db/brief?ssl=require"),
        ("postgresql://u:p%40ss@db/brief", "postgresql+asyncpg://u:p%40ss@db/brief"),
    ],
)
def test_normalize_database_url(url: str | None, expected: str) -> None:
    assert normalize_database_url(url) == expected


def test_default_sqlite_file_lives_in_the_data_dir() -> None:
    assert (
        normalize_database_url(None, Path("/srv/brief"))
        == "sqlite+aiosqlite:////srv/brief/briefbot.db"
    )


@pytest.mark.parametrize(
    "url", ["mysql://u@db/brief", "postgresql+psycopg2://u@db/x", "sqlite+pysqlite:///x.db", "nope"]
)
def test_unsupported_database_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        normalize_database_url(url)


def test_config_error_does_not_leak_the_password() -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_database_url("mysql://user:hunter2@db/brief")
    assert "hunter2" not in str(caught.value)


def test_libpq_options_become_asyncpg_server_settings() -> None:
    url = make_url(
        "postgresql+asyncpg://u@db/brief?options=-csearch_path%3Dbrief%20-c%20"
        "statement_timeout%3D5000&application_name=briefbot&connect_timeout=7"
    )
    stripped, connect_args = _asyncpg_arguments(url)
    assert dict(stripped.query) == {}
    assert connect_args == {
        "timeout": 7.0,
        "server_settings": {
            "search_path": "brief",
            "statement_timeout": "5000",
            "application_name": "briefbot",
        },
    }


async def test_chats_are_counted_by_state_for_the_operator(store: SubscriberStore) -> None:
    await subscribe(store)
    await subscribe(store, GROUP, chat_type="group")
    await store.deactivate(GROUP, DeactivationReason.KICKED, NOW)
    await subscribe(store, CHANNEL, chat_type="channel")
    await store.unsubscribe(CHANNEL, NOW)
    await store.ensure_chat(USER + 1, chat_type="private", title="Reader", language="en")

    assert await store.count_by_state() == {"subscribed": 1, "unsubscribed": 2, "inactive": 1}

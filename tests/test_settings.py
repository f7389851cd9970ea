from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklm"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_URL",
        "LOG_LEVEL",
        "FETCH_ALLOW_PRIVATE_NETWORKS",
        "ADMIN_CHAT_IDS",
        "DEFAULT_TIMEZONE",
        "DEFAULT_BRIEFING_TIME",
        "BRIEFBOT_FEEDS",
        "DATABASE_URL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "WEBHOOK_PORT",
        "TELEGRAM_MAX_MESSAGES_PER_SECOND",
        "TELEGRAM_PAID_BROADCAST",
        "LOG_FORMAT",
        "HEALTH_PORT",
        "HEALTH_LISTEN",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_without_any_configuration(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.env")
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.fetch_allow_private_networks is False


def test_env_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_URL=http://127.0.0.1:9/\n")
    settings = load_settings(env)
    assert settings.require_token() == TOKEN
    assert settings.telegram_api_url == "http://127.0.0.1:9"


def test_missing_token_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        load_settings(tmp_path / "missing.env").require_token()


def test_malformed_token_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    with pytest.raises(ConfigError, match="does not look like a bot token"):
        load_settings(tmp_path / "missing.env").require_token()


def test_invalid_value_names_the_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        load_settings(tmp_path / "missing.env")


def test_admin_chat_ids_are_comma_separated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ADMIN_CHAT_IDS", "123, -1001234567890")
    assert load_settings(tmp_path / "missing.env").admin_chat_ids == [123, -1001234567890]


def test_briefing_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.env")
    assert settings.briefbot_feeds is None
    assert settings.feed_poll_minutes == 15
    assert settings.admin_chat_ids == []
    assert settings.default_timezone == "Asia/Seoul"
    assert settings.default_briefing_time.hour == 7 and settings.default_briefing_time.minute == 30


def test_default_timezone_alias_is_resolved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "KST")
    monkeypatch.setenv("DEFAULT_BRIEFING_TIME", "7am")
    settings = load_settings(tmp_path / "missing.env")
    assert settings.default_timezone == "Asia/Seoul"
    assert settings.default_briefing_time.hour == 7


def test_unknown_default_timezone_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Base")
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        load_settings(tmp_path / "missing.env")


def test_polling_is_the_default(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.env").webhook() is None


def test_webhook_mode_reads_its_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/updates")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret_token-1")
    webhook = load_settings(tmp_path / "missing.env").webhook()
    assert webhook is not None
    assert (webhook.listen, webhook.port, webhook.secret) == ("0.0.0.0", 8443, "s3cret_token-1")
    assert webhook.path == "telegram/updates"


def test_webhook_mode_without_a_secret_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET is not set"):
        load_settings(tmp_path / "missing.env").webhook()


def test_webhook_secret_follows_telegrams_rule(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "not allowed!")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET may hold only"):
        load_settings(tmp_path / "missing.env").webhook()


def test_webhook_url_must_be_https(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "http://bot.example.org/telegram")
    with pytest.raises(ConfigError, match="WEBHOOK_URL"):
        load_settings(tmp_path / "missing.env")


def test_more_than_the_free_rate_needs_paid_broadcast(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TELEGRAM_MAX_MESSAGES_PER_SECOND", "500")
    with pytest.raises(ConfigError, match="needs TELEGRAM_PAID_BROADCAST=true"):
        load_settings(tmp_path / "missing.env")
    monkeypatch.setenv("TELEGRAM_PAID_BROADCAST", "true")
    assert load_settings(tmp_path / "missing.env").telegram_max_messages_per_second == 500


def test_paid_broadcast_stops_at_a_thousand_a_second(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TELEGRAM_PAID_BROADCAST", "true")
    monkeypatch.setenv("TELEGRAM_MAX_MESSAGES_PER_SECOND", "1001")
    with pytest.raises(ConfigError, match="TELEGRAM_MAX_MESSAGES_PER_SECOND"):
        load_settings(tmp_path / "missing.env")


def test_health_server_and_log_format_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.env")
    assert (settings.health_port, settings.health_listen) == (8080, "0.0.0.0")
    assert settings.log_format == "text"


def test_log_format_json_in_any_case_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert load_settings(tmp_path / "missing.env").log_format == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        load_settings(tmp_path / "missing.env")
    monkeypatch.setenv("LOG_FORMAT", "text")
    monkeypatch.setenv("HEALTH_PORT", "70000")
    with pytest.raises(ConfigError, match="HEALTH_PORT"):
        load_settings(tmp_path / "missing.env")

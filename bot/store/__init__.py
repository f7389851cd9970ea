"""Subscriber storage: the database, its schema and migrations, and the repository."""

from bot.store.database import Database, normalize_database_url, upgrade
from bot.store.subscribers import ChatSettings, DeactivationReason, SubscriberStore

__all__ = [
    "ChatSettings",
    "Database",
    "DeactivationReason",
    "SubscriberStore",
    "normalize_database_url",
    "upgrade",
]

"""Storage: the database, its schema and migrations, and one repository per table group."""

from bot.store.database import Database, normalize_database_url, upgrade
from bot.store.subscribers import SubscriberStore

__all__ = [
    "Database",
    "SubscriberStore",
    "normalize_database_url",
    "upgrade",
]

"""Test helpers: the fake Bot API, the local page server, database fixtures and settings."""

"""Revisions, written by hand and checked against ``bot.store.schema`` by the tests."""

"""Readers' subscriptions and settings: the operations a chat can perform (``operations``)
and how its settings read back as text (``view``).
"""

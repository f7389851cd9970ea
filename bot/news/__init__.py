"""Gathering the news: the feed list, polling and parsing feeds, relevance and topics, and
grouping items about the same event into stories.
"""

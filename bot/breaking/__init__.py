"""Confirmed breaking alerts: a Security or Inter-Korean story three independent outlets
report within an hour goes at once to the chats that opted in (``/alerts on``).

Not :mod:`bot.alerts`, which tells the operators about the bot's own errors.
"""

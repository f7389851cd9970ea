"""The daily briefing: stories ranked and picked for one reader (``compose``), built once
per minute for everyone (``editions``) and written as Telegram HTML (``render``).
"""

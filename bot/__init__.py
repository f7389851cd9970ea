"""Peninsula Brief: the core of the bot, independent of Telegram updates."""

__version__ = "0.1.0"

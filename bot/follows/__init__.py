"""Follows: a chat follows people and issues (``/follow 김여정``) and gets each new story
that mentions them once, in either language."""

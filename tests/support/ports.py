"""Loopback ports for servers the tests start but cannot ask for the port they bound."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nobody listens on right now (PTB's webhook server cannot report a
    port it chose itself, so the test chooses)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

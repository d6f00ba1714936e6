"""Loopback ports for servers started on this machine."""

import socket


def free_port() -> int:
    """A loopback port that was free a moment ago (bound, then released: another process may take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

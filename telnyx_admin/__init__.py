"""Telnyx Admin: a Django dashboard over the Telnyx Messaging API v2."""

__version__ = "0.1.0"

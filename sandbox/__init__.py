"""The embedded Telnyx API sandbox: a stateful emulator of the messaging-profile and short-code API.

A separate service that only shares the codebase: its own settings (`sandbox.settings`), URLconf,
SQLite database and process (`manage.py runsandbox --port N`). Nothing outside `sandbox/` and its
tests imports from here; the dashboard reaches it over HTTP, exactly as it reaches api.telnyx.com.
"""

"""What other apps do once a write is known to have been applied (e.g. the number index dropping a
deleted profile's numbers).

Called by the write path whenever an audit entry becomes `success`, however that was learnt: Telnyx
answered, the object was read back at once, or `reconcile_writes` settled it later. A hook runs
after the write and must never undo or fail it: its errors are logged, not raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from audit.models import AuditEntry

logger = logging.getLogger(__name__)

Hook = Callable[[AuditEntry], None]

_HOOKS: dict[str, list[Hook]] = {}


def on_success(action: str, hook: Hook) -> None:
    """Call `hook(entry)` when a write of `action` (e.g. "profile.delete") has succeeded."""
    hooks = _HOOKS.setdefault(action, [])
    if hook not in hooks:
        hooks.append(hook)


def notify(entry: AuditEntry) -> None:
    for hook in _HOOKS.get(entry.action, ()):
        try:
            hook(entry)
        except Exception:
            logger.exception("after %s of %s: a success hook failed", entry.action, entry.object_id)

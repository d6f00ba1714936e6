"""Who is acting and from where, as the audit log records it, built once in the view.

Use cases take the actor and this small record instead of the `HttpRequest`, so a background job or a
management command can make the same audited writes as a page does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from telnyx_admin.client_ip import client_ip


@dataclass(frozen=True)
class AuditContext:
    request_id: str = ""
    client_ip: str | None = None
    # The Telnyx account the write goes to; one is configured today, kept explicit for more.
    account: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> AuditContext:
        return cls(
            request_id=str(getattr(request, "id", "") or ""),
            client_ip=client_ip(request),
            account=settings.TELNYX_ACCOUNT,
        )

    @classmethod
    def background(cls, label: str) -> AuditContext:
        """For work no request started (jobs, reconcile_writes): the label stands in for a request id."""
        return cls(request_id=label, client_ip=None, account=settings.TELNYX_ACCOUNT)

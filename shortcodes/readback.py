"""Short codes as the write path reads them back (see writes.kinds and writes.judge)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from audit.services import OBJECT_TYPE_SHORT_CODE
from telnyx_admin.telnyx import short_codes as api
from telnyx_admin.telnyx.short_codes import ShortCode
from writes.kinds import ObjectKind


def _fetch(short_code_id: str) -> ShortCode:
    return api.retrieve_short_code(short_code_id=short_code_id)


def label(code: Any) -> str:
    number = getattr(code, "short_code", "") or ""
    country = getattr(code, "country_code", "") or ""
    return f"{number} ({country})" if number and country else number


SHORT_CODE = ObjectKind(
    object_type=OBJECT_TYPE_SHORT_CODE, noun=gettext_noop("short code"), fetch=_fetch, label=label
)

"""Values written for people, the same on every page (telnyx_admin.formatting does the work).

Counts use django.contrib.humanize: {% load humanize %}{{ total|intcomma }}.

{% load formatting %}
{{ profile.daily_spend_limit|money }}       USD 1,000.00 (empty stays empty)
{% timestamp profile.updated_at %}          <time datetime="…">2024-08-26 04:50 UTC</time>, or —
{{ value|when }}                            the same text without the element
{{ flag|yes_no }}                           Yes / No
{{ profile.webhook_url|url_breaks }}        the URL, free to wrap after / . - ? & = only (<wbr>)
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from telnyx_admin import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("when", formatting.when)
register.filter("yes_no", formatting.yes_no)
register.filter("code_list", formatting.code_list)
register.filter("url_breaks", formatting.url_breaks, is_safe=True)


@register.simple_tag
def timestamp(value: Any, empty: str = formatting.EMPTY) -> str:
    """A `<time>` element: the site's format for people, the exact moment (ISO 8601) for machines."""
    moment = formatting.as_datetime(value)
    if moment is None:
        return empty if value in (None, "") else str(value)
    # The API's own text when given one (already ISO 8601), so the element names the very moment stored.
    exact = value.strip() if isinstance(value, str) else moment.isoformat()
    return format_html('<time datetime="{}" title="{}">{}</time>', exact, exact, formatting.when(moment))

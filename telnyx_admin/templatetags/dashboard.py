"""Template tags shared by every page: query strings that keep other parameters, pager ranges, roles.

{% load dashboard %}
<a href="{{ request.path }}{% query_string page=3 %}">        keeps q, page_size, ...; sets page
{% query_string params page=None %}                            from an explicit QueryDict/dict; drops page
{% params_except params "page" "page_size" as kept %}         [(name, value), ...] for hidden inputs
{% page_range page as numbers %}                               elided page numbers (Paginator.ELLIPSIS gaps)
{% user_roles user as roles %}                                 group names, or ["Administrator"]
{% site_nav %}                                                 the main navigation (navigation.py)
{% breadcrumbs "Profiles" list_url profile.name detail_url "Edit" %}  the one breadcrumb trail of every page
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from telnyx_admin import navigation
from telnyx_admin.roles import group_names

register = template.Library()


def _pairs(params: Mapping[str, Any] | QueryDict | None) -> list[tuple[str, str]]:
    if params is None:
        return []
    if isinstance(params, QueryDict):
        return [(key, value) for key, values in params.lists() for value in values]
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(item)) for item in values if item is not None)
    return pairs


def _default_params(context: Context, params: Any) -> Any:
    # A variable missing from the template context arrives as "" rather than None.
    if params is None or params == "":
        request = context.get("request")
        return request.GET if request is not None else None
    return params


@register.simple_tag(takes_context=True)
def query_string(
    context: Context, params: Mapping[str, Any] | QueryDict | None = None, **changes: Any
) -> str:
    """`?a=1&b=2` built from `params` (default: the request's GET) with `changes` applied.

    A change to None or "" removes the parameter; empty parameters are dropped so URLs stay tidy.
    Changing `page_size` restarts at page 1, since the old page number means something else now.
    Returns "?" when nothing is left, which still points at the current path.
    """
    params = _default_params(context, params)
    if "page_size" in changes and "page" not in changes:
        changes["page"] = None
    kept = [(key, value) for key, value in _pairs(params) if key not in changes and value != ""]
    for key, value in changes.items():
        if value is None or value == "":
            continue
        values = value if isinstance(value, list | tuple) else [value]
        kept.extend((key, str(item)) for item in values)
    return "?" + urlencode(kept)


@register.simple_tag(takes_context=True)
def params_except(
    context: Context, params: Mapping[str, Any] | QueryDict | None = None, *names: str
) -> list[tuple[str, str]]:
    """The non-empty parameters except `names`, as pairs for hidden inputs of a GET form."""
    params = _default_params(context, params)
    return [(key, value) for key, value in _pairs(params) if key not in names and value != ""]


@register.simple_tag
def page_range(page: Any, on_each_side: int = 2, on_ends: int = 1) -> list[Any]:
    """Page numbers around the current one with `Paginator.ELLIPSIS` in the gaps.

    A page past the end (a stale link) is shown around the last page, which Django's paginator
    would refuse.
    """
    paginator = page.paginator
    number = min(max(int(page.number), 1), max(paginator.num_pages, 1))
    return list(paginator.get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends))


@register.filter
def is_ellipsis(value: Any) -> bool:
    return value == Paginator.ELLIPSIS


@register.simple_tag
def user_roles(user: Any) -> list[str]:
    """The roles to show next to the signed-in user's name."""
    if not getattr(user, "is_authenticated", False):
        return []
    names = list(group_names(user))
    if user.is_superuser:
        names.insert(0, "Administrator")
    return names


@register.simple_tag(takes_context=True)
def site_nav(context: Context) -> SafeString:
    return navigation.site_nav(context["request"])


@register.filter
def duration_minutes(value: Any) -> int:
    """A timedelta as whole minutes, rounded up (a lockout of 90 s reads "2 minutes")."""
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value or 0)
    return max(1, -(-int(seconds) // 60))


@register.filter
def visible_nul(value: Any) -> str:
    """Text with each NUL character shown as ␀ (browsers would show it as an unreadable box)."""
    return str(value or "").replace("\x00", "\u2400")


@register.simple_tag
def breadcrumbs(*parts: Any) -> SafeString:
    """The trail above a page's heading: (label, url) pairs of the pages above, then the page's own
    label (not a link, aria-current). Every page below the main navigation uses this one pattern."""
    *pairs, current = parts
    links = format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((url, label) for label, url in zip(pairs[::2], pairs[1::2], strict=True)),
    )
    return format_html(
        '<nav class="breadcrumbs" aria-label="{}"><ol>{}<li aria-current="page">{}</li></ol></nav>',
        _("Breadcrumb"),
        links,
        current,
    )

"""The site's main navigation: which sections a user sees, and the HTML of the bar, kept per variant.

Every page draws the bar, and in a template it cost seven URL reversals, seven translations and seven
permission lookups per request. The HTML depends only on the language, the script prefix, the section
open and which links the user may see, so it is built once per such variant. (In-process, leaving out
the whole header saved about 0.5 ms of the profile list's 6-7 ms; `make bench`'s
profile_list_app_vs_admin measures that page.)
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any, NamedTuple

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop


class Section(NamedTuple):
    url_name: str
    app_name: str  # the URL namespace that marks the link as the page's own (aria-current)
    permission: str
    label: str  # source text, translated when the bar is built


SECTIONS = (
    Section("profiles:list", "profiles", "profiles.view_messagingprofile", gettext_noop("Profiles")),
    Section(
        "spend_limits:overview",
        "spend_limits",
        "profiles.view_messagingprofile",
        gettext_noop("Spend limits"),
    ),
    Section("numbers:list", "numbers", "profiles.view_messagingprofile", gettext_noop("Numbers")),
    Section("shortcodes:list", "shortcodes", "shortcodes.view_shortcode", gettext_noop("Short codes")),
    Section("jobs:list", "jobs", "profiles.view_messagingprofile", gettext_noop("Jobs")),
    Section("audit:log", "audit", "audit.view_auditentry", gettext_noop("Audit log")),
)


def site_nav(request: Any) -> SafeString:
    """The navigation bar for the user of `request`, with the open section marked."""
    user = request.user
    match = request.resolver_match
    visible = tuple(user.has_perm(section.permission) for section in SECTIONS)
    return _bar(
        get_language(), get_script_prefix(), match.app_name if match else "", visible, user.is_superuser
    )


@lru_cache(maxsize=256)
def _bar(
    language: str | None, prefix: str, open_section: str, visible: tuple[bool, ...], admin: bool
) -> SafeString:
    # language and prefix are part of the key only: gettext and reverse read them from this thread.
    items = [
        '<li><a href="{}"{}>{}</a></li>'.format(
            escape(reverse(section.url_name)),
            ' aria-current="page"' if section.app_name == open_section else "",
            escape(gettext(section.label)),
        )
        for section, shown in zip(SECTIONS, visible, strict=True)
        if shown
    ]
    if admin:
        # The message is HTML already (its ampersand is written &amp;), as it was in the template.
        label = gettext("Users &amp; groups")
        items.append(f'<li><a href="{escape(reverse("admin:index"))}">{label}</a></li>')
    main = escape(gettext("Main"))
    bar = (
        f'<nav class="site-nav" aria-label="{main}">\n  <ul>\n    '
        + "\n    ".join(items)
        + "\n  </ul>\n</nav>"
    )
    return mark_safe(bar)  # noqa: S308 - every value above escaped

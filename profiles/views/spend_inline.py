"""Inline edit of one row of the spend-limit overview: htmx swaps the row for a small form and back.

The save is the spend-limit page's own: SpendLimitForm over the profile as Telnyx holds it now, the
`profile_spend_limit_update` use case (write path: lock, `updated_at` check, audit), the same
conflict panel ("Save my values anyway" is the only way the stamp moves) and the same banners, the
input kept in every failure. Escape or Cancel puts the row back as it was.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.context import AuditContext
from profiles import services
from profiles.catalog import ProfileSummary
from profiles.forms import SpendLimitForm
from profiles.selectors import profile_or_404
from profiles.views.edit import conflict_panel, with_confirmed_stamp
from profiles.views.spend_limits import TEMPLATE, overview_row, row_labels
from telnyx_admin.forms import add_api_errors
from telnyx_admin.middleware import banner_for
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx.profile_listing import ProfileListing
from telnyx_admin.telnyx.profiles import MessagingProfile, retrieve_profile
from writes.errors import WriteError


def _summary(profile: MessagingProfile) -> ProfileSummary:
    return ProfileSummary.of(ProfileListing.lenient(profile.to_dict()))


def _row(request: HttpRequest, profile: MessagingProfile, *, status: str = "") -> HttpResponse:
    context = {
        "row": overview_row(_summary(profile)),
        "can_edit": request.user.has_perm(services.PERMISSION_SPEND_LIMIT),
        "labels": row_labels(),
        "row_status": status,
    }
    return render(request, TEMPLATE + "#row", context)


def _edit_row(
    request: HttpRequest,
    profile_id: str,
    profile: MessagingProfile | None,
    form: SpendLimitForm,
    **extra: Any,
) -> HttpResponse:
    """The row as a form. Its Telnyx banner, conflict panel and errors sit in the row itself, and the
    answer is always 200 so htmx swaps it (htmx 2 does not swap 4xx/5xx bodies)."""
    row = overview_row(_summary(profile)) if profile is not None else None
    context = {"row": row, "profile_id": profile_id, "form": form, **extra}
    return render(request, TEMPLATE + "#edit_row", context)


@require_GET
@permission_required("profiles.view_messagingprofile", raise_exception=True)
def spend_limit_row(request: HttpRequest, profile_id: str) -> HttpResponse:
    """One row of the overview as Telnyx holds it now (Cancel on an inline edit swaps it back)."""
    return _row(request, profile_or_404(profile_id=profile_id))


@require_http_methods(["GET", "POST"])
@permission_required(services.PERMISSION_SPEND_LIMIT, raise_exception=True)
def spend_limit_row_edit(request: HttpRequest, profile_id: str) -> HttpResponse:
    if request.method == "GET":
        profile = profile_or_404(profile_id=profile_id)
        return _edit_row(request, profile.id, profile, SpendLimitForm(profile=profile))

    data = with_confirmed_stamp(request)
    try:
        profile = retrieve_profile(profile_id=profile_id)
    except errors.NotFound:
        raise Http404(_("No messaging profile has this id.")) from None
    except errors.TelnyxError as exc:
        form = SpendLimitForm(data, profile={"updated_at": data.get("updated_at", "")})
        form.is_valid()
        return _edit_row(request, profile_id, None, form, banner=banner_for(exc, write=True))
    form = SpendLimitForm(data, profile=profile)
    if not form.is_valid():
        return _edit_row(request, profile.id, profile, form)
    try:
        # The write path sends only what Telnyx does not hold already, and says whether anything was.
        result = services.profile_spend_limit_update(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=profile.id,
            changes=form.api_values(),
            expected_updated_at=form.expected_updated_at,
        )
    except errors.StaleObject as exc:
        current = exc.current if isinstance(exc.current, MessagingProfile) else profile
        return _edit_row(request, profile.id, current, form, conflict=conflict_panel(form, exc))
    except errors.ValidationFailed as exc:
        add_api_errors(form, exc)
        return _edit_row(request, profile.id, profile, form)
    except errors.NotFound:
        raise Http404(_("No messaging profile has this id.")) from None
    except (errors.TelnyxError, WriteError) as exc:
        return _edit_row(request, profile.id, profile, form, banner=banner_for(exc, write=True))
    saved = _("Saved.") if not result.read_back else _("Saved (read back after Telnyx's answer was lost).")
    unchanged = _("No changes: the profile already has these values.")
    return _row(request, result.profile, status=saved if result.sent else unchanged)

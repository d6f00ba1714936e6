"""The bulk bind/unbind page: preview the change the list's selection asks for, then confirm it.

The selection is made on the short-code list (ticked rows, or all matching its filter) and posted
here: POST `step=preview` shows every short code with its profile now and after (no-op rows marked),
POST `step=confirm` starts the job if the preview still holds, else shows the new preview. GET has
nothing to preview and goes back to the list. Only `shortcodes.change_shortcode` may use it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from audit.context import AuditContext
from shortcodes import bulk
from shortcodes.forms import UNASSIGNED, BulkForm
from shortcodes.services import PERMISSION_CHANGE
from telnyx_admin.middleware import banner_for, banner_status
from telnyx_admin.telnyx.errors import TelnyxError

TEMPLATE = "shortcodes/short_code_bulk.html"
STEP_PREVIEW, STEP_CONFIRM = "preview", "confirm"


def _list_url(form: BulkForm) -> str:
    """The list the selection came from, with its filter."""
    url = reverse("shortcodes:list")
    profile = getattr(form, "cleaned_data", {}).get("profile") or ""
    return f"{url}?{urlencode({'profile': profile})}" if profile else url


def _selection(form: BulkForm) -> bulk.Selection:
    data = form.cleaned_data
    profile = data.get("profile") or ""
    if form.matching:
        return bulk.Selection(
            matching=True,
            messaging_profile_id=profile if profile and profile != UNASSIGNED else None,
            unassigned=profile == UNASSIGNED,
        )
    return bulk.Selection(short_code_ids=tuple(data.get("short_code_id") or ()))


@permission_required(PERMISSION_CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def short_code_bulk(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        messages.info(
            request, _("Tick short codes on the list (or choose all matching), then press Preview.")
        )
        return redirect("shortcodes:list")
    form = BulkForm(request.POST)
    context: dict[str, Any] = {"form": form, "plan": None}
    if not form.is_valid():
        context["list_url"] = _list_url(form)
        return render(request, TEMPLATE, context)
    context["list_url"] = _list_url(form)
    data = form.cleaned_data
    try:
        plan = bulk.bulk_plan(
            operation=data["operation"],
            target_profile_id=data.get("messaging_profile_id") or None,
            selection=_selection(form),
        )
    except bulk.TargetProfileMissing:
        form.add_error("messaging_profile_id", _("No messaging profile has this id."))
        return render(request, TEMPLATE, context)
    except TelnyxError as exc:
        # The banner here rather than the middleware's page: the selection stays, to try again.
        banner = banner_for(exc)
        context["banner"] = banner
        return render(request, TEMPLATE, context, status=banner_status(banner))
    context["plan"] = plan
    if request.POST.get("step") != STEP_CONFIRM:
        return render(request, TEMPLATE, context)
    if data.get("fingerprint") != plan.fingerprint:
        context["moved"] = True
        return render(request, TEMPLATE, context)
    if not plan.changing:
        messages.info(request, bulk.no_change_text(plan))
        return render(request, TEMPLATE, context)
    job = bulk.bulk_start(actor=request.user, audit=AuditContext.of(request), plan=plan)
    messages.success(
        request,
        ngettext(
            "Started: %(count)d short code will be changed, each with its own audit entry.",
            "Started: %(count)d short codes will be changed, each with its own audit entry.",
            job.total,
        )
        % {"count": job.total},
    )
    return redirect("jobs:detail", job_id=job.pk)

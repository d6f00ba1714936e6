"""The write side of the profile pages: create, edit settings, spend limit, delete.

One function view per page; GET renders the form, POST validates, calls a use case in
`profiles.services` and either redirects (PRG; `HttpResponseClientRedirect` for htmx) or re-renders
the form with the user's input. Failures never lose input:

- 422: the API's errors go beside the fields their JSON pointers name (`add_api_errors`).
- 429 / unavailable / auth: caught here, not by `TelnyxErrorMiddleware`, because the middleware's
  banner page would throw away what the user typed. The form comes back with the banner on top,
  status 200 for htmx (htmx 2 does not swap 4xx/5xx bodies) and 429/503 for a plain POST.
- Conflict (`updated_at` moved): the form comes back with a panel naming the differing fields and
  their current values. The hidden stamp keeps the OLD value; only the panel's "Save my values
  anyway" button carries the new one, so the stamp advances only by the user's explicit choice.
- A profile that vanished meanwhile: a message and a redirect to the list.
- The write path's own outcomes (writes.errors): an undecided write (`OutcomeUnknown`), a change read
  back as not applied, a busy object, an audit log that could not record: the banner says which, and
  the form keeps the input. A create that the same user made moments ago is shown, not repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_stubs_ext import StrOrPromise

from audit import readable
from audit.context import AuditContext
from audit.services import OBJECT_TYPE_PROFILE
from profiles import services
from profiles.forms import ProfileCreateForm, ProfileDeleteForm, ProfileEditForm, SpendLimitForm
from profiles.selectors import profile_or_404
from telnyx_admin.forms import add_api_errors
from telnyx_admin.htmx import redirect_to, template_for, wants_fragment
from telnyx_admin.lookups import found_or_404, vanished
from telnyx_admin.middleware import Banner, banner_for, banner_status
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx.profiles import retrieve_profile
from writes.errors import DuplicateCreate, WriteError

FORM_TEMPLATE = "profiles/profile_form.html"
SPEND_LIMIT_TEMPLATE = "profiles/profile_spend_limit.html"
DELETE_TEMPLATE = "profiles/profile_delete.html"

# The conflict panel's button: its value is the `updated_at` the user agreed to save over.
OVERWRITE_FIELD = "confirm_overwrite"
# The duplicate panel's button: the user saw the profile created moments ago and wants another.
DUPLICATE_FIELD = "confirm_duplicate"
# The list's query string, carried through the delete page so the user lands back on their page.
LIST_QUERY_FIELD = "list_query"
_LIST_PARAMS = ("q", "page", "page_size")

# --- helpers ---------------------------------------------------------------------------------------


def _render_form(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    banner: Banner | None = None,
) -> HttpResponse:
    """The page, or only its `form` partial for htmx. A banner makes a plain POST a 429/503."""
    fragment = wants_fragment(request)
    status = banner_status(banner) if banner is not None and not fragment else 200
    response = render(
        request, template_for(request, template, "form"), {**context, "banner": banner}, status=status
    )
    if banner is not None and banner.retry_after and status == 429:
        response["Retry-After"] = str(banner.retry_after)
    return response


def _banner(exc: errors.TelnyxError | WriteError) -> Banner:
    # No retry link: the form itself is the retry, with the input still in it.
    return banner_for(exc, write=True)


def _saved(request: HttpRequest, result: services.ProfileWrite, text: str) -> None:
    """The success message, saying so when the answer was lost and the change was read back, and
    warning when the second half of a save (its spend limit) did not go through."""
    if result.read_back:
        text += " " + gettext(
            "(Telnyx's answer was lost on the way back; reading the profile back shows the change.)"
        )
    messages.success(request, text)
    if result.problem:
        messages.warning(
            request,
            gettext("The daily spend limit was not changed: %(problem)s Set it on the Spend limit page.")
            % {"problem": result.problem},
        )


def _can_set_spend_limit(request: HttpRequest) -> bool:
    return request.user.has_perm(services.PERMISSION_SPEND_LIMIT)


def _field_label(name: str) -> str:
    # The audit log's label: the panel and the profile's History tab name a field alike.
    return readable.field_label(OBJECT_TYPE_PROFILE, name)


def _display(name: str, value: Any) -> str:
    """A profile value as the conflict panel shows it: formatted as its history shows it."""
    return readable.field_text(OBJECT_TYPE_PROFILE, name, value)


def _submitted(form: forms.BaseForm) -> dict[str, Any]:
    """The user's values in API shape (the form is valid when a conflict is found)."""
    api_values = getattr(form, "api_values", None)
    try:
        return api_values() if api_values is not None else dict(form.cleaned_data)
    except (ValueError, NotImplementedError):
        return {}


def conflict_panel(form: forms.BaseForm, exc: errors.StaleObject) -> dict[str, Any]:
    """What the conflict panel shows: each differing field with the value Telnyx holds now and the
    value the user submitted (kept in the form below)."""
    current = exc.current
    yours = _submitted(form)
    fields = [
        {
            "name": name,
            "label": _field_label(name),
            "current": _display(name, getattr(current, name, None)),
            "yours": _display(name, yours[name]) if name in yours else "",
        }
        for name in exc.changed_fields
    ]
    conflict = {
        "fields": fields,
        "updated_at": getattr(current, "updated_at", ""),
        "overwrite_field": OVERWRITE_FIELD,
    }
    conflict["message"] = _conflict_message(conflict)
    return conflict


def _conflict_message(conflict: dict[str, Any]) -> str:
    names = ", ".join(field["label"] for field in conflict["fields"])
    if names:
        return gettext(
            "Someone changed this profile at Telnyx after you opened this form. "
            "Your values differ from the current ones in: %(names)s. Nothing was saved; your input is kept."
        ) % {"names": names}
    return gettext("Someone changed this profile at Telnyx after you opened this form. Nothing was saved.")


def with_confirmed_stamp(request: HttpRequest) -> QueryDict:
    """The POST data, with the hidden `updated_at` replaced by the stamp the user confirmed in the
    conflict panel (if they pressed "Save my values anyway"). This is the only way the stamp moves."""
    data = request.POST.copy()
    confirmed = data.get(OVERWRITE_FIELD, "")
    if confirmed:
        data["updated_at"] = confirmed
    return data


def _list_url(query: str) -> str:
    """The profile list, with only the list's own parameters kept from `query`."""
    given = QueryDict(query)
    kept = QueryDict(mutable=True)
    for name in _LIST_PARAMS:
        if given.get(name):
            kept[name] = given[name]
    url = reverse("profiles:list")
    return f"{url}?{kept.urlencode()}" if kept else url


def _list_query(request: HttpRequest) -> str:
    """The list's query string: passed explicitly, else taken from a Referer that is the list page."""
    explicit = request.POST.get(LIST_QUERY_FIELD) or request.GET.get(LIST_QUERY_FIELD)
    if explicit:
        return explicit
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.path == reverse("profiles:list") and referer.netloc in ("", request.get_host()):
        return referer.query
    return ""


def _vanished(request: HttpRequest, label: str = "") -> HttpResponse:
    return vanished(
        request, what=gettext("messaging profile"), label=label, list_url=reverse("profiles:list")
    )


# --- create -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("profiles.add_messagingprofile", raise_exception=True)
@vary_on_headers("HX-Request")
def profile_create(request: HttpRequest) -> HttpResponse:
    spend = _can_set_spend_limit(request)
    if request.method == "GET":
        form = ProfileCreateForm(with_spend_limit=spend)
        return render(request, FORM_TEMPLATE, {"mode": "create", "profile": None, "form": form})
    return _post_create(request, source=None)


@require_http_methods(["GET", "POST"])
@permission_required("profiles.add_messagingprofile", raise_exception=True)
@vary_on_headers("HX-Request")
def profile_duplicate(request: HttpRequest, profile_id: str) -> HttpResponse:
    """The create form filled in from another profile; what it creates records that profile as its source."""
    if request.method == "GET":
        source = profile_or_404(profile_id=profile_id)
        form = ProfileCreateForm.copying(source, with_spend_limit=_can_set_spend_limit(request))
        context = {"mode": "create", "profile": None, "form": form, "source": source}
        return render(request, FORM_TEMPLATE, context)
    # The source is not read again: its id (from the URL) is what the audit entry records.
    return _post_create(request, source={"id": profile_id, "name": ""})


def _post_create(request: HttpRequest, *, source: dict[str, str] | None) -> HttpResponse:
    form = ProfileCreateForm(request.POST, with_spend_limit=_can_set_spend_limit(request))
    context: dict[str, Any] = {"mode": "create", "profile": None, "form": form, "source": source}
    if not form.is_valid():
        return _render_form(request, FORM_TEMPLATE, context)
    try:
        result = services.profile_create(
            actor=request.user,
            audit=AuditContext.of(request),
            fields=form.to_payload(),
            allow_duplicate=bool(request.POST.get(DUPLICATE_FIELD)),
            source_profile_id=source["id"] if source else None,
        )
    except errors.ValidationFailed as exc:
        add_api_errors(form, exc)
        return _render_form(request, FORM_TEMPLATE, context)
    except DuplicateCreate as exc:
        context["duplicate"] = {
            "pending": exc.pending,
            "profile_id": exc.existing,
            "message": exc.message,
            "field": DUPLICATE_FIELD,
        }
        return _render_form(request, FORM_TEMPLATE, context)
    except (errors.TelnyxError, WriteError) as exc:
        return _render_form(request, FORM_TEMPLATE, context, banner=_banner(exc))
    profile = result.profile
    _saved(
        request,
        result,
        gettext('The messaging profile "%(name)s" was created successfully.') % {"name": profile.name},
    )
    return redirect_to(request, reverse("profiles:detail", args=[profile.id]))


# --- edit settings ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("profiles.change_messagingprofile", raise_exception=True)
@vary_on_headers("HX-Request")
def profile_edit(request: HttpRequest, profile_id: str) -> HttpResponse:
    if request.method == "GET":
        profile = profile_or_404(profile_id=profile_id)
        form = ProfileEditForm(profile=profile, with_spend_limit=_can_set_spend_limit(request))
        return render(request, FORM_TEMPLATE, {"mode": "edit", "profile": profile, "form": form})
    return _post_update(
        request,
        profile_id=profile_id,
        form_class=ProfileEditForm,
        use_case=services.profile_update,
        template=FORM_TEMPLATE,
        context={"mode": "edit"},
        success=gettext_lazy('The messaging profile "%(name)s" was changed successfully.'),
    )


# --- spend limit --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("profiles.change_spend_limit", raise_exception=True)
@vary_on_headers("HX-Request")
def profile_spend_limit(request: HttpRequest, profile_id: str) -> HttpResponse:
    if request.method == "GET":
        profile = profile_or_404(profile_id=profile_id)
        form = SpendLimitForm(profile=profile)
        return render(request, SPEND_LIMIT_TEMPLATE, {"profile": profile, "form": form})
    return _post_update(
        request,
        profile_id=profile_id,
        form_class=SpendLimitForm,
        use_case=services.profile_spend_limit_update,
        template=SPEND_LIMIT_TEMPLATE,
        context={},
        success=gettext_lazy('The daily spend limit of "%(name)s" was changed successfully.'),
    )


def _post_update(
    request: HttpRequest,
    *,
    profile_id: str,
    form_class: type[ProfileEditForm] | type[SpendLimitForm],
    use_case: Callable[..., services.ProfileWrite],
    template: str,
    context: dict[str, Any],
    success: StrOrPromise,
) -> HttpResponse:
    """The POST half shared by edit and spend limit: the same checks and failure paths, only the form,
    the use case and the words differ."""
    data = with_confirmed_stamp(request)
    options = {"with_spend_limit": _can_set_spend_limit(request)} if form_class is ProfileEditForm else {}
    try:
        profile = retrieve_profile(profile_id=profile_id)
    except errors.NotFound:
        return _vanished(request)
    except errors.TelnyxError as exc:
        # Without the current profile nothing can be compared; show the input back as typed.
        form = form_class(data, profile={"updated_at": data.get("updated_at", "")}, **options)
        context = {**context, "form": form, "profile": None}
        return _render_form(request, template, context, banner=_banner(exc))

    form = form_class(data, profile=profile, **options)
    context = {**context, "form": form, "profile": profile}
    if not form.is_valid():
        return _render_form(request, template, context)
    try:
        # The whole form: the write path sends only what Telnyx does not hold already.
        result = use_case(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=profile.id,
            changes=form.api_values(),
            expected_updated_at=form.expected_updated_at,
        )
    except errors.StaleObject as exc:
        conflict = conflict_panel(form, exc)
        return _render_form(request, template, {**context, "conflict": conflict, "profile": exc.current})
    except errors.ValidationFailed as exc:
        if isinstance(form, SpendLimitForm):
            form.add_api_errors(exc)
        else:
            add_api_errors(form, exc)
        return _render_form(request, template, context)
    except errors.NotFound:
        return _vanished(request, profile.name)
    except (errors.TelnyxError, WriteError) as exc:
        return _render_form(request, template, context, banner=_banner(exc))
    if not result.sent:
        # Nothing differed from what Telnyx holds: no call was made and no entry written.
        messages.info(request, gettext("No changes: the profile already has these values."))
    else:
        _saved(request, result, str(success) % {"name": result.profile.name})
    return redirect_to(request, reverse("profiles:detail", args=[profile.id]))


# --- delete -------------------------------------------------------------------------------------------


def _delete_impact(profile_id: str) -> dict[str, Any]:
    """Counts for the confirmation page; unknown (None) if Telnyx cannot say right now, which must
    not stop someone from deleting."""
    try:
        numbers, short_codes = services.profile_delete_impact(profile_id=profile_id)
    except errors.NotFound:
        raise
    except errors.TelnyxError:
        return {"phone_numbers": None, "short_codes": None}
    return {"phone_numbers": numbers, "short_codes": short_codes}


@require_http_methods(["GET", "POST"])
@permission_required("profiles.delete_messagingprofile", raise_exception=True)
@vary_on_headers("HX-Request")
def profile_delete(request: HttpRequest, profile_id: str) -> HttpResponse:
    list_query = _list_query(request)
    if request.method == "GET":
        profile = profile_or_404(profile_id=profile_id)
        impact = found_or_404(lambda: _delete_impact(profile.id), what=gettext("messaging profile"))
        form = ProfileDeleteForm(profile_name=profile.name)
        context = {"profile": profile, "form": form, "impact": impact, "list_query": list_query}
        return render(request, DELETE_TEMPLATE, context)

    typed = request.POST.get("confirm_name", "")
    try:
        profile = retrieve_profile(profile_id=profile_id)
    except errors.NotFound:
        return _vanished(request)
    except errors.TelnyxError as exc:
        # The name cannot be checked without the profile: keep what was typed and say why.
        form = ProfileDeleteForm(request.POST, profile_name=typed)
        context = {"profile": None, "form": form, "impact": None, "list_query": list_query}
        return _render_form(request, DELETE_TEMPLATE, context, banner=_banner(exc))

    form = ProfileDeleteForm(request.POST, profile_name=profile.name)
    context = {"profile": profile, "form": form, "list_query": list_query}
    if not form.is_valid():
        try:
            context["impact"] = _delete_impact(profile.id)
        except errors.NotFound:
            return _vanished(request, profile.name)
        return _render_form(request, DELETE_TEMPLATE, context)
    try:
        result = services.profile_delete(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=profile.id,
            expected_name=profile.name,
        )
    except errors.NotFound:
        return _vanished(request, profile.name)
    except (errors.TelnyxError, WriteError) as exc:
        context["impact"] = {"phone_numbers": None, "short_codes": None}
        return _render_form(request, DELETE_TEMPLATE, context, banner=_banner(exc))
    _saved(
        request,
        result,
        gettext('The messaging profile "%(name)s" was deleted successfully.') % {"name": profile.name},
    )
    return redirect_to(request, _list_url(list_query))

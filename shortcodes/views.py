"""Short-code pages: the list, the detail page with its writes (bind, unbind, tags), the profile
picker's options, and the short-codes tab of a profile's detail page.

Full pages and their htmx fragments come from one view each (Django template partials). Writes
check `shortcodes.change_shortcode` on the server before anything reaches Telnyx; Telnyx failures
other than 404/422/conflicts are left to TelnyxErrorMiddleware, which shows the banner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from audit.context import AuditContext
from audit.models import AuditEntry
from audit.services import OBJECT_TYPE_SHORT_CODE
from profiles import directory
from shortcodes import services
from shortcodes.forms import (
    PICKER_RESULTS,
    UNASSIGNED,
    BindForm,
    ProfileSearchForm,
    ShortCodeFilterForm,
    TabBindForm,
    TagsForm,
    UnbindForm,
)
from telnyx_admin.forms import add_api_errors
from telnyx_admin.htmx import redirect_to, template_for, wants_fragment
from telnyx_admin.ids import canonical_id, is_telnyx_id
from telnyx_admin.lookups import vanished
from telnyx_admin.middleware import banner_for
from telnyx_admin.paging import PagingForm
from telnyx_admin.telnyx import profiles as profiles_api
from telnyx_admin.telnyx.errors import NotFound, StaleObject, TelnyxError, ValidationFailed
from telnyx_admin.telnyx.short_codes import ShortCode
from writes.errors import OutcomeUnknown, WriteError
from writes.reconcile import reconcile_on_view

VIEW = "shortcodes.view_shortcode"
CHANGE = "shortcodes.change_shortcode"


def _bound_name(names: directory.ProfileDirectory | None, profile_id: str | None) -> str | None:
    return names.name_of(profile_id) if names is not None else None


# --- list ----------------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def short_code_list(request: HttpRequest) -> HttpResponse:
    form = ShortCodeFilterForm(request.GET)
    query = form.query()
    number = query.pop("number_contains")
    if number:
        page = services.short_code_number_search(number_contains=number, **query)
    else:
        page = services.short_code_search(**query)
    selected = form.selected_profile
    # Names come from the cached directory: one list call when cold, none when warm, whatever the
    # page size. An "unassigned" page has no names to show and skips it.
    needs_names = any(code.messaging_profile_id for code in page) or is_telnyx_id(selected)
    names = directory.profile_directory() if needs_names else None
    rows = [(code, _bound_name(names, code.messaging_profile_id)) for code in page]
    return render(
        request,
        template_for(request, "shortcodes/short_code_list.html", "table"),
        {
            "form": form,
            "page": page,
            "rows": rows,
            "selected": selected,
            "number": number,
            "selected_name": _bound_name(names, selected) if is_telnyx_id(selected) else None,
            "unassigned": UNASSIGNED,
            "can_change": request.user.has_perm(CHANGE),
        },
    )


# --- profile picker ------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_GET
def profile_options(request: HttpRequest) -> HttpResponse:
    """Radio options for profiles whose name contains the typed text (the API's name filter)."""
    form = ProfileSearchForm(request.GET)
    text, field, selected = form.search()
    results: list[Any] = []
    if text:
        page = profiles_api.list_profiles(name_contains=text, page_size=PICKER_RESULTS)
        results = [profile for profile in page if profile.id != selected]
        more = page.total_results - len(page.items)
    else:
        more = 0
    return render(
        request,
        "shortcodes/profile_picker.html#options",
        {"results": results, "field": field, "text": text, "more": max(0, more)},
    )


# --- detail and its writes -----------------------------------------------------------------------


def _detail_context(request: HttpRequest, code: ShortCode, **extra: Any) -> dict[str, Any]:
    names = directory.profile_directory() if code.messaging_profile_id else None
    context = {
        "open_writes": reconcile_on_view(object_type=OBJECT_TYPE_SHORT_CODE, object_id=code.id, current=code),
        "code": code,
        "bound_name": _bound_name(names, code.messaging_profile_id),
        "can_change": request.user.has_perm(CHANGE),
        "bind_form": BindForm(initial={"updated_at": code.updated_at}),
        "unbind_form": UnbindForm(initial={"updated_at": code.updated_at}),
        "tags_form": TagsForm(initial={"updated_at": code.updated_at, "tags": list(code.tags)}),
    }
    context.update(extra)
    return context


def _render_section(request: HttpRequest, section: str, context: dict[str, Any]) -> HttpResponse:
    """The detail page, or only one of its sections for htmx; 200 either way so htmx swaps it."""
    return render(request, template_for(request, "shortcodes/short_code_detail.html", section), context)


def _written(request: HttpRequest, code_id: str, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect_to(request, reverse("shortcodes:detail", args=[code_id]))


def _vanished(request: HttpRequest) -> HttpResponse:
    return vanished(request, what=gettext("short code"), list_url=reverse("shortcodes:list"))


def _conflict_text(exc: StaleObject) -> str:
    current = exc.current
    if isinstance(current, ShortCode):
        names = directory.cached_directory()
        owner = current.messaging_profile_id
        tags = ", ".join(current.tags) or gettext("none")
        if owner:
            text = gettext(
                "%(message)s It is now bound to %(owner)s, tags: %(tags)s. "
                "Submit again to apply your change anyway."
            )
        else:
            text = gettext(
                "%(message)s It is now not bound to any profile, tags: %(tags)s. "
                "Submit again to apply your change anyway."
            )
        return text % {"message": exc.message, "owner": _bound_name(names, owner) or owner, "tags": tags}
    return exc.message


@permission_required(VIEW, raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def short_code_detail(request: HttpRequest, short_code_id: str) -> HttpResponse:
    code = services.short_code_or_404(short_code_id=short_code_id)
    return render(request, "shortcodes/short_code_detail.html", _detail_context(request, code))


@dataclass
class _SectionWrite:
    """How a write from one section of the detail page went: saved, gone, or the form to show again."""

    form: Any
    saved: ShortCode | None = None
    failure: WriteError | None = None
    vanished: bool = False


def _section_write(request: HttpRequest, form: Any, write: Callable[[], ShortCode]) -> _SectionWrite:
    """Run a section's write; what went wrong is said where the person looks: a 422 beside its field,
    a conflict above the form (which now carries the current stamp, so a second submit is a deliberate
    one), a write-path outcome above the form."""
    try:
        return _SectionWrite(form, saved=write())
    except NotFound:
        return _SectionWrite(form, vanished=True)
    except ValidationFailed as exc:
        add_api_errors(form, exc)
    except StaleObject as exc:
        form = _with_updated_at(type(form), request.POST, exc)
        form.add_error(None, _conflict_text(exc))
    except WriteError as exc:
        form.add_error(None, exc.message)
        return _SectionWrite(form, failure=exc)
    return _SectionWrite(form)


@permission_required(CHANGE, raise_exception=True)
@require_POST
def short_code_bind(request: HttpRequest, short_code_id: str) -> HttpResponse:
    form = BindForm(request.POST)
    outcome = _SectionWrite(form)
    if form.is_valid():
        profile_id = form.cleaned_data["messaging_profile_id"]
        outcome = _section_write(
            request,
            form,
            lambda: (
                services.short_code_bind(
                    actor=request.user,
                    audit=AuditContext.of(request),
                    short_code_id=short_code_id,
                    profile_id=profile_id,
                    expected_updated_at=form.cleaned_data["updated_at"],
                ).object
            ),
        )
        if outcome.vanished:
            return _vanished(request)
        if outcome.saved is not None:
            # Saved at Telnyx: failing to look up the name for the message now must not turn the
            # success into an error page ("nothing was changed") and invite a second attempt.
            try:
                name = directory.profile_directory().name_of(profile_id) or profile_id
            except TelnyxError:
                name = profile_id
            text = gettext("Short code %(code)s is now bound to %(name)s.") % {
                "code": outcome.saved.short_code,
                "name": name,
            }
            return _written(request, short_code_id, text)
    form, failure = outcome.form, outcome.failure
    # A read failing from here on, after a write was sent, is said as that write's outcome
    # (telnyx_admin.middleware, writes.this_request), never as "nothing was changed".
    code = services.short_code_or_404(short_code_id=short_code_id)
    picked = form.data.get("messaging_profile_id", "")
    form.picked_name = directory.profile_directory().name_of(picked) if is_telnyx_id(picked) else None
    context = _detail_context(request, code, bind_form=form, picked=picked)
    if _read_back_as_applied(failure):
        return _written(
            request,
            short_code_id,
            gettext("Short code %(code)s is now bound.") % {"code": code.short_code}
            + " "
            + gettext(_READ_BACK),
        )
    return _render_section(request, "binding", context)


@permission_required(CHANGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def short_code_unbind(request: HttpRequest, short_code_id: str) -> HttpResponse:
    """GET asks for confirmation; POST unbinds (sends `messaging_profile_id: null`)."""
    if request.method == "GET":
        code = services.short_code_or_404(short_code_id=short_code_id)
        return _render_section(request, "binding", _detail_context(request, code, confirm_unbind=True))
    form = UnbindForm(request.POST)
    if not form.is_valid():
        # No readable stamp, nothing to check staleness against: ask again, nothing is sent.
        code = services.short_code_or_404(short_code_id=short_code_id)
        context = _detail_context(request, code, confirm_unbind=True, unbind_form=form)
        return _render_section(request, "binding", context)
    try:
        code = services.short_code_unbind(
            actor=request.user,
            audit=AuditContext.of(request),
            short_code_id=short_code_id,
            expected_updated_at=form.cleaned_data["updated_at"],
        ).object
    except NotFound:
        return _vanished(request)
    except (StaleObject, ValidationFailed, WriteError) as exc:
        # A conflict keeps the confirmation with the current stamp (a second press is deliberate);
        # a refusal (422) or a write-path outcome is said in the same place, with nothing lost.
        if isinstance(exc, StaleObject):
            form = _with_updated_at(UnbindForm, request.POST, exc)
            form.add_error(None, _conflict_text(exc))
        else:
            form.add_error(None, banner_for(exc, write=True).message)
        failure = exc if isinstance(exc, WriteError) else None
        code = services.short_code_or_404(short_code_id=short_code_id)
        context = _detail_context(request, code, confirm_unbind=True, unbind_form=form)
        if _read_back_as_applied(failure):
            return _written(
                request,
                short_code_id,
                gettext("Short code %(code)s is no longer bound.") % {"code": code.short_code}
                + " "
                + gettext(_READ_BACK),
            )
        return _render_section(request, "binding", context)
    return _written(
        request,
        short_code_id,
        gettext("Short code %(code)s is no longer bound to a profile.") % {"code": code.short_code},
    )


@permission_required(CHANGE, raise_exception=True)
@require_POST
def short_code_tags(request: HttpRequest, short_code_id: str) -> HttpResponse:
    """Add/remove chips (no Telnyx call) or save the list (one PATCH)."""
    form = TagsForm(request.POST)
    outcome = _SectionWrite(form)
    if form.is_valid() and form.is_save:
        outcome = _section_write(
            request,
            form,
            lambda: (
                services.short_code_tags_update(
                    actor=request.user,
                    audit=AuditContext.of(request),
                    short_code_id=short_code_id,
                    tags=form.cleaned_data["tags"],
                    expected_updated_at=form.cleaned_data["updated_at"],
                ).object
            ),
        )
        if outcome.vanished:
            return _vanished(request)
        if outcome.saved is not None:
            return _written(
                request,
                short_code_id,
                gettext("Tags of short code %(code)s saved.") % {"code": outcome.saved.short_code},
            )
    form, failure = outcome.form, outcome.failure
    code = services.short_code_or_404(short_code_id=short_code_id)
    context = _detail_context(request, code, tags_form=form)
    if _read_back_as_applied(failure):
        return _written(
            request,
            short_code_id,
            gettext("Tags of short code %(code)s saved.") % {"code": code.short_code}
            + " "
            + gettext(_READ_BACK),
        )
    return _render_section(request, "tags", context)


_READ_BACK = gettext_noop(
    "(Telnyx's answer was lost on the way back; reading the short code back shows the change.)"
)


def _read_back_as_applied(failure: WriteError | None) -> bool:
    """Whether a write whose outcome was unknown turned out applied when the section re-read the short
    code (reading it resolves the write's open audit entry, see writes.reconcile)."""
    if not isinstance(failure, OutcomeUnknown):
        return False
    return AuditEntry.objects.filter(pk=failure.entry_id, outcome=AuditEntry.Outcome.SUCCESS).exists()


def _with_updated_at(form_class: type, data: Any, exc: StaleObject) -> Any:
    """The same input, now carrying the current `updated_at`: a second submit is a deliberate one."""
    data = data.copy()
    if isinstance(exc.current, ShortCode):
        data["updated_at"] = exc.current.updated_at
    form = form_class(data)
    form.is_valid()
    return form


# --- a profile's short-codes tab -----------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def profile_short_codes(request: HttpRequest, profile_id: str) -> HttpResponse:
    """The short codes bound to one profile (paginated), and binding/unbinding them in place.

    GET `?add=1` shows the bind form, `?confirm=<short code id>` asks before unbinding one.
    POST `action=bind` (`short_code_id`) or `action=unbind` (`short_code_id`) writes, then
    re-renders the tab, so the page around it stays as it is.
    """
    context: dict[str, Any] = {"notice": None, "bind_form": None, "confirm": ""}
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            return render(request, "403.html", status=403)
        response = _tab_write(request, profile_id, context)
        if response is not None:
            return response
    else:
        if request.GET.get("add") and request.user.has_perm(CHANGE):
            context["bind_form"] = _tab_bind_form()
        context["confirm"] = request.GET.get("confirm", "") if request.user.has_perm(CHANGE) else ""
    paging = PagingForm(request.GET if request.method == "GET" else request.POST)
    number, size = paging.paging()
    try:
        page = profiles_api.list_profile_short_codes(
            profile_id=profile_id, page_number=number, page_size=size
        )
    except NotFound:
        if request.method == "GET":
            raise  # the middleware's 404 page
        # Deleted while the tab was open: keep the tab and say why, rather than a bare 404.
        page = None
        context["error"] = context.get("error") or gettext(
            "This messaging profile no longer exists at Telnyx."
        )
    except TelnyxError as exc:
        if not context["notice"]:
            raise
        # The write was saved: a failed refresh must not read as a failed write (staff would retry it).
        page = None
        context["error"] = gettext(
            "The list could not be refreshed (%(error)s). Reload the tab to see it."
        ) % {"error": exc.message}
    # The tab inside the profile page needs no name; the stand-alone page shows it in its heading.
    names = None if wants_fragment(request) else directory.profile_directory()
    context.update(
        {
            "page": page,
            "profile_id": profile_id,
            "profile_name": _bound_name(names, profile_id),
            "can_change": request.user.has_perm(CHANGE),
            "tab_url": reverse("profiles:short_codes", args=[profile_id]),
            # The pager keeps only the page size: not `add`, `confirm` or a POST's fields.
            "pager_params": {"page_size": size},
        }
    )
    return render(request, template_for(request, "shortcodes/profile_short_codes.html", "tab"), context)


def _tab_bind_form(data: Any = None) -> TabBindForm:
    choices = [
        (code.id, f"{code.short_code} ({code.country_code})")
        for code in services.short_code_unassigned_choices()
    ]
    return TabBindForm(data, choices=choices)


def _tab_write(request: HttpRequest, profile_id: str, context: dict[str, Any]) -> HttpResponse | None:
    """Perform the tab's POST action; fills `context` for the re-rendered tab, or returns a redirect."""
    action = request.POST.get("action")
    short_code_id = request.POST.get("short_code_id", "")
    audit = AuditContext.of(request)
    try:
        if action == "bind":
            form = _tab_bind_form(request.POST)
            context["bind_form"] = form
            if not form.is_valid():
                return None
            code = services.short_code_bind(
                actor=request.user,
                audit=audit,
                short_code_id=canonical_id(form.cleaned_data["short_code_id"]),
                profile_id=profile_id,
                only_if_unassigned=True,
            ).object
            context["bind_form"] = None
            context["notice"] = gettext("Short code %(code)s is now bound to this profile.") % {
                "code": code.short_code
            }
        elif action == "unbind" and is_telnyx_id(short_code_id):
            code = services.short_code_unbind(
                actor=request.user,
                audit=audit,
                short_code_id=canonical_id(short_code_id),
                expected_profile_id=profile_id,
            ).object
            context["notice"] = gettext("Short code %(code)s was unbound from this profile.") % {
                "code": code.short_code
            }
        elif action == "unbind":
            context["error"] = gettext("That is not a short code id.")
        else:
            context["error"] = gettext("Unknown action.")
    except NotFound:
        context["error"] = gettext("That short code no longer exists at Telnyx.")
    except ValidationFailed as exc:
        # E.g. the profile was deleted meanwhile: the API's own words, beside the bind form.
        context["error"] = exc.message
    except StaleObject as exc:
        context["error"] = exc.message
    except WriteError as exc:
        context["error"] = exc.message
    if not wants_fragment(request):
        if context.get("notice"):
            messages.success(request, context["notice"])
        elif context.get("error") and context.get("bind_form") is None:
            messages.error(request, context["error"])
        else:
            return None
        return redirect_to(request, reverse("profiles:short_codes", args=[profile_id]))
    return None

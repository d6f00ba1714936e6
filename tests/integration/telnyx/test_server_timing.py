"""The per-request tally and the `Server-Timing` header it becomes."""

import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from telnyx_admin.server_timing import ServerTimingMiddleware
from telnyx_admin.telnyx import errors, profiles, timing

HEADER = re.compile(
    r'^telnyx;dur=(?P<telnyx>[0-9.]+);desc="(?P<calls>\d+) calls?", app;dur=(?P<app>[0-9.]+)$'
)


def _view_calling_telnyx(times: int):
    def view(request):
        for _ in range(times):
            profiles.list_profiles(page_size=1)
        return HttpResponse("ok")

    return view


def test_it_reports_calls_and_their_time(telnyx_settings, sandbox):
    sandbox.set_faults(latency_ms=50)
    response = ServerTimingMiddleware(_view_calling_telnyx(2))(RequestFactory().get("/"))
    match = HEADER.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    assert match["calls"] == "2"
    assert float(match["telnyx"]) >= 100
    assert float(match["app"]) >= 0


def test_a_page_without_calls_says_zero(telnyx_settings):
    response = ServerTimingMiddleware(_view_calling_telnyx(0))(RequestFactory().get("/"))
    assert response["Server-Timing"].startswith('telnyx;dur=0.0;desc="0 calls", app;dur=')


def test_one_call_is_singular(telnyx_settings):
    response = ServerTimingMiddleware(_view_calling_telnyx(1))(RequestFactory().get("/"))
    assert 'desc="1 call"' in response["Server-Timing"]


def test_requests_do_not_share_a_tally(telnyx_settings):
    middleware = ServerTimingMiddleware(_view_calling_telnyx(1))
    with timing.tally_scope() as outside:
        first = middleware(RequestFactory().get("/"))
        second = middleware(RequestFactory().get("/"))
        assert outside.calls == 0, "a request's calls count in its own tally"
        timing.record_call(1.0)
    assert 'desc="1 call"' in first["Server-Timing"] and 'desc="1 call"' in second["Server-Timing"]
    assert outside.calls == 1, "the tally ends with its request: later calls count where they are made"


def test_failed_calls_count_too(settings, telnyx_settings, sandbox):
    settings.TELNYX_MAX_RETRIES = 0
    sandbox.set_faults(error_rate=1.0, error_status=503)

    def view(request):
        try:
            profiles.list_profiles()
        except errors.ApiUnavailable as exc:
            return HttpResponse(exc.message, status=503)
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    assert response.status_code == 503
    assert 'desc="1 call"' in response["Server-Timing"]


@login_not_required
def _two_calls(request):
    return _view_calling_telnyx(2)(request)


# This module doubles as the URLconf of the test below: the whole middleware stack, one known view.
urlpatterns = [path("two-calls/", _two_calls)]


@pytest.mark.urls(__name__)
def test_the_dashboard_middleware_stack_sets_it(client, db, telnyx_settings):
    response = client.get("/two-calls/")
    assert response.status_code == 200
    match = HEADER.match(response["Server-Timing"])
    assert match, response.get("Server-Timing")
    assert match["calls"] == "2"

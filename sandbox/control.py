"""Control endpoints under /_sandbox/: reset the data, configure faults, read request statistics.

They need the same key as the API and are never counted or faulted themselves.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox import schemas, seed
from sandbox.faults import FaultConfig, faults, stats
from sandbox.models import MessagingProfile, PhoneNumber, ShortCode
from sandbox.views import api_view, data, validated_body


@api_view("POST")
def reset(request: HttpRequest) -> HttpResponse:
    seed.reset()
    return data(
        {
            "messaging_profiles": MessagingProfile.objects.count(),
            "phone_numbers": PhoneNumber.objects.count(),
            "short_codes": ShortCode.objects.count(),
        }
    )


@api_view("GET", "PUT", "DELETE")
def fault_config(request: HttpRequest) -> HttpResponse:
    """PUT replaces the whole configuration (omitted fields fall back to "no fault") and restarts
    the deterministic counters; DELETE clears every fault."""
    if request.method == "PUT":
        faults.configure(FaultConfig(**validated_body(request, schemas.FAULTS)))
    elif request.method == "DELETE":
        faults.clear()
    return data(faults.config.as_json())


@api_view("GET", "DELETE")
def request_stats(request: HttpRequest) -> HttpResponse:
    if request.method == "DELETE":
        stats.clear()
    return JsonResponse({"data": stats.as_json()})

"""The ten Telnyx Messaging API v2 operations the dashboard drives, served from the sandbox's database.

Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles (and the nine
sibling pages); the machine-readable contract is telnyx-messaging-openapi.json.
"""

import functools
import json
import logging
import math
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox import schemas
from sandbox.errors import ApiError, error_object, error_response, status_error
from sandbox.models import MessagingProfile, PhoneNumber, ShortCode
from sandbox.page_cache import cached_get
from sandbox.seed import ORGANIZATION_ID
from sandbox.serializers import next_updated_at, now_ms, profile_json, short_code_json

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 250
_INTEGER = re.compile(r"-?[0-9]+")

View = Callable[..., HttpResponse]


def api_view(*methods: str) -> Callable[[View], View]:
    """Allow only `methods`, and answer every failure with a Telnyx error body, never HTML."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return error_response(
                    405,
                    [error_object("10015", f"Method {request.method} is not allowed here.")],
                    headers={"Allow": ", ".join(methods)},
                )
            try:
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return exc.response()
            except Exception:
                logger.exception("Unexpected error in %s %s", request.method, request.path)
                return status_error(500, "The sandbox failed unexpectedly; see its log.")

        return wrapper

    return decorate


def data(payload: Any) -> JsonResponse:
    return JsonResponse({"data": payload})


# --- Request parsing -----------------------------------------------------------------------------


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def json_body(request: HttpRequest) -> Any:
    """The parsed body. Every operation that takes a body requires one (the contract's
    `requestBody.required`): no body at all is a 422. Unparseable JSON is a 400 with code 10023."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raw = None
    if raw is None or len(raw) > settings.MAX_BODY_BYTES:
        raise ApiError.single(413, "10015", "The request body is too large (at most 1 MiB).")
    if not raw.strip():
        raise ApiError.single(422, "10015", "The request body is required: send a JSON object.")
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float)
        # "\ud800" is valid JSON syntax but no text: refuse it here rather than fail to store it.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):
        raise ApiError.single(400, "10023", "The request body is not valid JSON.") from None
    return body


def validated_body(request: HttpRequest, schema: dict[str, Any]) -> dict[str, Any]:
    body = json_body(request)
    errors = schemas.validation_errors(schema, body)
    if errors:
        raise ApiError(422, errors)
    return body


def _int_param(request: HttpRequest, name: str, *, default: int, maximum: int | None) -> int | dict[str, Any]:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw):
        return error_object("10020", f"{name} must be an integer.", parameter=name)
    # Python refuses to convert integers of thousands of digits; none is a useful page anyway.
    value = int(raw) if len(raw) <= 30 else 10**30
    if value < 1 or (maximum is not None and value > maximum) or value >= 10**30:
        bounds = f"between 1 and {maximum}" if maximum else "at least 1 and below 10^30"
        return error_object("10015", f"{name} must be {bounds}.", parameter=name)
    return value


def page_params(request: HttpRequest) -> tuple[int, int]:
    number = _int_param(request, "page[number]", default=1, maximum=None)
    size = _int_param(request, "page[size]", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    errors = [value for value in (number, size) if isinstance(value, dict)]
    if errors:
        raise ApiError(422, errors)
    assert isinstance(number, int) and isinstance(size, int)
    return number, size


def paginated(
    request: HttpRequest, queryset: QuerySet[Any], serialize: Callable[[Any], dict[str, Any]]
) -> JsonResponse:
    """One page of `queryset` in the deterministic order (created_at, id), with Telnyx's `meta`."""
    number, size = page_params(request)
    total = queryset.count()
    offset = (number - 1) * size
    rows = list(queryset.order_by("created_at", "id")[offset : offset + size]) if offset < total else []
    return JsonResponse(
        {
            "data": [serialize(row) for row in rows],
            "meta": {
                "page_number": number,
                "page_size": size,
                "total_pages": math.ceil(total / size),
                "total_results": total,
            },
        }
    )


def parse_id(value: str) -> uuid.UUID:
    """A path id; anything that is not a UUID is a 404 with code 10006 (Invalid ID)."""
    if not schemas.is_uuid(value):
        raise ApiError.single(404, "10006", f"'{value}' is not a valid ID.")
    return uuid.UUID(value)


def _get_or_404[M: (MessagingProfile, ShortCode)](
    model: type[M], object_id: str, *, what: str, for_update: bool
) -> M:
    """The object with this path id (locked for the transaction when `for_update`), else the API's 404."""
    queryset = model._default_manager.select_for_update() if for_update else model._default_manager
    try:
        return queryset.get(pk=parse_id(object_id))
    except model.DoesNotExist:
        raise ApiError.single(404, "10005", f"{what} not found.") from None


def get_profile(profile_id: str, *, for_update: bool = False) -> MessagingProfile:
    return _get_or_404(MessagingProfile, profile_id, what="Messaging profile", for_update=for_update)


def get_short_code(short_code_id: str, *, for_update: bool = False) -> ShortCode:
    return _get_or_404(ShortCode, short_code_id, what="Short code", for_update=for_update)


# --- Applying validated bodies ---------------------------------------------------------------------


def _number_pool(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "toll_free_weight": value["toll_free_weight"],
        "long_code_weight": value["long_code_weight"],
        "skip_unhealthy": value["skip_unhealthy"],
        "sticky_sender": value.get("sticky_sender", False),
        "geomatch": value.get("geomatch", False),
    }


def _url_shortener(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "domain": value["domain"],
        "prefix": value.get("prefix", ""),
        "replace_blacklist_only": value.get("replace_blacklist_only", False),
        "send_webhooks": value.get("send_webhooks", False),
    }


_NORMALISE = {"number_pool_settings": _number_pool, "url_shortener_settings": _url_shortener}


def apply_profile_fields(profile: MessagingProfile, body: dict[str, Any], properties: Iterable[str]) -> None:
    """Copy the validated fields of `body` that `properties` allows; everything else is ignored."""
    for name in properties:
        if name in body:
            value = body[name]
            setattr(profile, name, _NORMALISE[name](value) if name in _NORMALISE else value)


# --- Messaging profiles --------------------------------------------------------------------------


@api_view("GET", "POST")
@cached_get
def messaging_profiles(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return profile_create(request)
    queryset = MessagingProfile.objects.all()
    for parameter in ("filter[name]", "filter[name][eq]"):
        if parameter in request.GET:
            queryset = queryset.filter(name=request.GET[parameter])
    if "filter[name][contains]" in request.GET:
        queryset = queryset.filter(name__icontains=request.GET["filter[name][contains]"])
    return paginated(request, queryset, profile_json)


def profile_create(request: HttpRequest) -> HttpResponse:
    body = validated_body(request, schemas.CREATE_MESSAGING_PROFILE)
    now = now_ms()
    profile = MessagingProfile(
        id=uuid.uuid4(),
        organization_id=ORGANIZATION_ID,
        v1_secret=secrets.token_urlsafe(18),
        created_at=now,
        updated_at=now,
    )
    apply_profile_fields(profile, body, schemas.CREATE_MESSAGING_PROFILE["properties"])
    profile.save(force_insert=True)
    return data(profile_json(profile))


@api_view("GET", "PATCH", "DELETE")
def messaging_profile(request: HttpRequest, profile_id: str) -> HttpResponse:
    if request.method == "GET":
        return data(profile_json(get_profile(profile_id)))
    if request.method == "PATCH":
        return profile_update(request, profile_id)
    return profile_delete(profile_id)


def profile_update(request: HttpRequest, profile_id: str) -> HttpResponse:
    parse_id(profile_id)  # a malformed id is a 404 before any body problem
    body = validated_body(request, schemas.UPDATE_MESSAGING_PROFILE)
    with transaction.atomic():
        profile = get_profile(profile_id, for_update=True)
        if not profile.whitelisted_destinations and "whitelisted_destinations" not in body:
            raise ApiError.single(
                422,
                "10004",
                "The 'whitelisted_destinations' parameter is required while the profile has none.",
                pointer="/whitelisted_destinations",
            )
        apply_profile_fields(profile, body, schemas.UPDATE_MESSAGING_PROFILE["properties"])
        profile.updated_at = next_updated_at(profile.updated_at)
        profile.save()
    return data(profile_json(profile))


def profile_delete(profile_id: str) -> HttpResponse:
    with transaction.atomic():
        profile = get_profile(profile_id, for_update=True)
        now = now_ms()
        # Numbers and short codes outlive their profile, unassigned, as on the real API.
        PhoneNumber.objects.filter(messaging_profile=profile).update(messaging_profile=None, updated_at=now)
        ShortCode.objects.filter(messaging_profile=profile).update(messaging_profile=None, updated_at=now)
        payload = profile_json(profile)
        profile.delete()
    return data(payload)


# A bulk profile's numbers are the sandbox's biggest pages (250 objects). SQLite builds each object
# with json_object(), which costs a fraction of instantiating and serialising 250 model rows, so
# a page is served in a few milliseconds. Field order and formats match serializers.py.
_UUID_TEXT = (
    "substr({c}, 1, 8) || '-' || substr({c}, 9, 4) || '-' || substr({c}, 13, 4) || '-' || "
    "substr({c}, 17, 4) || '-' || substr({c}, 21, 12)"
).format(c="messaging_profile_id")
_ISO = "strftime('%Y-%m-%dT%H:%M:%fZ', {})"
_PHONE_NUMBER_PAGE = f"""
    SELECT json_object(
        'record_type', record_type, 'id', id, 'phone_number', phone_number,
        'messaging_profile_id', {_UUID_TEXT},
        'country_code', country_code, 'type', type, 'health', json(health),
        'eligible_messaging_products', json(eligible_messaging_products),
        'traffic_type', traffic_type, 'messaging_product', messaging_product,
        'features', json(features), 'organization_id', organization_id, 'tags', json(tags),
        'created_at', {_ISO.format("created_at")}, 'updated_at', {_ISO.format("updated_at")})
    FROM {PhoneNumber._meta.db_table}
    WHERE messaging_profile_id = %s
    ORDER BY created_at, id
    LIMIT %s OFFSET %s
"""  # noqa: S608 - no user input in the text; values are parameters


@api_view("GET")
@cached_get
def profile_phone_numbers(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = get_profile(profile_id)
    number, size = page_params(request)
    total = PhoneNumber.objects.filter(messaging_profile=profile).count()
    offset = (number - 1) * size
    rows: list[tuple[str]] = []
    if offset < total:
        with connection.cursor() as cursor:
            cursor.execute(_PHONE_NUMBER_PAGE, [profile.id.hex, size, offset])
            rows = cursor.fetchall()
    meta = {
        "page_number": number,
        "page_size": size,
        "total_pages": math.ceil(total / size),
        "total_results": total,
    }
    body = '{"data": [' + ", ".join(row[0] for row in rows) + '], "meta": ' + json.dumps(meta) + "}"
    return HttpResponse(body, content_type="application/json")


@api_view("GET")
@cached_get
def profile_short_codes(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = get_profile(profile_id)
    return paginated(request, ShortCode.objects.filter(messaging_profile=profile), short_code_json)


# --- Short codes ---------------------------------------------------------------------------------


@api_view("GET")
@cached_get
def short_codes(request: HttpRequest) -> HttpResponse:
    queryset = ShortCode.objects.all()
    parameter = "filter[messaging_profile_id]"
    if parameter in request.GET:
        value = request.GET[parameter]
        if value == "null":
            queryset = queryset.filter(messaging_profile__isnull=True)
        elif schemas.is_uuid(value):
            queryset = queryset.filter(messaging_profile_id=uuid.UUID(value))
        else:
            raise ApiError.single(
                422,
                "10015",
                f"{parameter} must be a messaging profile id or the string null.",
                parameter=parameter,
            )
    return paginated(request, queryset, short_code_json)


@api_view("GET", "PATCH")
def short_code(request: HttpRequest, short_code_id: str) -> HttpResponse:
    if request.method == "GET":
        return data(short_code_json(get_short_code(short_code_id)))
    parse_id(short_code_id)
    body = validated_body(request, schemas.UPDATE_SHORT_CODE)
    profile_id = body["messaging_profile_id"] or None
    with transaction.atomic():
        code = get_short_code(short_code_id, for_update=True)
        if profile_id is not None and not MessagingProfile.objects.filter(pk=uuid.UUID(profile_id)).exists():
            raise ApiError.single(
                422, "10015", "No messaging profile has this id.", pointer="/messaging_profile_id"
            )
        code.messaging_profile_id = uuid.UUID(profile_id) if profile_id else None
        if "tags" in body:
            code.tags = body["tags"]
        code.updated_at = next_updated_at(code.updated_at)
        code.save()
    return data(short_code_json(code))


# --- Errors outside any view (wired as handler404/handler500 in sandbox.urls) -----------------------


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return status_error(404, f"No route {request.method} {request.path}.")


def server_error(request: HttpRequest) -> HttpResponse:
    return status_error(500, "The sandbox failed unexpectedly; see its log.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return status_error(400, "The request was not well-formed.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return status_error(403, "Not allowed.")

"""Every Telnyx answer becomes data or one typed error, whatever its body looks like."""

import json

import pytest

from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx.errors import parse_retry_after
from telnyx_admin.telnyx.http import data_of, decode


def _body(*items):
    return json.dumps({"errors": list(items)}).encode()


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, errors.AuthFailed),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (422, errors.ValidationFailed),
        (429, errors.RateLimited),
        (500, errors.ApiUnavailable),
        (502, errors.ApiUnavailable),
        (503, errors.ApiUnavailable),
        (400, errors.UnexpectedStatus),
        (409, errors.UnexpectedStatus),
        (302, errors.UnexpectedStatus),
    ],
)
def test_each_status_has_its_error(status, kind):
    body = _body({"code": "10007", "title": "Unexpected error", "detail": "Something went wrong"})
    with pytest.raises(kind) as caught:
        decode(status=status, headers={}, content=body)
    assert type(caught.value) is kind
    assert caught.value.status == status
    assert caught.value.message == "Something went wrong"


def test_it_keys_422_messages_by_pointer_and_parameter():
    body = _body(
        {
            "code": "10015",
            "title": "Bad Request",
            "detail": "must be a string",
            "source": {"pointer": "/daily_spend_limit"},
        },
        {
            "code": "10015",
            "title": "Bad Request",
            "detail": "too big",
            "source": {"pointer": "/daily_spend_limit"},
        },
        {"code": "10004", "title": "Missing required parameter", "source": {"pointer": "/name"}},
        {
            "code": "10015",
            "title": "Bad Request",
            "detail": "must be 1..250",
            "source": {"parameter": "page[size]"},
        },
    )
    with pytest.raises(errors.ValidationFailed) as caught:
        decode(status=422, headers={}, content=body)
    assert caught.value.field_errors() == {
        "/daily_spend_limit": ["must be a string", "too big"],
        "/name": ["Missing required parameter"],
        "page[size]": ["must be 1..250"],
    }
    first = caught.value.errors[0]
    assert (first.code, first.title, first.detail, first.pointer) == (
        "10015",
        "Bad Request",
        "must be a string",
        "/daily_spend_limit",
    )
    assert "and 3 more" in caught.value.message


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b"",
        b"\xff\xfe not utf-8",
        b'{"errors": "not a list"}',
        b'{"errors": [1, "two", null]}',
        b"[]",
    ],
)
def test_it_survives_bodies_that_are_not_telnyx_errors(content):
    with pytest.raises(errors.ApiUnavailable) as caught:
        decode(status=502, headers={}, content=content)
    assert caught.value.errors == ()
    assert "502" in caught.value.message


def test_a_success_that_is_not_json_is_an_error():
    with pytest.raises(errors.UnexpectedStatus):
        decode(status=200, headers={}, content=b"<html>captive portal</html>")


def test_an_empty_success_is_none():
    assert decode(status=204, headers={}, content=b"") is None


def test_429_carries_retry_after():
    with pytest.raises(errors.RateLimited) as caught:
        decode(
            status=429,
            headers={"Retry-After": "17"},
            content=_body({"code": "10011", "title": "Too many requests"}),
        )
    assert caught.value.retry_after == 17
    assert caught.value.message == "Too many requests"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), (" 2 ", 2.0), ("0.5", 0.5), ("-4", 0.0), (None, None), ("", None), ("soon", None)],
)
def test_retry_after_parsing(header, seconds):
    assert parse_retry_after(header) == seconds


def test_retry_after_as_http_date():
    import time
    from email.utils import formatdate

    value = parse_retry_after(formatdate(time.time() + 30, usegmt=True))
    assert 25 <= value <= 31


def test_data_of_demands_an_object():
    assert data_of({"data": {"id": "x"}}) == {"id": "x"}
    for payload in (None, {}, {"data": []}, []):
        with pytest.raises(errors.UnexpectedStatus):
            data_of(payload)

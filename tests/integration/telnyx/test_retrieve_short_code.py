"""GET /short_codes/{id}."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, short_codes


def test_it_returns_the_short_code(telnyx_settings, sandbox):
    listed = short_codes.list_short_codes().items[0]
    code = short_codes.retrieve_short_code(short_code_id=listed.id)
    assert code == listed
    assert code.updated is not None
    raw = sandbox.get(f"/short_codes/{listed.id}").json()["data"]
    assert code.to_dict() == raw


def test_an_unknown_id_is_not_found(telnyx_settings):
    with pytest.raises(errors.NotFound):
        short_codes.retrieve_short_code(short_code_id=str(uuid.uuid4()))

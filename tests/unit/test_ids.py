"""telnyx_admin.ids: the one owner of id shapes (URL ids, form ids, and ids pasted into a search box)."""

from __future__ import annotations

import pytest

from telnyx_admin.ids import canonical_id, is_telnyx_id, pasted_id

PROFILE_ID = "8176ad5f-ab50-46dd-9d41-d47983daa976"


@pytest.mark.parametrize("value", [PROFILE_ID, PROFILE_ID.upper()])
def test_a_uuid_is_an_id_in_any_case(value):
    assert is_telnyx_id(value)
    assert canonical_id(value) == PROFILE_ID


@pytest.mark.parametrize(
    "value",
    ["", PROFILE_ID + "\n", " " + PROFILE_ID, PROFILE_ID.replace("-", ""), "{" + PROFILE_ID + "}", None, 7],
)
def test_anything_else_is_not_an_id(value):
    assert not is_telnyx_id(value)


@pytest.mark.parametrize(
    "text",
    [
        PROFILE_ID,
        PROFILE_ID.upper(),
        f"  {PROFILE_ID}\n",
        "{" + PROFILE_ID + "}",
        PROFILE_ID.replace("-", ""),
    ],
)
def test_a_pasted_id_is_recognised_in_canonical_form(text):
    assert pasted_id(text) == PROFILE_ID


@pytest.mark.parametrize(
    "text", ["", "acme", PROFILE_ID[:-1], PROFILE_ID + "0", f"Acme {PROFILE_ID}", "g" * 32]
)
def test_anything_else_is_a_name_search(text):
    assert pasted_id(text) is None

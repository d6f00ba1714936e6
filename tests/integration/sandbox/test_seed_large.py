"""`runsandbox --seed large`: an account at scale, the same after every reset."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _all(sandbox, path: str) -> list[dict]:
    items, number = [], 1
    while True:
        body = sandbox.get(path, params={"page[size]": 250, "page[number]": number}).json()
        items += body["data"]
        if number >= body["meta"]["total_pages"]:
            return items
        number += 1


def test_its_size(large_sandbox):
    profiles = _all(large_sandbox, "/messaging_profiles")
    assert len(profiles) == 2_000 and len({p["id"] for p in profiles}) == 2_000
    codes = _all(large_sandbox, "/short_codes")
    assert len(codes) == 500
    numbers = sum(
        large_sandbox.get(f"/messaging_profiles/{p['id']}/phone_numbers", params={"page[size]": 1}).json()[
            "meta"
        ]["total_results"]
        for p in profiles[:: len(profiles) // 20]
    )
    assert numbers > 0
    first = large_sandbox.get(f"/messaging_profiles/{profiles[0]['id']}/phone_numbers").json()["meta"]
    last = large_sandbox.get(f"/messaging_profiles/{profiles[-1]['id']}/phone_numbers").json()["meta"]
    # Uneven, as on real accounts: thousands on the first profile, a few dozen on the last.
    assert first["total_results"] > 4_000 and 0 < last["total_results"] < 200


def test_it_has_every_spend_limit_shape(large_sandbox):
    profiles = _all(large_sandbox, "/messaging_profiles")
    no_limit = [p for p in profiles if not p["daily_spend_limit"]]
    enforced = [p for p in profiles if p["daily_spend_limit_enabled"]]
    assert 100 < len(no_limit) < 300
    assert 600 < len(enforced) < 1_400
    assert len({p["daily_spend_limit"] for p in profiles}) >= 10


def test_short_codes_belong_to_profiles_across_the_whole_account(large_sandbox):
    positions = {p["id"]: i for i, p in enumerate(_all(large_sandbox, "/messaging_profiles"))}
    owners = [c["messaging_profile_id"] for c in _all(large_sandbox, "/short_codes")]
    bound = [positions[owner] for owner in owners if owner]
    assert 50 < owners.count(None) < 150
    assert max(bound) > 1_900 and min(bound) < 100


def test_a_reset_restores_the_same_account(large_sandbox):
    before = large_sandbox.get("/messaging_profiles", params={"page[size]": 250, "page[number]": 5}).json()
    counts = large_sandbox.reset()
    after = large_sandbox.get("/messaging_profiles", params={"page[size]": 250, "page[number]": 5}).json()
    assert counts == {"messaging_profiles": 2_000, "phone_numbers": 200_000, "short_codes": 500}
    assert before == after

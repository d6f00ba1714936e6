"""Found by the fault soak: a bind that Telnyx saved was reported as "Telnyx is unavailable".

After the PATCH succeeds, the success message names the profile, which may need the profile
directory (a list call) when its cache is cold. If that call fails, the page must still say the bind
was saved; before the fix it showed the 503 banner ("nothing was changed") over a saved bind.
"""

from __future__ import annotations

import re

from profiles import directory


def test_a_saved_bind_is_reported_saved_when_the_name_lookup_fails(
    telnyx_settings, support_client, restore_seed
):
    sandbox = telnyx_settings
    code = sandbox.get("/short_codes", params={"page[size]": 1}).json()["data"][0]
    profiles = sandbox.get("/messaging_profiles", params={"page[size]": 2}).json()["data"]
    target = next(p for p in profiles if p["id"] != code["messaging_profile_id"])
    page = support_client.get(f"/short-codes/{code['id']}/")
    stamp = re.search(r'name="updated_at" value="([^"]*)"', page.content.decode())[1]
    directory.invalidate()  # cold: naming the profile needs a list call
    # Deterministic: the 3rd API request fails with a 500 (not retried): 1 GET short code, 2 PATCH, 3 list.
    sandbox.set_faults(error_rate=0.34, error_status=500)

    response = support_client.post(
        f"/short-codes/{code['id']}/bind/", {"updated_at": stamp, "messaging_profile_id": target["id"]}
    )

    sandbox.clear_faults()
    assert sandbox.stats()["faults"]["error"] == 1  # the lookup really failed
    assert response.status_code == 302
    assert response["Location"] == f"/short-codes/{code['id']}/"
    assert sandbox.get(f"/short_codes/{code['id']}").json()["data"]["messaging_profile_id"] == target["id"]
    shown = support_client.get(response["Location"]).content.decode()
    assert f"is now bound to {target['id']}." in shown  # named by id: the name could not be looked up

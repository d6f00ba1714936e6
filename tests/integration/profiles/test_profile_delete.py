"""The delete page (`profiles:delete`) against the live sandbox: impact counts, typed confirmation,
the message and the list's query string after, a vanished profile, failures that keep the input."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from profiles import directory
from tests.fixtures.profile_writes import audit_entries
from tests.fixtures.telnyx import BULK_PROFILE_NAME

pytestmark = pytest.mark.django_db

DELETE_ROUTE = "DELETE /v2/messaging_profiles/{id}"


def _url(profile_id: str) -> str:
    return reverse("profiles:delete", args=[profile_id])


def _total(sandbox, path: str) -> int:
    return sandbox.get(path, params={"page[size]": 1}).json()["meta"]["total_results"]


def _exists(sandbox, profile_id: str) -> bool:
    return sandbox.get(f"/messaging_profiles/{profile_id}").status_code == 200


def test_url_path():
    profile_id = str(uuid.uuid4())
    assert _url(profile_id) == f"/profiles/{profile_id}/delete/"


def test_it_shows_how_many_numbers_and_short_codes_will_be_unassigned(support_client, telnyx_settings):
    profile = telnyx_settings.profile_named(BULK_PROFILE_NAME)
    numbers = _total(telnyx_settings, f"/messaging_profiles/{profile['id']}/phone_numbers")
    short_codes = _total(telnyx_settings, f"/messaging_profiles/{profile['id']}/short_codes")
    assert numbers > 1000  # the seed's bulk profile

    response = support_client.get(_url(profile["id"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<strong data-testid="impact-numbers">{numbers}</strong> phone numbers' in html
    assert f'<strong data-testid="impact-short-codes">{short_codes}</strong> short code' in html
    assert f'<code class="confirm-name">{profile["name"]}</code>' in html
    assert _exists(telnyx_settings, profile["id"])


def test_it_404s_for_an_unknown_profile(support_client, telnyx_settings):
    assert support_client.get(_url(str(uuid.uuid4()))).status_code == 404


def test_a_wrong_name_deletes_nothing(support_client, make_profile, telnyx_settings, sandbox_requests):
    profile = make_profile()
    response = support_client.post(
        _url(profile["id"]), {"confirm_name": profile["name"].upper()}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-confirm_name"' in html
    assert f'value="{profile["name"].upper()}"' in html
    assert sandbox_requests(DELETE_ROUTE) == 0
    assert _exists(telnyx_settings, profile["id"])
    assert audit_entries() == []


def test_the_right_name_deletes_audits_and_returns_to_the_list_page(
    support_client, support_user, make_profile, telnyx_settings
):
    profile = make_profile()
    response = support_client.post(
        _url(profile["id"]),
        {"confirm_name": profile["name"], "list_query": "q=Write&page=2&page_size=50&x=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:list") + "?q=Write&page=2&page_size=50"
    assert not _exists(telnyx_settings, profile["id"])
    (entry,) = audit_entries(action="profile.delete")
    assert entry.outcome == "success"
    assert entry.actor == support_user
    assert entry.object_id == profile["id"]
    assert entry.object_label == profile["name"]
    assert entry.changes["name"] == {"before": profile["name"], "after": None}
    assert entry.changes["whitelisted_destinations"] == {"before": ["US", "CA"], "after": None}
    assert "v1_secret" not in entry.changes
    page = support_client.get(response["Location"]).content.decode()
    assert f"The messaging profile &quot;{profile['name']}&quot; was deleted successfully." in page


def test_the_list_query_is_taken_from_the_list_page_referer(support_client, make_profile):
    profile = make_profile()
    response = support_client.post(
        _url(profile["id"]),
        {"confirm_name": profile["name"]},
        headers={"Referer": "http://testserver/profiles/?q=Acme&page=3"},
    )
    assert response["Location"] == "/profiles/?q=Acme&page=3"


def test_htmx_delete_is_a_client_redirect(support_client, make_profile):
    profile = make_profile()
    response = support_client.post(
        _url(profile["id"]), {"confirm_name": profile["name"]}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("profiles:list")


def test_deleting_unassigns_the_short_codes_it_counted(
    support_client, make_profile, telnyx_settings, restore_seed
):
    profile = make_profile()
    short_code = telnyx_settings.get("/short_codes", params={"page[size]": 1}).json()["data"][0]
    bound = telnyx_settings.patch(
        f"/short_codes/{short_code['id']}", json={"messaging_profile_id": profile["id"]}
    )
    assert bound.status_code == 200, bound.text

    page = support_client.get(_url(profile["id"])).content.decode()
    assert '<strong data-testid="impact-numbers">0</strong> phone numbers' in page
    assert '<strong data-testid="impact-short-codes">1</strong> short code.' in page

    support_client.post(_url(profile["id"]), {"confirm_name": profile["name"]})
    after = telnyx_settings.get(f"/short_codes/{short_code['id']}").json()["data"]
    assert after["messaging_profile_id"] in (None, "")


def test_a_profile_deleted_meanwhile_gives_a_message_and_the_list(
    support_client, make_profile, telnyx_settings
):
    profile = make_profile()
    telnyx_settings.delete(f"/messaging_profiles/{profile['id']}")

    response = support_client.post(_url(profile["id"]), {"confirm_name": profile["name"]}, follow=True)

    assert response.redirect_chain[0][0] == reverse("profiles:list")
    assert "no longer exists" in response.content.decode()


# A rate of 1/3 fails exactly the third request: the page's GET and the write path's re-read pass,
# the DELETE fails, and the read-back after it (the fourth) passes again.
@pytest.mark.parametrize(
    ("faults", "title", "resolution"),
    [
        (
            {"error_rate": 1 / 3, "error_status": 429, "retry_after_seconds": 30},
            "Telnyx is rate-limiting us",
            "answered",
        ),
        ({"error_rate": 1 / 3, "error_status": 503}, "The change was not applied", "read_back"),
        ({"drop_rate": 1 / 3}, "The change was not applied", "read_back"),
    ],
)
def test_a_failed_delete_shows_a_banner_keeps_the_name_and_is_audited(
    support_client, make_profile, telnyx_settings, faults, title, resolution
):
    profile = make_profile()
    telnyx_settings.set_faults(**faults)
    response = support_client.post(
        _url(profile["id"]), {"confirm_name": profile["name"]}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert title in html
    assert f'value="{profile["name"]}"' in html
    telnyx_settings.clear_faults()
    # Injected faults answer before the sandbox's view runs: the profile is still there.
    assert _exists(telnyx_settings, profile["id"])
    (entry,) = audit_entries(action="profile.delete")
    assert (entry.outcome, entry.resolution) == ("failure", resolution)
    assert entry.object_label == profile["name"]


def test_an_outage_before_the_name_check_keeps_the_typed_name(support_client, make_profile, telnyx_settings):
    profile = make_profile()
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    response = support_client.post(_url(profile["id"]), {"confirm_name": profile["name"]})

    assert response.status_code == 503
    assert f'value="{profile["name"]}"' in response.content.decode()
    telnyx_settings.clear_faults()
    assert _exists(telnyx_settings, profile["id"])


@pytest.mark.parametrize("client_name", ["account_manager_client", "auditor_client"])
def test_other_roles_may_not_delete(request, client_name, make_profile, telnyx_settings, sandbox_requests):
    profile = make_profile()
    client = request.getfixturevalue(client_name)
    assert client.get(_url(profile["id"])).status_code == 403
    assert client.post(_url(profile["id"]), {"confirm_name": profile["name"]}).status_code == 403
    assert sandbox_requests(DELETE_ROUTE) == 0
    assert _exists(telnyx_settings, profile["id"])


def test_a_delete_forgets_the_cached_profile_directory(support_client, make_profile):
    profile = make_profile()
    directory.profile_directory()  # built from the sandbox and cached
    assert directory.cached_directory() is not None
    support_client.post(_url(profile["id"]), {"confirm_name": profile["name"]})
    assert directory.cached_directory() is None

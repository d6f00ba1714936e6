"""HTML/JS in profile names, short-code tags and the search box stays text in Chromium.

The HTML-level check (escaping on every page) is in tests/integration/security/test_security_sweep.py;
here a real browser renders the pages, htmx swaps partials in, and no payload may run: no dialog
opens, no marker variable is set, and nothing the CSP had to block shows up in the console (a payload
that reached the DOM as markup would be blocked by the CSP, and the block logged).
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = (
    "<script>window.__xss='name';alert('xss-name')</script><img src=x onerror=\"window.__xss='img'\"> Payload"
)
TAG = "<svg onload=\"window.__xss='tag'\">"
QUERY = '"><img src=x onerror="window.__xss=\'q\'">'


@pytest.fixture
def payload_objects(telnyx_settings, sandbox_profile, restore_seed) -> dict[str, str]:
    profile = sandbox_profile(name=NAME)
    code = telnyx_settings.get("/short_codes").json()["data"][0]
    answer = telnyx_settings.patch(
        f"/short_codes/{code['id']}", json={"messaging_profile_id": profile["id"], "tags": [TAG]}
    )
    assert answer.status_code == 200, answer.text
    # Created behind the dashboard's back: start from a fresh profile catalog, as after a write.
    from profiles import directory

    directory.invalidate()
    return {"profile_id": profile["id"], "short_code_id": code["id"]}


def test_payloads_do_not_run_in_the_browser(payload_objects, support_user, page, signed_in, dashboard_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    signed_in(page, support_user.username)
    profile_id, code_id = payload_objects["profile_id"], payload_objects["short_code_id"]

    page.goto(f"{dashboard_url}/profiles/?q=Payload")
    assert page.get_by_role("link", name=NAME).is_visible()  # shown as text, whole
    page.get_by_role("link", name=NAME).click()
    page.wait_for_url(f"**/profiles/{profile_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == NAME
    page.get_by_role("tab", name="Short codes").click()  # htmx swaps the tab in
    page.get_by_text(TAG).first.wait_for()
    page.goto(f"{dashboard_url}/short-codes/{code_id}/")
    page.get_by_text(TAG).first.wait_for()
    page.goto(f"{dashboard_url}/short-codes/")
    page.get_by_text(TAG).first.wait_for()
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_role("searchbox").fill(QUERY)  # typed, then swapped in by htmx with the URL pushed
    page.wait_for_url("**/profiles/?q=*")
    page.reload()
    assert page.get_by_role("searchbox").input_value() == QUERY

    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.console_errors == []

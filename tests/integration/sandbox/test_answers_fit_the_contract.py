"""Every seeded object, read through the API page by page and one by one, fits the contract's
response schemas (sandbox.schemas: MessagingProfile, PhoneNumberWithMessagingSettings, ShortCode and
the pagination meta), so the dashboard is never tested against data the real API could not hold."""

from __future__ import annotations

import pytest

from sandbox import schemas

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = pytest.mark.xdist_group(__name__)


def _pages(sandbox, path: str, schema: dict, *, page_size: int | None = None):
    """Every page of a list, each checked against `schema`; yields the items."""
    number = 1
    while True:
        params = {"page[number]": number, **({"page[size]": page_size} if page_size else {})}
        body = sandbox.get(path, params=params).json()
        assert schemas.response_problems(schema, body) == [], f"{path} page {number}"
        yield from body["data"]
        if number >= body["meta"]["total_pages"]:
            return
        number += 1


@pytest.fixture(scope="module")
def seeded(sandbox_server):
    sandbox_server.clear_faults()
    sandbox_server.reset()
    return sandbox_server


@pytest.mark.parametrize(
    ("path", "list_schema", "item_schema", "at_least"),
    [
        ("/messaging_profiles", schemas.MESSAGING_PROFILE_LIST_ANSWER, schemas.MESSAGING_PROFILE_ANSWER, 57),
        ("/short_codes", schemas.SHORT_CODE_LIST_ANSWER, schemas.SHORT_CODE_ANSWER, 44),
    ],
    ids=["profiles", "short codes"],
)
def test_every_page_and_every_object_fits(seeded, path, list_schema, item_schema, at_least):
    objects = list(_pages(seeded, path, list_schema))
    assert len(objects) >= at_least
    for item in objects:
        answer = seeded.get(f"{path}/{item['id']}").json()
        assert schemas.response_problems(item_schema, answer) == [], item["id"]


def test_every_page_of_every_profiles_numbers_and_short_codes_fits(seeded):
    profiles = list(
        _pages(seeded, "/messaging_profiles", schemas.MESSAGING_PROFILE_LIST_ANSWER, page_size=250)
    )
    numbers = 0
    for profile in profiles:
        path = f"/messaging_profiles/{profile['id']}"
        numbers += sum(
            1
            for _ in _pages(seeded, f"{path}/phone_numbers", schemas.PHONE_NUMBER_LIST_ANSWER, page_size=250)
        )
        list(_pages(seeded, f"{path}/short_codes", schemas.SHORT_CODE_LIST_ANSWER))
    assert numbers > 5_250


def test_the_check_finds_what_the_real_api_could_not_hold(seeded):
    profile = next(_pages(seeded, "/messaging_profiles", schemas.MESSAGING_PROFILE_LIST_ANSWER))
    for field, value in (
        ("alpha_sender", "CAFÉ"),
        ("daily_spend_limit", "1,5"),
        ("whitelisted_destinations", ["us"]),
    ):
        problems = schemas.response_problems(
            schemas.MESSAGING_PROFILE_ANSWER, {"data": {**profile, field: value}}
        )
        assert problems and problems[0].startswith(f"/data/{field}"), (field, problems)

"""Every kind of write the dashboard makes, each through its real page, with a way to count what
Telnyx (the sandbox) holds afterwards. Shared by the lost-answer, database and concurrency tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from profiles.forms import ProfileEditForm, SpendLimitForm
from tests.fixtures.profile_writes import resubmit


def _profile(sandbox: Any, **fields: Any) -> dict[str, Any]:
    body = {
        "name": f"Write path {uuid.uuid4().hex[:10]}",
        "whitelisted_destinations": ["US"],
        "daily_spend_limit": "100.00",
        **fields,
    }
    response = sandbox.post("/messaging_profiles", json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _named(sandbox: Any, name: str) -> list[dict[str, Any]]:
    return sandbox.get("/messaging_profiles", params={"filter[name][eq]": name}).json()["data"]


def _short_code(sandbox: Any, **params: Any) -> dict[str, Any]:
    codes = sandbox.get("/short_codes", params={"page[size]": 250, **params}).json()["data"]
    return codes[0]


def _get(sandbox: Any, path: str) -> dict[str, Any] | None:
    response = sandbox.get(path)
    return response.json()["data"] if response.status_code == 200 else None


@dataclass(frozen=True)
class WriteCase:
    """`prepare(sandbox)` makes what the write needs and returns its state; `post(client, state)` makes
    the write through its page; `applied(sandbox, state)` is how many times Telnyx holds it (exactly
    one copy is the goal); `client` names the role fixture that may make it. `rereads` is how many
    times the page reads the object again after a write failed (short-code pages redraw a section
    from a fresh read)."""

    name: str
    action: str
    client: str
    prepare: Callable[[Any], dict[str, Any]]
    post: Callable[[Client, dict[str, Any]], Any]
    applied: Callable[[Any, dict[str, Any]], int]
    rereads: int = 0


def _create_prepare(sandbox: Any) -> dict[str, Any]:
    return {"name": f"Created via lossy {uuid.uuid4().hex[:10]}"}


def _create_post(client: Client, state: dict[str, Any]) -> Any:
    data = {"name": state["name"], "whitelisted_destinations": ["US"], "webhook_api_version": "2"}
    return client.post("/profiles/new/", data)


def _edit_prepare(sandbox: Any) -> dict[str, Any]:
    return {"profile": _profile(sandbox, alpha_sender="BEFORE")}


def _edit_post(client: Client, state: dict[str, Any]) -> Any:
    profile = state["profile"]
    data = resubmit(ProfileEditForm(profile=profile), alpha_sender="AFTER")
    return client.post(f"/profiles/{profile['id']}/edit/", data)


def _edit_applied(sandbox: Any, state: dict[str, Any]) -> int:
    current = _get(sandbox, f"/messaging_profiles/{state['profile']['id']}")
    return int(current is not None and current["alpha_sender"] == "AFTER")


def _spend_prepare(sandbox: Any) -> dict[str, Any]:
    return {"profile": _profile(sandbox)}


def _spend_post(client: Client, state: dict[str, Any], amount: str = "321.00") -> Any:
    profile = state["profile"]
    data = resubmit(SpendLimitForm(profile=profile), daily_spend_limit=amount)
    return client.post(f"/profiles/{profile['id']}/spend-limit/", data)


def _spend_applied(sandbox: Any, state: dict[str, Any]) -> int:
    current = _get(sandbox, f"/messaging_profiles/{state['profile']['id']}")
    return int(current is not None and current["daily_spend_limit"] == "321.00")


def _delete_prepare(sandbox: Any) -> dict[str, Any]:
    return {"profile": _profile(sandbox)}


def _delete_post(client: Client, state: dict[str, Any]) -> Any:
    profile = state["profile"]
    return client.post(f"/profiles/{profile['id']}/delete/", {"confirm_name": profile["name"]})


def _delete_applied(sandbox: Any, state: dict[str, Any]) -> int:
    return int(_get(sandbox, f"/messaging_profiles/{state['profile']['id']}") is None)


def _bind_prepare(sandbox: Any) -> dict[str, Any]:
    return {
        "code": _short_code(sandbox, **{"filter[messaging_profile_id]": "null"}),
        "profile": _profile(sandbox),
    }


def _bind_post(client: Client, state: dict[str, Any]) -> Any:
    code = state["code"]
    data = {"messaging_profile_id": state["profile"]["id"], "updated_at": code["updated_at"]}
    return client.post(f"/short-codes/{code['id']}/bind/", data)


def _bind_applied(sandbox: Any, state: dict[str, Any]) -> int:
    current = _get(sandbox, f"/short_codes/{state['code']['id']}")
    return int(current is not None and current["messaging_profile_id"] == state["profile"]["id"])


def _unbind_prepare(sandbox: Any) -> dict[str, Any]:
    profile = sandbox.profile_named("Acme Bulk Notifications")
    return {"code": _short_code(sandbox, **{"filter[messaging_profile_id]": profile["id"]})}


def _unbind_post(client: Client, state: dict[str, Any]) -> Any:
    code = state["code"]
    return client.post(f"/short-codes/{code['id']}/unbind/", {"updated_at": code["updated_at"]})


def _unbind_applied(sandbox: Any, state: dict[str, Any]) -> int:
    current = _get(sandbox, f"/short_codes/{state['code']['id']}")
    return int(current is not None and current["messaging_profile_id"] is None)


def _tags_prepare(sandbox: Any) -> dict[str, Any]:
    return {"code": _short_code(sandbox), "tag": f"lossy-{uuid.uuid4().hex[:6]}"}


def _tags_post(client: Client, state: dict[str, Any]) -> Any:
    code = state["code"]
    data = {"tags": [*code["tags"], state["tag"]], "op": "save", "updated_at": code["updated_at"]}
    return client.post(f"/short-codes/{code['id']}/tags/", data)


def _tags_applied(sandbox: Any, state: dict[str, Any]) -> int:
    current = _get(sandbox, f"/short_codes/{state['code']['id']}")
    return 0 if current is None else current["tags"].count(state["tag"])


WRITES = [
    WriteCase(
        "create",
        "profile.create",
        "support_client",
        _create_prepare,
        _create_post,
        lambda sandbox, state: len(_named(sandbox, state["name"])),
    ),
    WriteCase("settings", "profile.update", "support_client", _edit_prepare, _edit_post, _edit_applied),
    WriteCase(
        "spend limit",
        "profile.spend_limit",
        "account_manager_client",
        _spend_prepare,
        _spend_post,
        _spend_applied,
    ),
    WriteCase("delete", "profile.delete", "support_client", _delete_prepare, _delete_post, _delete_applied),
    WriteCase("bind", "short_code.bind", "support_client", _bind_prepare, _bind_post, _bind_applied, 1),
    WriteCase(
        "unbind", "short_code.unbind", "support_client", _unbind_prepare, _unbind_post, _unbind_applied, 1
    ),
    WriteCase(
        "tags", "short_code.tags_update", "support_client", _tags_prepare, _tags_post, _tags_applied, 1
    ),
]

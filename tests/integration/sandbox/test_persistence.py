"""State survives a restart of the sandbox process; the seed is applied to a new database only."""

import pytest

from devservers.sandbox_process import SandboxProcess


@pytest.fixture
def own_sandbox():
    """A second sandbox process with its own database, so restarting it disturbs no other test."""
    with SandboxProcess() as process:
        yield process


def test_writes_survive_a_restart_and_deleted_seed_data_stays_deleted(own_sandbox):
    created = own_sandbox.post(
        "/messaging_profiles", json={"name": "Survivor", "whitelisted_destinations": ["FR"]}
    ).json()["data"]
    acme = own_sandbox.profile_named("Acme Bulk Notifications")
    assert own_sandbox.delete(f"/messaging_profiles/{acme['id']}").status_code == 200
    own_sandbox.set_faults(latency_ms=10)

    own_sandbox.restart()

    assert own_sandbox.get(f"/messaging_profiles/{created['id']}").json()["data"] == created
    assert own_sandbox.get(f"/messaging_profiles/{acme['id']}").status_code == 404
    assert own_sandbox.get("/messaging_profiles").json()["meta"]["total_results"] == 57  # 57 - 1 + 1
    assert own_sandbox.faults()["latency_ms"] == 0  # faults live in memory only
    own_sandbox.reset()
    assert own_sandbox.get(f"/messaging_profiles/{created['id']}").status_code == 404
    assert own_sandbox.profile_named("Acme Bulk Notifications") == acme


def test_a_different_key_is_honoured():
    with SandboxProcess(api_key="another-key-123") as process:
        assert process.get("/short_codes").status_code == 200
        assert (
            process.session.get(
                f"{process.api_url}/short_codes",
                headers={"Authorization": "Bearer sandbox-demo-key"},
                timeout=10,
            ).status_code
            == 401
        )

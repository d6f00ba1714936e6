"""Each logical call is logged once on `telnyx_admin.telnyx`: what an operator needs, never the key."""

import logging

import pytest

from telnyx_admin.telnyx import errors, profiles

LOGGER = "telnyx_admin.telnyx"


def _records(caplog):
    return [r for r in caplog.records if r.name == LOGGER]


def test_one_line_per_call_with_method_path_status_attempts_ms(
    telnyx_settings, sandbox, caplog, bulk_profile_id
):
    sandbox.set_faults(error_rate=0.5, error_status=503)
    profiles.list_profiles()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        profiles.retrieve_profile(profile_id=bulk_profile_id)  # fails once, retried
    (record,) = _records(caplog)
    assert record.levelno == logging.INFO
    assert record.telnyx_method == "GET"
    assert record.telnyx_path == f"/messaging_profiles/{bulk_profile_id}"
    assert record.telnyx_status == "200"
    assert record.telnyx_attempts == 2
    assert record.telnyx_ms > 0
    assert f"GET /messaging_profiles/{bulk_profile_id} -> 200 attempts=2" in record.getMessage()


def test_a_failure_is_logged_once_too(telnyx_settings, sandbox, caplog, settings):
    settings.TELNYX_MAX_RETRIES = 0
    sandbox.set_faults(drop_rate=1.0)
    with caplog.at_level(logging.INFO, logger=LOGGER), pytest.raises(errors.ConnectionFailed):
        profiles.list_profiles()
    (record,) = _records(caplog)
    assert record.telnyx_status == "ConnectionFailed"


def _every_text(caplog) -> str:
    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.extend(str(value) for value in vars(record).values())
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(texts)


def test_the_key_never_reaches_a_log_record(telnyx_settings, sandbox, settings, caplog, bulk_profile_id):
    good_key = settings.TELNYX_API_KEY
    with caplog.at_level(logging.DEBUG):
        profiles.list_profiles()
        profiles.retrieve_profile(profile_id=bulk_profile_id)
        sandbox.set_faults(error_rate=1.0, error_status=503)
        with pytest.raises(errors.ApiUnavailable):
            profiles.list_profiles()
        sandbox.set_faults(drop_rate=1.0)
        with pytest.raises(errors.ConnectionFailed):
            profiles.update_profile(profile_id=bulk_profile_id, changes={"name": "x"})
        sandbox.clear_faults()
        settings.TELNYX_API_KEY = "wrong-key-that-must-not-be-logged"
        with pytest.raises(errors.AuthFailed):
            profiles.list_profiles()
    assert len(_records(caplog)) == 5
    text = _every_text(caplog)
    assert good_key not in text
    assert "wrong-key-that-must-not-be-logged" not in text
    assert "Bearer" not in text

from django.conf import settings


def test_it_defaults_to_the_sandbox_without_a_key():
    assert settings.TELNYX_USES_SANDBOX is (settings.TELNYX_API_KEY == settings.SANDBOX_API_KEY)
    assert settings.TELNYX_API_BASE_URL.endswith("/v2")

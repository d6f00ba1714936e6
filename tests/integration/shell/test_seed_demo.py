import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def authenticate(*, username: str, password: str):
    user = get_user_model().objects.get(username=username)
    return user if user.check_password(password) else None


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_it_refuses_outside_demo_or_debug(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        _seed()
    assert not get_user_model().objects.exists()


def test_it_creates_one_user_per_role_and_an_admin_with_printed_passwords(settings):
    settings.DEMO_MODE = True
    output = _seed()
    printed = dict(re.findall(r"^  (\w+)\s+(\S+)\s{2}", output, re.MULTILINE))
    assert set(printed) == {"support", "accounts", "auditor", "admin"}
    groups = {}
    for username, password in printed.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        groups[username] = [group.name for group in user.groups.all()]
    assert groups == {
        "support": ["Support staff"],
        "accounts": ["Account managers"],
        "auditor": ["Auditors"],
        "admin": [],
    }
    assert get_user_model().objects.get(username="admin").is_superuser


def test_running_it_again_resets_the_passwords(settings):
    settings.DEBUG = True
    first = _seed(password="first-password-1")
    second = _seed(password="second-password-2")
    assert "first-password-1" in first and "second-password-2" in second
    assert authenticate(username="auditor", password="second-password-2") is not None
    assert get_user_model().objects.count() == 4


def test_force_overrides_the_guard(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    assert "support" in _seed(force=True)

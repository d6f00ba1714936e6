import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fixture", "section"),
    [
        ("support_client", "/profiles/"),
        ("account_manager_client", "/profiles/"),
        ("auditor_client", "/profiles/"),
        ("superuser_client", "/profiles/"),
    ],
)
def test_the_start_page_sends_each_role_to_its_first_section(request, fixture, section):
    response = request.getfixturevalue(fixture).get("/")
    assert response.status_code == 302
    assert response["Location"] == section


def test_the_start_page_needs_sign_in(client):
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_signed_in_users_visiting_the_login_page_go_to_the_start_page(auditor_client):
    response = auditor_client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"

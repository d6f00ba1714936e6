"""The UI language: English unless the browser asks for Chinese (Accept-Language, zh-CN included) or
the person chose one with the header's switcher (Django's set_language, kept in a cookie).

Needs the compiled catalogue (`make install` runs msgfmt on locale/*/LC_MESSAGES/django.po).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

COMPILED = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)">', response.content.decode())
    assert match, "no <html lang> on the page"
    return match.group(1)


@pytest.fixture(autouse=True)
def _compiled_catalogue():
    assert COMPILED.exists(), "the Chinese catalogue is not compiled: run `make install`"


def test_without_a_preference_the_page_is_english(client):
    response = client.get("/accounts/login/")
    assert _html_lang(response) == "en"
    assert "<h1>Sign in</h1>" in response.content.decode()


@pytest.mark.parametrize("accept", ["zh-CN", "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "zh", "zh-SG"])
def test_a_browser_asking_for_simplified_chinese_gets_it(client, accept):
    response = client.get("/accounts/login/", headers={"accept-language": accept})
    page = response.content.decode()
    assert _html_lang(response) == "zh-hans"
    assert "<h1>登录</h1>" in page
    assert "<title>登录 · Telnyx 管理后台</title>" in page
    # Django's own messages (the sign-in form's labels) come in Chinese too.
    assert "用户名" in page


def test_a_language_the_ui_does_not_have_falls_back_to_english(client):
    response = client.get("/accounts/login/", headers={"accept-language": "fr-FR,de;q=0.8"})
    assert _html_lang(response) == "en"


def test_signed_in_pages_and_python_messages_are_chinese(support_client, telnyx_settings):
    page = support_client.get("/profiles/", headers={"accept-language": "zh-CN"}).content.decode()
    assert "<h1>消息配置文件</h1>" in page
    assert ">退出登录</button>" in page
    # A role name (a group name in the database) is shown translated.
    assert '<span class="chip">支持人员</span>' in page
    # A form field label set in Python: the create form.
    page = support_client.get("/profiles/new/", headers={"accept-language": "zh-CN"}).content.decode()
    assert "Webhook 备用 URL" in page
    assert "使用号码池" in page


def test_destination_countries_are_named_in_the_page_language(support_client, telnyx_settings):
    chinese = support_client.get("/profiles/new/", headers={"accept-language": "zh-CN"}).content.decode()
    assert "英国 (GB)" in chinese and "United Kingdom (GB)" not in chinese
    # Built once at import, the choices still follow each request's language.
    english = support_client.get("/profiles/new/", headers={"accept-language": "en"}).content.decode()
    assert "United Kingdom (GB)" in english and "英国 (GB)" not in english


def test_the_not_found_page_follows_the_language(support_client):
    response = support_client.get("/no-such-page/", headers={"accept-language": "zh-CN"})
    assert response.status_code == 404
    assert "<h1>未找到</h1>" in response.content.decode()


def test_the_switcher_posts_to_set_language_with_the_current_page(client):
    page = client.get("/accounts/login/?next=/audit/").content.decode()
    form = re.search(r'<form class="language-switcher" method="post" action="([^"]+)".*?</form>', page, re.S)
    assert form and form.group(1) == "/i18n/setlang/"
    assert '<input type="hidden" name="next" value="/accounts/login/?next=/audit/">' in form.group(0)
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in form.group(0)
    assert '<option value="en" lang="en" selected>English</option>' in form.group(0)


def test_choosing_a_language_sticks_and_beats_the_browser():
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")  # the CSRF cookie, as a browser gets it with the page
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/i18n/setlang/",
        {"language": "zh-hans", "next": "/accounts/login/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    # Chosen Chinese: Chinese whatever the browser says.
    response = client.get("/accounts/login/", headers={"accept-language": "en-US"})
    assert _html_lang(response) == "zh-hans"
    page = response.content.decode()
    # Each language is offered in its own name, whatever the page's language.
    assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in page
    assert '<option value="en" lang="en">English</option>' in page

    back = {"language": "en", "next": "/accounts/login/", "csrfmiddlewaretoken": token}
    client.post("/i18n/setlang/", back)
    response = client.get("/accounts/login/", headers={"accept-language": "zh-CN"})
    assert _html_lang(response) == "en"


def test_an_unsafe_next_is_not_followed(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

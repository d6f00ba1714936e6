"""Pages driven over HTTP as a browser without JavaScript would: the login form, and any form
submitted as it stands or with some fields replaced."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import requests


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_first: tuple[str, str] | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = self.form_id is None or a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self.values.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = (self._select, value)
            if "selected" in a:
                self.values.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.values.append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_values(html: str, *, form_id: str | None = None) -> list[tuple[str, str]]:
    """What submitting the form unchanged would send: inputs, checked boxes, selected options.

    Pairs rather than a dict, so multi-valued fields survive; replace a field with `with_values()`.
    """
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.values


def sign_in(
    base_url: str, username: str, password: str, *, session: requests.Session | None = None, **kwargs: Any
) -> requests.Response:
    """Post the real login form as a browser would (fetch it for the CSRF token, then submit).

    Returns the POST's answer (302 on success), with `session` holding the cookies; `kwargs` go to
    both requests (`headers=`, `verify=`, ...).
    """
    session = session or requests.Session()
    form = session.get(base_url + "/accounts/login/", timeout=30, **kwargs)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, f"no login form at {base_url} ({form.status_code})"
    return session.post(
        base_url + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=30,
        **kwargs,
    )


def with_values(pairs: list[tuple[str, str]], **fields: str | list[str]) -> list[tuple[str, str]]:
    """`pairs` with every field named in `fields` replaced by the given value(s)."""
    kept = [(name, value) for name, value in pairs if name not in fields]
    for name, value in fields.items():
        kept.extend((name, item) for item in ([value] if isinstance(value, str) else value))
    return kept

"""Stored job messages: source text and values, translated when shown."""

from __future__ import annotations

from django.utils import translation

from jobs import messages


def test_a_message_is_shown_in_the_current_language():
    with translation.override("zh-hans"):
        assert messages.shown("Cancelled: not sent.") == "已取消：未发送。"
    with translation.override("en"):
        assert messages.shown("Cancelled: not sent.") == "Cancelled: not sent."


def test_values_go_into_the_translated_text():
    text, params = "Telnyx did not answer (%(error)s); read next time.", {"error": "ApiUnavailable"}
    with translation.override("zh-hans"):
        assert messages.shown(text, params) == "Telnyx 未回复（ApiUnavailable）；下次再读取。"
    assert messages.english(text, params) == "Telnyx did not answer (ApiUnavailable); read next time."


def test_text_the_catalogue_lacks_is_shown_as_stored():
    with translation.override("zh-hans"):
        stored = "Telnyx says: destination not allowed"
        assert messages.shown(stored) == stored
        # Never the catalogue's header, which is what gettext gives for "".
        assert messages.shown("") == ""


def test_values_that_no_longer_fit_the_text_show_the_source_text():
    with translation.override("zh-hans"):
        assert messages.shown("Changed meanwhile: %(reason)s", {"other": 1}) == (
            "Changed meanwhile: %(reason)s {'other': 1}"
        )

"""Field types of the profile forms: text sent exactly as typed, webhook URLs, number-pool weights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from profiles.validators import parse_weight, validate_api_url


class ApiTextField(forms.CharField):
    """A CharField that sends exactly what was typed (`strip=False`: stripping would change the value
    the API gets).

    Django's ban on NUL characters stays, although the API's rules do not forbid them: nobody types
    one on purpose, PostgreSQL cannot store one in the audit log, and a profile named with one could
    not be told apart from its look-alike. This is the one place the forms are stricter than the API
    (the form-vs-API comparison test leaves NUL out, and the README lists it).
    """

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ApiUrlField(ApiTextField):
    """A webhook URL. Blank means "clear" and is sent as ""; otherwise the API's URL rule applies."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("validators", [validate_api_url])
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}))
        super().__init__(**kwargs)


class WeightField(forms.Field):
    """A number-pool weight, typed as text and cleaned to an int or float (see `parse_weight`).
    Blank cleans to None; whether it is required depends on the number-pool toggle (checked in `clean`)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> int | float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise forms.ValidationError(_("Enter a number, e.g. 10 or 2.5."), code="invalid")
        if isinstance(value, int | float):
            value = repr(value)
        return parse_weight(str(value))


def weight_text(value: Any) -> str:
    """The text to show in a weight input for a number the API returned."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)

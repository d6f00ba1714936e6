"""The delete confirmation: the profile's name, typed exactly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NUL_SHOWN_AS = "\u2400"  # ␀, how pages and the audit log show a NUL character


class ProfileDeleteForm(forms.Form):
    """Delete confirmation: the user types the profile's name, which must match exactly (case, spaces).

    A name holding NUL characters (possible at Telnyx, impossible to type) is confirmed by typing it as
    the page shows it, with ␀ for each NUL."""

    confirm_name = forms.CharField(
        label=_("Type the profile's name to confirm"),
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, profile_name: str, **kwargs: Any):
        super().__init__(data, **kwargs)
        self.profile_name = profile_name

    def clean_confirm_name(self) -> str:
        typed: str = self.cleaned_data["confirm_name"]
        if typed not in (self.profile_name, self.profile_name.replace("\x00", NUL_SHOWN_AS)):
            raise forms.ValidationError(
                gettext(
                    "That is not the profile's name. Type it exactly as shown, including capitals and spaces."
                ),
                code="mismatch",
            )
        return typed

"""What every form that changes an existing profile shares: initial values from the profile and the
hidden `updated_at` stamp. A form gives all its values (`api_values()`); which of them differ from
what Telnyx holds is decided by the write path alone (writes.path.update), on the profile it re-reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from profiles.forms.nested import ProfileLike, current_values, initial_from_profile, profile_dict


class PatchForm(forms.Form):
    """A form over an existing profile (a `MessagingProfile` or its `to_dict()`).

    Subclasses list the API attributes they edit with `remember_current(...)` and give their
    values in API shape with `api_values()`.
    """

    updated_at = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, data: Mapping[str, Any] | None = None, *, profile: ProfileLike, **kwargs: Any):
        self.profile_data = profile_dict(profile)
        kwargs["initial"] = {
            **initial_from_profile(self.profile_data, list(self.base_fields)),
            "updated_at": self.profile_data.get("updated_at") or "",
            **kwargs.get("initial", {}),
        }
        super().__init__(data, **kwargs)
        self.current: dict[str, Any] = {}

    def remember_current(self, api_names: list[str]) -> None:
        """The profile's values of the attributes this form edits, for validation that depends on
        them (a spend limit that is set cannot be blanked)."""
        self.current = current_values(self.profile_data, api_names)

    def api_values(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def expected_updated_at(self) -> str:
        """The profile's `updated_at` when the form was loaded, for the use case's staleness check."""
        return str(self.cleaned_data["updated_at"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The stamp is hidden: an error beside it would be invisible, so say it at the top of the form.
        if "updated_at" in self.errors:
            self.errors.pop("updated_at")
            self.add_error(None, _("This form is missing its version stamp; reload the page and try again."))
        # The API has no "remove the limit": "" is not an amount. An empty box that was empty is no change.
        if cleaned.get("daily_spend_limit") == "" and self.current.get("daily_spend_limit") != "":
            self.add_error(
                "daily_spend_limit",
                forms.ValidationError(_("Enter an amount in USD, e.g. 100 or 25.50."), code="required"),
            )
        return cleaned

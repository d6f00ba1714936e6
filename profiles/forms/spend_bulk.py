"""Forms of the spend-limit overview's account-manager tools: a bulk change and a CSV import.

The amount is the spend-limit form's own field (same validators, same messages); the import checks
each of its rows with the spend-limit form itself (profiles/spend_import.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles.forms.spend_limit import SpendLimitFields

ENFORCE_CHOICES = [("", _("Leave as is")), ("on", _("Enforce")), ("off", _("Do not enforce"))]
SCOPE_SELECTED, SCOPE_MATCHING = "selected", "matching"
# The CSV import: at most this many rows, and a file no larger than this (10,000 long rows fit).
IMPORT_MAX_ROWS = 10_000
IMPORT_MAX_BYTES = 2 * 1024 * 1024


class BulkSpendLimitForm(SpendLimitFields):
    """A change for many profiles: an amount and/or enforcement, for the selected rows or for every
    profile matching the overview's filter (`filter` carries the overview's query string)."""

    scope = forms.ChoiceField(
        choices=[(SCOPE_SELECTED, _("Selected profiles")), (SCOPE_MATCHING, _("All matching this filter"))],
        initial=SCOPE_SELECTED,
        widget=forms.RadioSelect,
        label=_("Change"),
    )
    profile = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    filter = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    enforce = forms.ChoiceField(choices=ENFORCE_CHOICES, required=False, label=_("Enforcement"))

    field_order = ["scope", "daily_spend_limit", "enforce"]

    def __init__(self, *args: Any, known_ids: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Enforcement is a three-way choice here (leave, on, off), not the single form's checkbox.
        self.fields.pop("daily_spend_limit_enabled")
        self.fields["daily_spend_limit"].help_text = _("Leave empty to keep each profile's amount.")
        profile_field = self.fields["profile"]
        assert isinstance(profile_field, forms.MultipleChoiceField)
        profile_field.choices = [(profile_id, profile_id) for profile_id in sorted(known_ids or ())]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("daily_spend_limit") and not cleaned.get("enforce") and not self.errors:
            raise forms.ValidationError(_("Set an amount, enforcement, or both."), code="nothing")
        if (
            cleaned.get("scope") == SCOPE_SELECTED
            and not cleaned.get("profile")
            and "profile" not in self.errors
        ):
            raise forms.ValidationError(
                _("Select at least one profile, or choose “All matching this filter”."), code="empty"
            )
        return cleaned

    def limit(self) -> str | None:
        return self.cleaned_data.get("daily_spend_limit") or None

    def enabled(self) -> bool | None:
        return {"on": True, "off": False}.get(self.cleaned_data.get("enforce") or "")

    def fields_set(self) -> list[str]:
        names = []
        if self.limit() is not None:
            names.append("daily_spend_limit")
        if self.enabled() is not None:
            names.append("daily_spend_limit_enabled")
        return names


class SpendLimitImportForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # read_rows says what an empty file lacks, naming line 1
        label=_("CSV file"),
        help_text=_(
            "Columns profile_id, daily_spend_limit, daily_spend_limit_enabled (true or false), with "
            "that header line; UTF-8; up to 10,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

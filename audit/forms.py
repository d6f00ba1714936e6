"""The audit log's filter form: who, what, which object, when; plus paging."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from audit.models import AuditEntry
from audit.readable import action_label, object_type_label
from telnyx_admin.paging import PagingForm

# Dates outside these years cannot hold an entry; checking here keeps "the day after" computable.
EARLIEST_YEAR, LATEST_YEAR = 2000, 9998


def _within_range(value: date | None) -> date | None:
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise forms.ValidationError(
            gettext_lazy("Enter a date between the years %(first)d and %(last)d."),
            code="out_of_range",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
    return value


def _action_choice(code: str) -> str:
    """An action as the log's table names it, with its code (what the CSV and the URL carry)."""
    label = action_label(code)
    if label == code:
        return code
    return gettext("%(label)s (%(code)s)") % {"label": label, "code": code}


class AuditFilterForm(PagingForm):
    user = forms.CharField(required=False, max_length=150, label=gettext_lazy("User"))
    action = forms.ChoiceField(required=False, label=gettext_lazy("Action"))
    object_type = forms.ChoiceField(required=False, label=gettext_lazy("Object type"))
    object_id = forms.CharField(required=False, max_length=128, label=gettext_lazy("Object id"))
    outcome = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Outcome"),
        choices=[("", gettext_lazy("Any outcome")), *AuditEntry.Outcome.choices],
    )
    date_from = forms.DateField(
        required=False, label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Offer only values that occur in the log, so every choice finds something.
        action, object_type = self.fields["action"], self.fields["object_type"]
        assert isinstance(action, forms.ChoiceField) and isinstance(object_type, forms.ChoiceField)
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        named = sorted(((value, _action_choice(value)) for value in actions), key=lambda c: c[1].lower())
        action.choices = [("", gettext("Any action")), *named]
        types = AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
        typed = ((value, object_type_label(value)) for value in types)
        object_type.choices = [("", gettext("Any type")), *typed]

    def clean_date_from(self) -> date | None:
        return _within_range(self.cleaned_data.get("date_from"))

    def clean_date_to(self) -> date | None:
        return _within_range(self.cleaned_data.get("date_to"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `audit.services.entry_search`; invalid fields are left out."""
        self.is_valid()
        names = ("user", "action", "object_type", "object_id", "outcome", "date_from", "date_to")
        return {
            name: self.cleaned_data[name]
            for name in names
            if self.cleaned_data.get(name) and name not in self.errors
        }

"""The daily spend limit: its two fields (written once, used by every profile form) and the account
managers' own form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles.forms.fields import ApiTextField
from profiles.forms.nested import ProfileLike
from profiles.forms.patch import PatchForm
from profiles.forms.widgets import AmountInput
from profiles.validators import validate_spend_limit
from telnyx_admin.forms import add_api_errors
from telnyx_admin.telnyx.errors import ValidationFailed

SPEND_LIMIT_FIELD_NAMES = ("daily_spend_limit", "daily_spend_limit_enabled")
# HTML `pattern` attributes are anchored by the browser; they only give early feedback, the server decides.
SPEND_LIMIT_HTML_PATTERN = r"[0-9]+(\.[0-9]+)?"
# Telnyx refuses any update of a profile without destinations, pointing at a field this form lacks.
DESTINATIONS_POINTER = "/whitelisted_destinations"
NO_DESTINATIONS_MESSAGE = _(
    "Telnyx changes the spend limit only of a profile with destinations, and this profile has none. "
    "Support staff must set its destinations first (Edit settings, Outbound); then save the spend "
    "limit again."
)


class SpendLimitFields(forms.Form):
    """`daily_spend_limit` and `daily_spend_limit_enabled`, as every form that shows them has them."""

    daily_spend_limit = ApiTextField(
        label=_("Daily spend limit (USD)"),
        validators=[validate_spend_limit],
        widget=AmountInput(unit="USD", attrs={"pattern": SPEND_LIMIT_HTML_PATTERN}),
        help_text=_("An amount in US dollars, e.g. 100 or 25.50."),
    )
    daily_spend_limit_enabled = forms.BooleanField(
        label=_("Enforce the daily spend limit"),
        required=False,
        help_text=_("When on, Telnyx stops sending for the rest of the day once the limit is reached."),
    )


def drop_spend_limit_unless(form: forms.Form, allowed: bool) -> None:
    """Spend limits belong to account managers: for anyone else the fields are not in the form at all,
    so they are neither shown nor accepted (a crafted POST of them is ignored, never sent)."""
    if not allowed:
        for name in SPEND_LIMIT_FIELD_NAMES:
            form.fields.pop(name, None)


class SpendLimitForm(SpendLimitFields, PatchForm):
    """The account managers' form: the two spend-limit attributes of a profile, with its `updated_at`;
    `api_values()` gives both (the write path sends only what differs)."""

    field_order = [*SPEND_LIMIT_FIELD_NAMES, "updated_at"]

    def __init__(self, data: Mapping[str, Any] | None = None, *, profile: ProfileLike, **kwargs: Any):
        super().__init__(data, profile=profile, **kwargs)
        self.remember_current(list(SPEND_LIMIT_FIELD_NAMES))

    def api_values(self) -> dict[str, Any]:
        """The two spend-limit attributes in API shape (call only on a valid form)."""
        if not self.is_valid():
            raise ValueError("api_values() needs a valid form; check is_valid() first")
        return {name: self.cleaned_data[name] for name in SPEND_LIMIT_FIELD_NAMES}

    def add_api_errors(self, exc: ValidationFailed) -> None:
        """A 422's errors on this form; missing destinations, which an account manager cannot set
        here, become a message saying who can."""
        others = tuple(error for error in exc.errors if error.pointer != DESTINATIONS_POINTER)
        if len(others) == len(exc.errors):
            add_api_errors(self, exc)
            return
        self.add_error(None, NO_DESTINATIONS_MESSAGE)
        if others:
            add_api_errors(self, ValidationFailed(exc.message, status=exc.status, errors=others))

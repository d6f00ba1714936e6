"""The number lookup's filters, from the URL. URLs are edited and shared: a value that is not valid is
named beside its field and left out, while the other filters apply."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phone_numbers.selectors import NumberQuery
from telnyx_admin.paging import PagingForm

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

PERCENT_ERRORS = {
    "invalid": _("Enter a percentage from 0 to 100, such as 80 or 2.5."),
    "min_value": _("Enter a percentage from 0 to 100, such as 80 or 2.5."),
    "max_value": _("Enter a percentage from 0 to 100, such as 80 or 2.5."),
    "max_digits": _("Enter a percentage from 0 to 100, such as 80 or 2.5."),
    "max_decimal_places": _("Enter a percentage from 0 to 100, such as 80 or 2.5."),
}
NUMBER_ERROR = _(
    "Enter digits of a number, such as +1415 or 555-0100; only spaces, dashes, brackets, dots and + "
    "may go with them."
)
# What the lookup says it takes (README, "Find a number"): digits, and the marks people write
# around them, which digits_of drops. ASCII digits only: the index holds no others.
_NUMBER_TEXT = re.compile(r"[0-9\s().+-]+")
_A_DIGIT = re.compile(r"[0-9]")
FILTERS = ("q", "profile", "type", "country", "tag", "delivered_below", "spam_above")


def _percent(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        label=label,
        error_messages=PERCENT_ERRORS,
    )


class NumberSearchForm(PagingForm):
    q = forms.CharField(required=False, max_length=64, label=_("Number contains"))
    profile = forms.CharField(required=False, max_length=200, label=_("Profile (name or id)"))
    type = forms.CharField(required=False, max_length=32, label=_("Type"))
    country = forms.CharField(required=False, max_length=8, label=_("Country"))
    tag = forms.CharField(required=False, max_length=100, label=_("Tag"))
    delivered_below = _percent(_("Delivered below (%)"))
    spam_above = _percent(_("Spam above (%)"))

    def clean_q(self) -> str:
        # Letters alone would leave no digits to match, and the lookup would list every number as
        # if that were the answer; letters among digits would be dropped just as silently.
        text = str(self.cleaned_data.get("q") or "")
        if text and not (_NUMBER_TEXT.fullmatch(text) and _A_DIGIT.search(text)):
            raise ValidationError(NUMBER_ERROR, code="invalid")
        return text

    def clean_tag(self) -> str:
        # Tags hold no spaces; the index keeps them space-separated.
        return "".join(str(self.cleaned_data.get("tag") or "").split())

    def query(self) -> NumberQuery:
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = getattr(self, "cleaned_data", {})
        return NumberQuery(
            number=str(data.get("q") or ""),
            profile=str(data.get("profile") or "").strip(),
            type=str(data.get("type") or "").strip(),
            country=str(data.get("country") or "").strip(),
            tag=str(data.get("tag") or ""),
            delivered_below=data.get("delivered_below"),
            spam_above=data.get("spam_above"),
        )

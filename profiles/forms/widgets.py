"""Widgets of the profile forms. No inline script anywhere, so the strict CSP holds."""

from __future__ import annotations

from typing import Any

from django import forms


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """A list of checkboxes in a scrolling box, with a filter box above it and the chosen items as chips
    below it (static/js/multiselect-filter.js hides the boxes that do not match what is typed; checked
    ones stay visible). Clicking or Space toggles one item without touching the others, unlike a
    `<select multiple>`. Without JavaScript it is a plain list of checkboxes."""

    template_name = "profiles/widgets/searchable_checkboxes.html"

    class Media:
        js = ["js/multiselect-filter.js"]


class RevealToggle(forms.CheckboxInput):
    """A checkbox that shows the element whose id is in `data-reveals` only while checked
    (static/js/reveal-toggle.js). The fieldsets of `ProfileFormBase.fieldsets` carry that id."""

    class Media:
        js = ["js/reveal-toggle.js"]

    def __init__(self, reveals: str, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={**(attrs or {}), "data-reveals": reveals, "aria-controls": reveals})


class AmountInput(forms.TextInput):
    """A text box for an amount, with its currency written after it (the unit is not part of the value)."""

    template_name = "profiles/widgets/amount.html"

    def __init__(self, *, unit: str, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={"inputmode": "decimal", **(attrs or {})})
        self.unit = unit

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["unit"] = self.unit
        return context

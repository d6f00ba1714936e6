"""{% load number_types %}{{ number.type|number_type }}: see phone_numbers/number_types.py."""

from __future__ import annotations

from django import template

from phone_numbers.number_types import number_type_label

register = template.Library()
register.filter("number_type", number_type_label)

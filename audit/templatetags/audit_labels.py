"""{% load audit_labels %}{{ entry.object_type|object_type }}: an object type (`messaging_profile`) by
its name for people ("Messaging profile"), from audit.services.OBJECT_TYPES."""

from __future__ import annotations

from django import template

from audit.readable import object_type_label

register = template.Library()
register.filter("object_type", object_type_label)

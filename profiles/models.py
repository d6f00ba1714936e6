"""Messaging profiles live at Telnyx; this model only carries the permissions for the role matrix.

It is unmanaged and has no table: Django creates its content type and permissions, and groups
hold them, so an organisation can regroup who may do what in the admin.
"""

from django.db import models


class MessagingProfile(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view", "add", "change", "delete")
        permissions = [("change_spend_limit", "Can change a messaging profile's daily spend limit")]
        verbose_name = "messaging profile"

    def __str__(self) -> str:  # pragma: no cover - never instantiated
        return "messaging profile"

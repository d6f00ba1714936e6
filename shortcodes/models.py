"""Short codes live at Telnyx; this model only carries the permissions for the role matrix.

`change_shortcode` covers binding a short code to a profile, unbinding it and editing its tags.
"""

from django.db import models


class ShortCode(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view", "change")
        verbose_name = "short code"

    def __str__(self) -> str:  # pragma: no cover - never instantiated
        return "short code"

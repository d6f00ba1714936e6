"""Leases behind the per-object write lock on databases without advisory locks (SQLite and others).

PostgreSQL uses session advisory locks instead (writes.locks); this table is then unused.
"""

from django.db import models


class WriteLease(models.Model):
    key = models.CharField(max_length=255, primary_key=True)
    holder = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.key

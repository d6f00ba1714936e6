"""Django's PostgreSQL backend with the calls it makes on the driver's connection guarded in requests
(telnyx_admin.database_guard); `ENGINE = "telnyx_admin.guarded_postgresql"`."""

from django.apps import AppConfig


class PhoneNumbersConfig(AppConfig):
    """The number index: every phone number the account's profiles hold, searchable at once."""

    name = "phone_numbers"
    verbose_name = "Number index"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from phone_numbers import schedule
        from phone_numbers.index import profile_deleted, profile_renamed
        from writes.succeeded import on_success

        schedule.register()
        # Our own writes change the index at once, not at the next refresh.
        on_success("profile.delete", profile_deleted)
        on_success("profile.update", profile_renamed)

"""Forms of the short-code pages. Field names are the API's (`messaging_profile_id`, `tags`).

The rules mirror the API's contract for `PATCH /short_codes/{id}` (`telnyx-api-errors.md` and the
sandbox's documented limits), written here independently of the sandbox's JSON Schema:
- `messaging_profile_id`: a profile id (a UUID); null or "" unbinds, which is the unbind form's job.
- `tags`: at most 20; each 1 to 64 characters and not only whitespace.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from telnyx_admin.ids import is_telnyx_id
from telnyx_admin.paging import PagingForm

UNASSIGNED = "unassigned"
TAGS_MAX_ITEMS = 20
TAG_MAX_LENGTH = 64
SEARCH_MAX_LENGTH = 100
PICKER_RESULTS = 10


def validate_profile_id(value: str) -> None:
    if not is_telnyx_id(value):
        raise ValidationError(gettext("Choose a messaging profile from the list."), code="invalid")


def validate_tag(value: str) -> None:
    """One tag, as the API checks it: 1..64 characters, not only whitespace."""
    if not value or value.isspace():
        raise ValidationError(gettext("A tag cannot be empty or only spaces."), code="blank")
    if "\x00" in value:
        raise ValidationError(
            gettext("A tag cannot contain NUL characters."), code="null_characters_not_allowed"
        )
    if len(value) > TAG_MAX_LENGTH:
        raise ValidationError(
            gettext("A tag can have at most %(limit)d characters (this one has %(length)d)."),
            code="max_length",
            params={"limit": TAG_MAX_LENGTH, "length": len(value)},
        )


def validate_tags(values: list[str]) -> None:
    if len(values) > TAGS_MAX_ITEMS:
        raise ValidationError(
            gettext("A short code can have at most %(limit)d tags."),
            code="max_items",
            params={"limit": TAGS_MAX_ITEMS},
        )
    problems: list[str] = []
    seen: set[str] = set()
    for value in values:
        try:
            validate_tag(value)
        except ValidationError as exc:
            problems.extend(f"“{value}”: {message}" for message in exc.messages)
        if value in seen:
            problems.append(gettext("“%(tag)s” is listed twice: each tag may appear once.") % {"tag": value})
        seen.add(value)
    if problems:
        raise ValidationError(problems)


class ShortCodeFilterForm(PagingForm):
    """The list's state in the URL: `profile` (empty = all, "unassigned", or a profile id), paging."""

    profile = forms.CharField(required=False, max_length=64)
    number = forms.CharField(required=False, max_length=15)

    def clean_number(self) -> str:
        # Short codes are digits; spaces or dashes typed between them are ignored.
        value = "".join(self.cleaned_data["number"].split()).replace("-", "")
        if value and not value.isdigit():
            raise ValidationError(
                gettext_lazy("A short code has digits only: showing short codes with any number."),
                code="invalid",
            )
        return value

    def clean_profile(self) -> str:
        value = self.cleaned_data["profile"].strip()
        if value and value != UNASSIGNED and not is_telnyx_id(value):
            raise ValidationError(gettext("Unknown filter: showing all short codes."), code="invalid")
        return value.lower()

    def query(self) -> dict[str, Any]:
        """Keyword arguments for `list_short_codes`; an invalid filter falls back to all."""
        number, size = self.paging()
        profile = self.cleaned_data.get("profile", "") if "profile" not in self.errors else ""
        return {
            "number_contains": self.cleaned_data.get("number", "") if "number" not in self.errors else "",
            "messaging_profile_id": profile if profile and profile != UNASSIGNED else None,
            "unassigned": profile == UNASSIGNED,
            "page_number": number,
            "page_size": size,
        }

    @property
    def selected_profile(self) -> str:
        self.is_valid()
        return "" if "profile" in self.errors else self.cleaned_data.get("profile", "")


class ProfileSearchForm(forms.Form):
    """The picker's query: part of a profile name, and which input name the options carry."""

    FIELDS = (("profile", "profile"), ("messaging_profile_id", "messaging_profile_id"))

    name_contains = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH)
    field = forms.ChoiceField(choices=FIELDS, required=False)
    selected = forms.CharField(required=False, max_length=64)

    def search(self) -> tuple[str, str, str]:
        """(text, field name, selected id), each with a safe fallback when invalid."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return (
            (data.get("name_contains") or "").strip(),
            data.get("field") or "messaging_profile_id",
            data.get("selected") or "",
        )


def validate_stamp(value: str) -> None:
    """An `updated_at` as Telnyx writes it (ISO 8601). Compared as text with the short code's own, so
    it is only checked, never rewritten."""
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError("not a timestamp", code="invalid")


class StaleCheckForm(forms.Form):
    """`updated_at` of the short code when the form was rendered; writes refuse if it has moved.

    Required and checked: without a readable stamp there is nothing to compare, and a write that
    skipped the check could silently overwrite someone else's change."""

    updated_at = forms.CharField(
        max_length=64, strip=False, widget=forms.HiddenInput, validators=[validate_stamp]
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        # The stamp is hidden: an error beside it would be invisible, so say it at the top of the form.
        if "updated_at" in self.errors:
            self.errors.pop("updated_at")
            self.add_error(
                None, gettext("This form is missing its version stamp; reload the page and try again.")
            )
        return self.cleaned_data


class ProfileChoiceField(forms.CharField):
    """A profile id chosen with the profile picker: its radios, not a text box."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "shortcodes/fields/profile_choice.html")
        super().__init__(**kwargs)


class BindForm(StaleCheckForm):
    messaging_profile_id = ProfileChoiceField(
        label=gettext_lazy("Messaging profile"),
        max_length=64,
        validators=[validate_profile_id],
        error_messages={"required": gettext_lazy("Choose the messaging profile to bind this short code to.")},
    )

    # The name of the profile chosen before the form came back, shown beside its radio.
    picked_name: str | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The field has no text box of its own: the error summary links to the picker's search box
        # (picker_id "bind-picker" in short_code_detail.html), where a profile is found and chosen.
        self.fields["messaging_profile_id"].widget.attrs["id"] = "bind-picker-search"

    def clean_messaging_profile_id(self) -> str:
        return self.cleaned_data["messaging_profile_id"].strip().lower()


class UnbindForm(StaleCheckForm):
    pass


class TagsWidget(forms.Widget):
    """The current tags as a list (one `tags` value each); not hidden, so API errors land beside it."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getlist = getattr(data, "getlist", None)
        return list(getlist(name)) if getlist else list(data.get(name) or [])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # no tags submitted means "no tags", not "unchanged"

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return SafeString("")  # the field's template draws the chips


class TagsField(forms.Field):
    widget = TagsWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "shortcodes/fields/tags.html")  # the chips
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return [value]
        return [str(item) for item in value]

    def validate(self, value: list[str]) -> None:
        validate_tags(value)


class TagsForm(StaleCheckForm):
    """Chips: `tags` holds the current list; `new_tag` + the "add" button, or a chip's "remove"
    button, change the list without calling Telnyx; "save" sends it."""

    ADD, SAVE = "add", "save"

    tags = TagsField(required=False, label=gettext_lazy("Tags"))
    # Longer than a tag may be, so that a long one gets the message instead of being cut by the browser.
    new_tag = forms.CharField(
        required=False,
        strip=False,
        max_length=TAG_MAX_LENGTH * 4,
        label=gettext_lazy("Add a tag"),
        help_text=(
            gettext_lazy(
                "1 to 64 characters, not only spaces; at most 20 tags. Changes are kept here until you save."
            )
        ),
    )
    remove = forms.CharField(required=False, strip=False)
    op = forms.ChoiceField(choices=((ADD, ADD), (SAVE, SAVE)), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # A 422 about `/tags/3` belongs beside the tags, whichever item it names.
        self.api_pointer_fields = {f"/tags/{index}": "tags" for index in range(TAGS_MAX_ITEMS + 5)}
        self.fields["new_tag"].widget.attrs.update({"maxlength": TAG_MAX_LENGTH, "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        tags: list[str] = list(cleaned.get("tags") or [])
        if "tags" in self.errors:
            # Keep what was submitted so the chips can be fixed, not lost.
            tags = TagsField().to_python(self.data.getlist("tags") if hasattr(self.data, "getlist") else [])
        remove = cleaned.get("remove")
        if remove:
            tags = [tag for tag in tags if tag != remove]
            self.errors.pop("tags", None)
            try:
                validate_tags(tags)
            except ValidationError as exc:
                self.add_error("tags", exc)
        elif cleaned.get("op") == self.ADD or (
            cleaned.get("op") == self.SAVE and (cleaned.get("new_tag") or "").strip()
        ):
            # "Save" with text still in the box adds it too, so a typed tag is never silently dropped.
            new = (cleaned.get("new_tag") or "").strip()
            try:
                validate_tag(new)
            except ValidationError as exc:
                self.add_error("new_tag", exc)
            else:
                if new in tags:
                    self.add_error(
                        "new_tag", gettext("“%(tag)s” is already a tag of this short code.") % {"tag": new}
                    )
                elif len(tags) >= TAGS_MAX_ITEMS:
                    self.add_error(
                        "new_tag",
                        gettext("A short code can have at most %(limit)d tags: remove one first.")
                        % {"limit": TAGS_MAX_ITEMS},
                    )
                else:
                    tags.append(new)
                    cleaned["new_tag"] = ""
                    self.tag_added = True
                    # The typed text became a chip: the box comes back empty.
                    data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
                    data["new_tag"] = ""
                    self.data = data
        cleaned["tags"] = tags
        return cleaned

    tag_added = False

    @property
    def is_save(self) -> bool:
        return self.cleaned_data.get("op") == self.SAVE and not self.cleaned_data.get("remove")

    def current_tags(self) -> list[str]:
        """The chips to draw: the edited list when bound, else the initial tags."""
        if self.is_bound:
            self.is_valid()
            return list(self.cleaned_data.get("tags") or [])
        return list(self.initial.get("tags") or [])


class TabBindForm(forms.Form):
    """On a profile's short-codes tab: pick one of the unassigned short codes."""

    short_code_id = forms.ChoiceField(
        label=gettext_lazy("Bind an unassigned short code to this profile"),
        error_messages={
            "required": gettext_lazy("Choose the short code to bind."),
            "invalid_choice": gettext_lazy("That short code is no longer unassigned."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["short_code_id"]
        field.choices = [("", gettext("Choose a short code…")), *(choices or [])]  # type: ignore[attr-defined]
        if not choices:
            field.help_text = gettext("There are no unassigned short codes.")


# Ticked short codes one bulk change may name: one list page at its largest. More: "all matching".
BULK_MAX_SELECTED = 250


class ShortCodeIdsField(forms.Field):
    """The ticked short codes: repeated `short_code_id` values, each a short code id."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return [str(item).strip().lower() for item in values]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if any(not is_telnyx_id(item) for item in value):
            raise ValidationError(
                gettext_lazy("That is not a list of short codes; tick them again."), code="invalid"
            )
        if len(value) > BULK_MAX_SELECTED:
            raise ValidationError(
                gettext_lazy("Tick at most %(limit)d short codes, or choose all matching the filter."),
                code="max_items",
                params={"limit": BULK_MAX_SELECTED},
            )


class BulkForm(forms.Form):
    """A bulk bind or unbind: which short codes (ticked, or all matching the list's filter), what to do,
    and for a bind the profile. `fingerprint` is set by the preview and checked on confirmation."""

    SELECTED, MATCHING = "selected", "matching"

    operation = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=(("bind", gettext_lazy("Bind to a profile")), ("unbind", gettext_lazy("Unbind"))),
        widget=forms.RadioSelect,
        initial="bind",
    )
    scope = forms.ChoiceField(
        choices=(
            (SELECTED, gettext_lazy("The ticked short codes")),
            (MATCHING, gettext_lazy("All matching the filter")),
        ),
        initial=SELECTED,
        widget=forms.RadioSelect,
    )
    short_code_id = ShortCodeIdsField(required=False)
    profile = forms.CharField(required=False, max_length=64)  # the list's filter
    messaging_profile_id = forms.CharField(required=False, max_length=64)
    fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_profile(self) -> str:
        value = self.cleaned_data["profile"].strip().lower()
        if value and value != UNASSIGNED and not is_telnyx_id(value):
            raise ValidationError(gettext_lazy("Unknown filter."), code="invalid")
        return value

    def clean_messaging_profile_id(self) -> str:
        return self.cleaned_data["messaging_profile_id"].strip().lower()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        ticked = cleaned.get("short_code_id") or self.errors.get("short_code_id")
        if cleaned.get("scope") == self.SELECTED and not ticked:
            self.add_error(
                "short_code_id",
                ValidationError(
                    gettext_lazy("Tick at least one short code, or choose all matching the filter."),
                    code="required",
                ),
            )
        if cleaned.get("operation") == "bind" and "messaging_profile_id" not in self.errors:
            target = cleaned.get("messaging_profile_id") or ""
            if not target:
                self.add_error(
                    "messaging_profile_id",
                    ValidationError(
                        gettext_lazy("Choose the profile to bind the short codes to."), code="required"
                    ),
                )
            elif not is_telnyx_id(target):
                self.add_error(
                    "messaging_profile_id", ValidationError(gettext_lazy("Choose a profile from the list."))
                )
        return cleaned

    @property
    def matching(self) -> bool:
        return self.cleaned_data.get("scope") == self.MATCHING

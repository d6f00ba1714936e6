"""Forms for messaging profiles: create, edit settings, spend limit, delete confirmation.

Field names are the API's attribute names (`name`, `whitelisted_destinations`, `daily_spend_limit`, …)
so 422 pointers, audit entries and form errors line up. Nested objects use a double underscore where
the JSON pointer has a slash: `number_pool_settings__long_code_weight` is
`/number_pool_settings/long_code_weight` (a dot would be closer to the API, but Django templates split
variable names on dots).

Representation decisions, applied the same way by every form here:
- Text is sent exactly as typed (`strip=False`): the form never silently changes a value.
- Blank URLs are sent as "" (the API's "clear"); blank `alpha_sender`, `resource_group_id`,
  `ai_assistant_id` are sent as null; a blank `daily_spend_limit` is left out on create.
- `number_pool_enabled` / `url_shortener_enabled` are the form's own toggles (not API attributes): off
  sends `null` for the whole object and ignores its fields; on sends the whole object.
- Weights are sent as JSON numbers: int when typed as an integer, float otherwise.

Validation mirrors the API's 422 rules (profiles/validators.py); anything the API still rejects is put
beside the right field by `telnyx_admin.forms.add_api_errors`.

Modules: `fields` and `widgets` (the building blocks), `nested` (the two nested objects and how a
profile fills a form), `patch` (what every form that changes an existing profile shares),
`settings_form` (create and edit), `spend_limit` (the spend-limit fields, written once, and the
account managers' form), `delete`.
"""

from profiles.forms.delete import ProfileDeleteForm
from profiles.forms.settings_form import ProfileCreateForm, ProfileEditForm
from profiles.forms.spend_limit import SpendLimitForm

__all__ = ["ProfileCreateForm", "ProfileDeleteForm", "ProfileEditForm", "SpendLimitForm"]

"""How every form field of the site is drawn: one project template, `templates/forms/field.html`.

Templates write `{{ form.name.as_field_group }}`; a field that needs other markup names its own
template with `template_name=` on the field, still rendered through this renderer.
"""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer over the project's TEMPLATES, with the project's field template."""

    field_template_name = "forms/field.html"

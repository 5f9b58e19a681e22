from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form and field renders through the project's one pair of templates: ``{{ form }}``
    and ``{{ form.<field>.as_field_group }}`` draw the label, input, help and errors the same way
    everywhere, errors linked to their input for screen readers."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class BootstrapMixin:
    """Bootstrap classes on every widget; ``is-invalid`` on the input of a field with errors.
    ``compact_fields`` draws small labels (filter bars, formset rows); ``marked_required`` names
    fields shown as required although the service, not the form, checks them."""

    compact_fields = False
    marked_required: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.marked_required:
            if name in self.fields:
                self.fields[name].show_required = True
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_error(self, field, error):
        super().add_error(field, error)
        # Every error, from a field's own check, the form's clean() or a service, goes through
        # here: the inputs concerned turn red (Django adds aria-invalid to them).
        for name in self._errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def https_urls(db_field, **kwargs):
    """ModelForm ``Meta.formfield_callback``: links typed without a scheme are https, as
    Django 6 will assume (and no deprecation warning until then)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)

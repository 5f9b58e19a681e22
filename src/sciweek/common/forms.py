from django import forms
from django.db import models


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates render any form with one include
    (``includes/form_fields.html``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


def https_urls(db_field, **kwargs):
    """ModelForm ``Meta.formfield_callback``: links typed without a scheme are https, as
    Django 6 will assume (and no deprecation warning until then)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)

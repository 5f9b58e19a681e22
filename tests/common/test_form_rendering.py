"""Every form renders through the project's one field template: label, input, help, errors, the
error and help linked to the input for screen readers."""

import re

from django import forms
from django.template import Context, Template
from django.utils import translation

from sciweek.common.forms import BootstrapMixin


class SampleForm(BootstrapMixin, forms.Form):
    marked_required = ("phone",)

    name = forms.CharField(label="Name", help_text="As on the ID.")
    phone = forms.CharField(label="Phone", required=False)
    agree = forms.BooleanField(label="I agree")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


class CompactForm(SampleForm):
    compact_fields = True


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_an_invalid_field_is_marked_and_linked_to_its_error_and_help():
    with translation.override("en"):
        form = SampleForm(data={"name": "", "phone": "1"})
        form.is_valid()
        html = str(form)
    name = _input(html, "name")
    assert 'aria-invalid="true"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert 'class="form-control is-invalid"' in name
    assert '<div class="form-text" id="id_name_helptext">As on the ID.</div>' in html
    assert (
        '<div class="invalid-feedback d-block" id="id_name_error"><div>This field is required.</div></div>'
        in html
    )
    assert "aria-invalid" not in _input(html, "phone")


def test_required_and_marked_required_fields_show_the_mark():
    html = str(SampleForm())
    marks = re.findall(
        r'<label class="form-label" for="id_(\w+)">\w+ <span class="text-danger" aria-hidden="true">\*</span>',
        html,
    )
    assert marks == ["name", "phone"]


def test_radio_choices_are_a_fieldset_described_by_its_error():
    form = SampleForm(data={})
    form.is_valid()
    html = str(form)
    assert '<fieldset class="mb-3" aria-describedby="id_kind_error">' in html
    assert 'aria-invalid="true"' in _input(html, "kind")


def test_a_service_error_added_later_marks_its_input_too():
    form = SampleForm(data={"name": "Li", "agree": "on", "kind": "a"})
    assert form.is_valid()
    form.add_error("phone", "Enter an 11-digit mobile number.")
    phone = _input(str(form), "phone")
    assert 'class="form-control is-invalid"' in phone
    assert 'aria-describedby="id_phone_error"' in phone


def test_a_compact_form_has_small_labels_and_no_wrapper():
    html = Template("{{ form.name.as_field_group }}").render(Context({"form": CompactForm()}))
    assert html.startswith('<label class="form-label small mb-0" for="id_name">Name')
    assert html.endswith('<div class="form-text" id="id_name_helptext">As on the ID.</div>')


def test_errors_about_the_whole_form_come_first_as_an_alert():
    form = SampleForm(data={"name": "Li", "agree": "on", "kind": "a"})
    form.is_valid()
    form.add_error(None, "Booking is closed.")
    assert str(form).startswith(
        '<div class="alert alert-danger" role="alert"><div>Booking is closed.</div></div>'
    )

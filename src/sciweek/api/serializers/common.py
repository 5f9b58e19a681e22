from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers (see ``api/errors.py``): ``code`` is stable, ``detail`` is for
    people, in the request's language; field errors add ``errors``."""

    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field errors `{field: [message]}` (with `code` = `invalid`; `detail` is the "
        "first message).",
    )


class ResponseModelSerializer(serializers.ModelSerializer):
    """A model serializer that only answers: a model field that may be blank says so in the
    schema. DRF drops ``allow_blank`` from read-only fields (so a choice field's enum would not
    list ""), and "" is neither a URL, an email address nor a slug (so those formats would not
    hold): such fields become plain strings, and choices keep their blank."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if getattr(model_field, "blank", False) and issubclass(
            field_class, serializers.URLField | serializers.EmailField | serializers.SlugField
        ):
            field_class = serializers.CharField
            kwargs.pop("allow_unicode", None)
        return field_class, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


# Round trips: what a client reads can be written back unchanged. A reference is read as a small
# object (``"edition": {"id": 2, "year": 2027}``); the write side accepts that object or the id.

_REFERENCE_SCHEMA = {
    "oneOf": [
        {"type": "integer"},
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "required": ["id"],
            "description": "The object as read; only its `id` counts.",
        },
    ]
}


@extend_schema_field(_REFERENCE_SCHEMA)
class ReferenceField(serializers.PrimaryKeyRelatedField):
    """A related object written as its id or as the object the API reads it as."""

    default_error_messages = {"no_id": _("Give the id, or an object with an id.")}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if "id" not in data:
                self.fail("no_id")
            data = data["id"]
        return super().to_internal_value(data)


class CodeOrObjectChoiceField(serializers.ChoiceField):
    """A choice written as its code or as the ``{"code", "label"}`` object the API reads."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("code")
        return super().to_internal_value(data)

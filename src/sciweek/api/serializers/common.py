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

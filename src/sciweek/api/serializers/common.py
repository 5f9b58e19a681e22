from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """A refusal the client can act on: ``code`` is stable, ``detail`` is for people."""

    code = serializers.CharField()
    detail = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    """DRF's own errors (authentication, permission, not found, throttling)."""

    detail = serializers.CharField()

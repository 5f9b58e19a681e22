from rest_framework import serializers

from sciweek.organizations.enums import AreaType, UnitType
from sciweek.organizations.models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    # Fields the model allows blank: declared so the schema says "" is a value they take (a
    # read-only model field loses allow_blank, and "" is neither an email address nor a slug).
    area_type = serializers.ChoiceField(
        AreaType.choices, allow_blank=True, read_only=True, help_text='Areas only; else "".'
    )
    unit_type = serializers.ChoiceField(
        UnitType.choices, allow_blank=True, read_only=True, help_text='Host units; else "".'
    )
    slug = serializers.CharField(
        read_only=True, help_text='Short code used in web addresses (e.g. zhangdian), or "".'
    )
    email = serializers.CharField(read_only=True, help_text='Email address, or "".')

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "area",
            "area_type",
            "division_code",
            "slug",
            "unit_type",
            "email",
            "phone",
            "address",
            "is_active",
        ]
        read_only_fields = fields

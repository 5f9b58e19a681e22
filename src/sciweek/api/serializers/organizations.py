from sciweek.organizations.models import Organization

from .common import ResponseModelSerializer


class OrganizationSerializer(ResponseModelSerializer):
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

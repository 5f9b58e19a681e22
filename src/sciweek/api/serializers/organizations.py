from rest_framework import serializers

from sciweek.organizations.models import Contact, Organization

from .common import ReferenceField, ResponseModelSerializer


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


class OrganizationWriteSerializer(serializers.ModelSerializer):
    """Creating or changing an organisation: the fields of the back office's form. Where it may
    go in the tree and who may put it there is the service's decision (``bad_parent``,
    ``not_your_area``), as on the page."""

    parent = ReferenceField(queryset=Organization.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Organization
        fields = [
            "name", "short_name", "kind", "parent", "area_type", "division_code", "slug",
            "unit_type", "email", "phone", "address", "is_active",
        ]  # fmt: skip


class ContactSerializer(serializers.ModelSerializer):
    """A contact person of an organisation: notices, reminders and 督办 reach them by email and
    SMS. A mobile or an email is needed (``contact_unreachable``)."""

    class Meta:
        model = Contact
        fields = ["id", "name", "post", "mobile", "email"]
        read_only_fields = ["id"]

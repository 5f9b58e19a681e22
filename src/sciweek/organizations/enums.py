from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("City bureau (organiser)")
    CO_ORGANIZER = "co_organizer", _("Co-organiser")
    AREA = "area", _("Area")
    AREA_DEPARTMENT = "area_department", _("Area department")
    CITY_DEPARTMENT = "city_department", _("City department")
    HOST_UNIT = "host_unit", _("Host unit")


class AreaType(models.TextChoices):
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    ZONE = "zone", _("Functional zone")


class UnitType(models.TextChoices):
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    SCIENCE_PARK = "science_park", _("Science park")
    EDUCATION_BASE = "education_base", _("Science-education base")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    VENUE = "venue", _("Venue")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Editor")
    GATE_STAFF = "gate_staff", _("Gate staff")


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")

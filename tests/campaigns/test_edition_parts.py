"""Basis documents and focus areas are written by services, one audit entry per changed row,
also when the edition page saves them from its formsets."""

import pytest
from django.urls import reverse

from sciweek.audit.models import AuditEntry
from sciweek.campaigns import services
from sciweek.campaigns.models import BasisDocument, FocusArea
from sciweek.common.errors import ServiceError
from sciweek.organizations.enums import Role
from tests.factories import (
    BasisDocumentFactory,
    CityBureauFactory,
    EditionFactory,
    FocusAreaFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return member(Role.ADMIN, CityBureauFactory(), username="organizer-admin")


def _entries(edition):
    return list(
        AuditEntry.objects.filter(object_id=str(edition.pk), action__startswith="edition.")
        .exclude(action__in=["edition.create", "edition.update"])
        .order_by("id")
        .values_list("action", "changes")
    )


def test_basis_documents_save_adds_changes_and_removes_with_one_entry_each(organizer):
    edition = EditionFactory()
    kept = BasisDocumentFactory(
        edition=edition, number="A1", title="甲", issuer="科技部", position=0
    )
    gone = BasisDocumentFactory(edition=edition, number="B2", title="乙", issuer="", position=1)
    kept.title = "甲（修订）"
    new = BasisDocument(number="C3", title="丙", issuer="省科技厅", position=2)
    services.basis_documents_save(edition=edition, saved=[kept, new], deleted=[gone], by=organizer)
    assert list(edition.basis_documents.values_list("number", "title")) == [
        ("A1", "甲（修订）"),
        ("C3", "丙"),
    ]
    assert _entries(edition) == [
        (
            "edition.document_remove",
            {
                "number": ["B2", None],
                "title": ["乙", None],
                "issuer": ["", None],
                "position": [1, None],
                "needs_update": [False, None],
            },
        ),
        ("edition.document_update", {"title": ["甲", "甲（修订）"]}),
        (
            "edition.document_add",
            {
                "number": [None, "C3"],
                "title": [None, "丙"],
                "issuer": [None, "省科技厅"],
                "position": [None, 2],
                "needs_update": [None, False],
            },
        ),
    ]
    entry = AuditEntry.objects.get(action="edition.document_add")
    assert (entry.actor, entry.organization_id) == (organizer, edition.organizer_id)


def test_unchanged_rows_write_no_entry(organizer):
    edition = EditionFactory()
    area = FocusAreaFactory(edition=edition)
    services.focus_areas_save(edition=edition, saved=[area], deleted=[], by=organizer)
    assert _entries(edition) == []


def test_focus_areas_save_audits_under_its_own_codes(organizer):
    edition = EditionFactory()
    area = FocusAreaFactory(edition=edition, title="科普", description="", position=0)
    services.focus_areas_save(
        edition=edition,
        saved=[FocusArea(title="创新", description="说明", position=1)],
        deleted=[area],
        by=organizer,
    )
    assert [a for a, _c in _entries(edition)] == ["edition.focus_remove", "edition.focus_add"]
    assert list(edition.focus_areas.values_list("title", flat=True)) == ["创新"]


def test_a_row_of_another_edition_is_refused_and_nothing_changes(organizer):
    edition, other = EditionFactory(), EditionFactory()
    foreign = FocusAreaFactory(edition=other, title="别届")
    with pytest.raises(ServiceError) as excinfo:
        services.focus_areas_save(edition=edition, saved=[], deleted=[foreign], by=organizer)
    assert excinfo.value.code == "wrong_edition"
    assert FocusArea.objects.filter(pk=foreign.pk).exists()
    assert _entries(edition) == []


def _management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_the_edition_page_saves_its_formsets_through_the_services(client, organizer):
    edition = EditionFactory(organizer=organizer.memberships.get().organization, year=2040)
    doc = BasisDocumentFactory(edition=edition, number="A1", title="甲", issuer="", position=0)
    area = FocusAreaFactory(edition=edition, title="科普", position=0)
    data = {
        "year": edition.year,
        "title": edition.title,
        "theme": edition.theme,
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "summary_deadline": edition.summary_deadline.isoformat(),
        "receiving_section": edition.receiving_section,
        "receiving_email": edition.receiving_email,
        **_management("docs", 2, 1),
        "docs-0-id": doc.pk,
        "docs-0-number": "A1",
        "docs-0-title": "甲",
        "docs-0-issuer": "",
        "docs-0-position": "0",
        "docs-1-number": "N9",
        "docs-1-title": "新文件",
        "docs-1-issuer": "科技部",
        "docs-1-position": "1",
        **_management("focus", 1, 1),
        "focus-0-id": area.pk,
        "focus-0-title": "科普",
        "focus-0-description": "",
        "focus-0-position": "0",
        "focus-0-DELETE": "on",
    }
    client.force_login(organizer)
    response = client.post(reverse("dashboard:edition-edit", args=[edition.pk]), data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["documents"].errors,
        response.context["focus"].errors,
    )
    assert list(edition.basis_documents.values_list("number", flat=True)) == ["A1", "N9"]
    assert not edition.focus_areas.exists()
    assert [a for a, _c in _entries(edition)] == ["edition.document_add", "edition.focus_remove"]

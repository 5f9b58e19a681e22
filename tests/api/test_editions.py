import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciweek.campaigns.enums import EditionStatus
from tests.factories import BasisDocumentFactory, EditionFactory, FocusAreaFactory

URL = "/api/v1/editions/"


def test_editions_public_list_shows_only_public_editions(db, api):
    EditionFactory(year=2021, status=EditionStatus.ARCHIVED)
    EditionFactory(year=2022, status=EditionStatus.CLOSED)
    EditionFactory(year=2023, status=EditionStatus.PUBLISHED)
    EditionFactory(year=2024, status=EditionStatus.DRAFT)
    response = api.get(URL)
    assert response.status_code == 200
    assert [e["year"] for e in response.json()["results"]] == [2023, 2022, 2021]


def test_editions_nest_basis_documents_and_focus_areas(db, api):
    edition = EditionFactory(year=2023, title="2023年淄博市科技活动周", theme="热爱科学 崇尚科学")
    BasisDocumentFactory(
        edition=edition, number="国科函才〔2023〕65号", title="文件甲", issuer="科技部", position=1
    )
    BasisDocumentFactory(
        edition=edition, number="鲁科字〔2023〕40号", title="文件乙", issuer="省科技厅", position=2
    )
    FocusAreaFactory(edition=edition, title="二", description="", position=2)
    FocusAreaFactory(edition=edition, title="一", description="说明", position=1)
    response = api.get(f"{URL}{edition.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": edition.pk,
        "year": 2023,
        "title": "2023年淄博市科技活动周",
        "theme": "热爱科学 崇尚科学",
        "status": "published",
        "start_date": "2023-05-20",
        "end_date": "2023-05-31",
        "summary_deadline": "2023-06-12",
        "receiving_section": "市科技局人才与成果科",
        "receiving_email": "section@example.test",
        "booker_sms_always": False,
        "organizer": edition.organizer_id,
        "organizer_name": "市科技局",
        "basis_documents": [
            {"number": "国科函才〔2023〕65号", "title": "文件甲", "issuer": "科技部"},
            {"number": "鲁科字〔2023〕40号", "title": "文件乙", "issuer": "省科技厅"},
        ],
        "focus_areas": [
            {"title": "一", "description": "说明"},
            {"title": "二", "description": ""},
        ],
        "categories": [],
    }


def test_edition_detail_of_a_draft_is_404(db, api):
    draft = EditionFactory(status=EditionStatus.DRAFT)
    assert api.get(f"{URL}{draft.pk}/").status_code == 404


def test_edition_detail_unknown_or_malformed_id_is_404(db, api):
    assert api.get(f"{URL}999999/").status_code == 404
    assert api.get(f"{URL}abc/").status_code == 404


def test_editions_pagination_fields_and_page_size(db, api):
    for year in range(2001, 2026):
        EditionFactory(year=year)
    body = api.get(URL).json()
    assert body["count"] == 25
    assert len(body["results"]) == 20  # PAGE_SIZE
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/editions/?page=2"

    body = api.get(URL, {"page_size": 10, "page": 2}).json()
    assert [e["year"] for e in body["results"]] == list(range(2015, 2005, -1))
    assert body["next"] == "http://testserver/api/v1/editions/?page=3&page_size=10"
    assert body["previous"] == "http://testserver/api/v1/editions/?page_size=10"

    # page_size is capped at 100, and nonsense falls back to the default.
    assert len(api.get(URL, {"page_size": 1000}).json()["results"]) == 25
    assert len(api.get(URL, {"page_size": "x"}).json()["results"]) == 20


def test_editions_page_out_of_range_is_404(db, api):
    EditionFactory()
    assert api.get(URL, {"page": 5}).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_editions_list_query_count_does_not_grow(db, api, rows, django_assert_num_queries):
    for year in range(2001, 2001 + rows):
        edition = EditionFactory(year=year)
        BasisDocumentFactory(edition=edition)
        FocusAreaFactory(edition=edition)
    # count, rows (with organiser), basis documents, focus areas, categories.
    with django_assert_num_queries(5):
        response = api.get(URL)
    assert len(response.json()["results"]) == rows


def test_editions_list_same_queries_for_1_and_20_rows(db, api):
    def queries_for_list():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL).status_code == 200
        return len(ctx.captured_queries)

    edition = EditionFactory(year=2000)
    BasisDocumentFactory(edition=edition)
    FocusAreaFactory(edition=edition)
    one = queries_for_list()
    for year in range(2001, 2020):
        edition = EditionFactory(year=year)
        BasisDocumentFactory(edition=edition)
        FocusAreaFactory(edition=edition)
    assert queries_for_list() == one

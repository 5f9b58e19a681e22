"""The photo each key activity shows in the city report, chosen by the organiser on the compile
page; without a choice the hall's featured photo, else the first."""

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from sciweek.audit.models import AuditEntry
from sciweek.common.errors import ServiceError
from sciweek.media.models import MediaItem
from sciweek.reports.models import ReportPhoto
from sciweek.reports.photos import report_photo_choose
from tests.factories import ActivityFactory

from . import test_city_report as base

pytestmark = pytest.mark.django_db
city = base.city


def _photo(activity, title, colour, *, size=(60, 40), featured=False, hidden=False):
    raw = io.BytesIO()
    Image.new("RGB", size, colour).save(raw, "JPEG")
    item = MediaItem(activity=activity, kind="photo", title=title, original_name=f"{title}.jpg",
                     content_type="image/jpeg", size=len(raw.getvalue()), is_featured=featured,
                     is_hidden=hidden)  # fmt: skip
    item.file.save(f"{title}.jpg", ContentFile(raw.getvalue()), save=False)
    item.thumbnail.save(f"{title}-thumb.jpg", ContentFile(raw.getvalue()), save=False)
    item.save()
    return item


def _captions(report):
    doc = base.open_docx(report)
    return [p.text for p in doc.paragraphs if p.style.name == "Caption"], doc


def test_the_report_shows_the_photo_the_organiser_chose(city):
    key = city.activities[0]  # 人工智能科普讲座, a key activity
    _photo(key, "第一张", "red")
    _photo(key, "大厅精选", "green", featured=True)
    chosen = _photo(key, "选定照片", "blue", size=(90, 60))
    # Without a choice: the hall's featured photo.
    captions, _doc = _captions(base.run(city, "docx"))
    assert captions == ["大厅精选"]
    report_photo_choose(task=city.task, item=chosen, by=city.organizer)
    captions, doc = _captions(base.run(city, "docx"))
    assert captions == ["选定照片"]
    blob = doc.part.related_parts[
        doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    assert Image.open(io.BytesIO(blob)).size == (90, 60)
    entry = AuditEntry.objects.get(action="report.photo")
    assert entry.changes == {"activity": [None, key.pk], "photo": [None, chosen.pk]}
    # Choosing again replaces the choice.
    report_photo_choose(
        task=city.task, item=MediaItem.objects.get(title="第一张"), by=city.organizer
    )
    assert list(ReportPhoto.objects.values_list("item__title", flat=True)) == ["第一张"]


def test_only_a_visible_photo_of_a_key_activity_can_be_chosen(city):
    hidden = _photo(city.activities[0], "隐藏", "red", hidden=True)
    not_key = _photo(city.activities[1], "非重点", "red")  # 科技馆开放日 is no key activity
    for item in (hidden, not_key):
        with pytest.raises(ServiceError) as caught:
            report_photo_choose(task=city.task, item=item, by=city.organizer)
        assert caught.value.code == "not_choosable"
    assert not ReportPhoto.objects.exists()
    assert not AuditEntry.objects.filter(action="report.photo").exists()


def test_compile_page_lists_key_activities_photos_and_saves_the_choice(client, city):
    client.force_login(city.organizer)
    url = f"/office/summaries/compile/?edition={city.edition.pk}"
    first = _photo(city.activities[0], "第一张", "red")
    second = _photo(city.activities[0], "第二张", "blue")
    page = client.get(url).content.decode()
    assert 'id="photos"' in page
    assert f'value="{first.pk}" class="btn p-1 btn-primary" aria-pressed="true"' in page
    assert f'value="{second.pk}" class="btn p-1 btn-outline-secondary"' in page
    assert f"/office/media/{second.pk}/thumbnail/" in page
    response = client.post(
        f"/office/summaries/compile/photo/?edition={city.edition.pk}", {"item": second.pk}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?edition={city.edition.pk}#photos")
    assert ReportPhoto.objects.get().item == second
    page = client.get(url).content.decode()
    assert f'value="{second.pk}" class="btn p-1 btn-primary" aria-pressed="true"' in page
    # A photo that is not one of them: a message, nothing saved, no 500.
    other = _photo(city.activities[1], "非重点", "red")
    response = client.post(
        f"/office/summaries/compile/photo/?edition={city.edition.pk}", {"item": other.pk},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert ReportPhoto.objects.get().item == second
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["只能选择报告中重点活动的未隐藏照片。"]
    response = client.post(
        f"/office/summaries/compile/photo/?edition={city.edition.pk}", {"item": "x"}
    )
    assert response.status_code == 302


def test_compile_page_photo_list_queries_do_not_grow_with_rows(client, city):
    client.force_login(city.organizer)
    url = f"/office/summaries/compile/?edition={city.edition.pk}"
    _photo(city.activities[0], "一", "red")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        activity = ActivityFactory(edition=city.edition, host=city.unit_a, state="held",
                                   is_key=True, title=f"重点活动{n}")  # fmt: skip
        _photo(activity, f"照片{n}", "blue")
        _photo(activity, f"照片{n}b", "green")
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count('name="item"') == 9
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries][len(one) :]

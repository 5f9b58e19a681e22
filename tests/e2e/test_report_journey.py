"""The summary journey in a real browser: 张店区 fills its 2023 summary on a phone (files via
set_input_files, a changed figure with its note) and submits it; the city returns it with a
reason; the area fixes and resubmits; the city accepts it and downloads the city report (docx)."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from sciweek.reports.models import AreaSummary
from tests.reports.files import docx, jpeg, tiny_video

from .test_review_journey import fits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)


def test_area_files_city_returns_area_resubmits_city_accepts_and_downloads(
    live_server, new_page, tmp_path
):
    call_command("demo", "--no-serve")
    # Start 张店区 over: a fresh draft without files.
    summary = AreaSummary.objects.get(area__slug="zhangdian", task__edition__year=2023)
    summary.files.all().delete()
    AreaSummary.objects.filter(pk=summary.pk).update(
        state="draft", submitted_at=None, accepted_at=None
    )
    base = live_server.url

    area = new_page(*PHONE)
    sign_in(area, base, "area-zhangdian")
    area.goto(f"{base}/office/summary/")
    assert area.url.endswith(f"/office/summaries/{summary.pk}/")
    assert fits(area, PHONE[0])

    def upload(kind, name, content, mime):
        area.set_input_files(
            f"#file-{kind}", files=[{"name": name, "mimeType": mime, "buffer": content}]
        )
        area.locator(f"form.upload-form[data-kind={kind}] button[type=submit]").click()
        area.wait_for_load_state()

    upload("document", "张店区总结.docx", docx("张店区总结"), "application/octet-stream")
    for n in range(5):
        upload("photo", f"现场{n}.jpg", jpeg((120, 90), color=(20 * n, 90, 160)), "image/jpeg")
    upload("video", "太长.mp4", tiny_video(181), "video/mp4")
    assert area.locator(".alert-danger, .invalid-feedback").first.is_visible()
    assert "181.0" in area.content()
    upload("video", "集锦.mp4", tiny_video(30), "video/mp4")
    assert area.locator(".video-duration").inner_text().startswith("30.0")

    area.fill("#id_value_volunteers", "99")
    area.fill("#id_note_volunteers", "含社区志愿者")
    area.locator("#figures button[type=submit]").last.click()
    area.wait_for_load_state()
    area.click("button[data-action=submit]")
    area.wait_for_load_state()
    summary.refresh_from_db()
    assert summary.state == "submitted"

    city = new_page(1366, 900)
    sign_in(city, base, "organizer")
    city.goto(f"{base}/office/summaries/board/?edition={summary.task.edition_id}")
    city.locator('tr[data-area="张店区"] a').click()
    city.click("button[data-action=return]")  # empty reason: the browser's required check
    assert city.url.endswith(f"/office/summaries/{summary.pk}/")
    city.fill("#reason-return", "请补充志愿者人数的统计口径说明。")
    city.click("button[data-action=return]")
    city.wait_for_load_state()
    summary.refresh_from_db()
    assert (summary.state, summary.last_reason) == ("returned", "请补充志愿者人数的统计口径说明。")

    area.goto(f"{base}/office/summaries/{summary.pk}/")
    assert "请补充志愿者人数的统计口径说明。" in area.locator("#return-reason").inner_text()
    area.fill("#id_highlights_text", "志愿者人数按各社区上报汇总。")
    area.locator("#narrative button[type=submit]").click()
    area.wait_for_load_state()
    area.click("button[data-action=submit]")
    area.wait_for_load_state()

    city.goto(f"{base}/office/summaries/{summary.pk}/")
    city.click("button[data-action=accept]")
    city.wait_for_load_state()
    summary.refresh_from_db()
    assert summary.state == "accepted"

    city.goto(f"{base}/office/summaries/compile/?edition={summary.task.edition_id}")
    city.select_option("#id_kind", "docx")
    city.click("#compile-button")
    link = city.locator("tr[data-kind=docx][data-status=done] a").first
    link.wait_for(timeout=30_000)
    with city.expect_download() as info:
        link.click()
    path = info.value.path()
    doc = Document(io.BytesIO(path.read_bytes()))
    areas = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[1].rows[1:]}
    assert "张店区" in areas

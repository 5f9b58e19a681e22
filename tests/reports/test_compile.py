"""The compiled city report: docx and xlsx read back with the right numbers; the zips hold the
right files; the compile page requests, shows progress and downloads."""

import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from sciweek.reports.models import CompiledReport
from sciweek.reports.services import (
    compile_request,
    compile_run,
    figures_update,
    summary_transition,
)

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(world):
    figures_update(summary=world.summary_a, values={"activities": (Decimal(12), "补报"),
                   "onsite": (Decimal(3400), "含分会场")}, by=world.area_user_a)  # fmt: skip
    figures_update(
        summary=world.summary_b, values={"activities": (Decimal(7), "补报")}, by=world.area_user_b
    )
    complete(world.summary_a, world.area_user_a)
    summary_transition(summary=world.summary_a, action="submit", by=world.area_user_a)
    summary_transition(summary=world.summary_a, action="accept", by=world.organizer)
    return world


def run(world, kind, area=None):
    report = CompiledReport.objects.create(task=world.task, kind=kind, area=area)
    report = compile_run(report.pk)
    assert (report.status, report.progress, report.error) == ("done", 100, "")
    return report


def test_docx_reads_back_with_totals_and_area_rows(filed):
    report = run(filed, "docx")
    doc = Document(report.file.open("rb"))
    areas = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows[1:]}
    assert areas["张店区"][1] == "12" and areas["张店区"][5] == "3,400"
    # 临淄区 has only a draft: shown, marked and not counted.
    assert areas["临淄区*"][1] == "—"
    assert areas["合计"][1] == "12"
    submissions = {r.cells[0].text: r.cells[1].text for r in doc.tables[-2].rows[1:]}
    assert set(submissions) == {"张店区", "临淄区"}  # the last table is the 版记


def test_xlsx_reads_back_with_area_figures(filed):
    report = run(filed, "xlsx")
    workbook = load_workbook(io.BytesIO(report.file.open("rb").read()), read_only=True)
    assert workbook.sheetnames[:2] == ["全市合计", "区县"]
    rows = list(workbook["区县"].iter_rows(values_only=True))
    by_area = {r[0]: r for r in rows[1:]}
    assert by_area["张店区"][4] == 12 and by_area["临淄区"][4] is None
    assert by_area["合计"][4] == 12
    assert rows[0][4] in ("举办活动数", "Activities held")


def test_zips_hold_the_right_files(filed):
    everything = zipfile.ZipFile(run(filed, "zip_all").file.open("rb"))
    names = everything.namelist()
    assert len(names) == 7
    assert all(n.startswith("张店区/") for n in names)
    one = zipfile.ZipFile(run(filed, "zip_area", area=filed.area_b).file.open("rb"))
    assert one.namelist() == []
    photos = [n for n in names if n.endswith(".jpg")]
    assert len(photos) == 5
    assert everything.read(next(n for n in names if n.endswith(".docx")))[:2] == b"PK"


def test_compile_page_request_progress_and_download(
    client, filed, django_capture_on_commit_callbacks
):
    client.force_login(filed.organizer)
    url = f"/office/summaries/compile/?edition={filed.edition.pk}"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/office/summaries/compile/", {"edition": filed.edition.pk, "kind": "docx"}
        )
    assert response.status_code == 302
    report = CompiledReport.objects.get()
    assert report.status == "done"
    progress = client.get(f"/office/summaries/compile/progress/?edition={filed.edition.pk}")
    assert "hx-trigger" not in progress.content.decode()
    download = client.get(f"/office/summaries/compiled/{report.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    refused = client.post(
        "/office/summaries/compile/", {"edition": filed.edition.pk, "kind": "zip_area"}
    )
    assert refused.status_code == 400


def test_pending_compilation_is_polled(client, world):
    compile_request(task=world.task, kind="xlsx", by=world.organizer)  # on_commit never runs here
    client.force_login(world.organizer)
    body = client.get(f"/office/summaries/compile/?edition={world.edition.pk}").content.decode()
    assert 'hx-trigger="every 2s"' in body

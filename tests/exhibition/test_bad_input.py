"""Bad input on the ceremony pages: a clear 4xx with the message beside the field, nothing
typed lost, nothing half-saved, never a 500; hostile text shown as text and neutralised in
exports."""

import io

import pytest
from openpyxl import load_workbook

from sciweek.exhibition.enums import GuestState
from sciweek.exhibition.models import Exhibit, Guest

from .conftest import guest_of

pytestmark = pytest.mark.django_db
XSS = "<script>alert(1)</script>"


def test_delegate_form_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.area_admin)
    url = f"/office/ceremony/{world.ceremony.pk}/areas/{world.area.pk}/"
    data = {"category": world.categories["student"].pk, "name": XSS, "organization_name": "学校",
            "mobile": "12", "teacher": "王老师"}  # fmt: skip
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "请输入11位手机号码" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and XSS not in page
    assert Guest.objects.filter(area=world.area).count() == 1


def test_unknown_category_and_oversized_values_are_form_errors(client, world):
    client.force_login(world.area_admin)
    url = f"/office/ceremony/{world.ceremony.pk}/areas/{world.area.pk}/"
    leader = world.categories["city_leader"].pk  # not offered to an area
    response = client.post(url, {"category": leader, "name": "x" * 500, "organization_name": "y",
                                 "mobile": "13800000001"})  # fmt: skip
    assert response.status_code == 400
    assert Guest.objects.filter(area=world.area).count() == 1


def test_rsvp_with_a_made_up_action_is_400(client, world):
    response = client.post(f"/ceremony/rsvp/{world.guest.token}/", {"action": "check_in"})
    assert response.status_code == 400
    assert Guest.objects.get(pk=world.guest.pk).state == GuestState.INVITED


def test_rsvp_substitute_without_name_keeps_the_mobile(client, world):
    response = client.post(f"/ceremony/rsvp/{world.guest.token}/",
                           {"action": "substitute", "substitute_mobile": "13900000001"})  # fmt: skip
    assert response.status_code == 400
    assert 'value="13900000001"' in response.content.decode()


def test_quota_grid_refuses_a_word_and_saves_nothing(client, world):
    client.force_login(world.organizer_admin)
    name = f"q-{world.other_area.pk}-{world.categories['student'].pk}"
    response = client.post(f"/office/ceremony/{world.ceremony.pk}/quotas/", {name: "many"})
    assert response.status_code == 400
    assert 'value="many"' in response.content.decode()
    assert not world.other_area.ceremony_quotas.exists()


def test_seating_export_neutralises_formulas(client, world):
    guest_of(world, area=world.area, state=GuestState.ATTENDING, n=7)
    Guest.objects.filter(state=GuestState.ATTENDING).update(name="=cmd|' /C calc'!A0")
    client.force_login(world.organizer_admin)
    response = client.get(f"/office/ceremony/{world.ceremony.pk}/seating.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=3).value == "'=cmd|' /C calc'!A0"


def test_exhibit_form_errors_keep_the_text(client, world):
    client.force_login(world.area_admin)
    response = client.post("/office/exhibits/new/", {"submitter": world.area.pk, "title": "储能",
                                                     "strategy": "nonsense"})  # fmt: skip
    assert response.status_code == 400
    assert 'value="储能"' in response.content.decode()
    assert not Exhibit.objects.filter(title="储能").exists()


def test_seating_word_list_names_those_coming_in_order(client, world):
    from docx import Document

    guest_of(world, area=world.area, state=GuestState.ATTENDING, n=7)
    client.force_login(world.organizer_admin)
    response = client.get(f"/office/ceremony/{world.ceremony.pk}/seating.docx")
    table = Document(io.BytesIO(response.content)).tables[0]
    assert [c.text for c in table.rows[1].cells] == ["1", "学生", "张7丰", "张店实验中学", ""]
    assert len(table.rows) == 2  # the invited who have not answered are not seated

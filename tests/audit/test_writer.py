"""audit.snapshot / diff / record: the single writer of the audit log."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from sciweek.audit import writer as audit
from sciweek.audit.context import request_ip
from sciweek.audit.models import AuditEntry
from sciweek.campaigns.models import Edition
from tests.factories import EditionFactory, UserFactory


def test_diff_keeps_only_what_changed_in_order():
    before = {"a": 1, "b": "x", "c": None}
    after = {"a": 1, "b": "y", "d": 3}
    assert audit.diff(before, after) == {"b": ["x", "y"], "d": [None, 3]}


def test_diff_of_equal_dicts_is_empty():
    assert audit.diff({"a": [1, 2]}, {"a": [1, 2]}) == {}


def test_diff_records_removed_keys():
    assert audit.diff({"gone": "v"}, {}) == {"gone": ["v", None]}


@pytest.mark.django_db
def test_snapshot_is_json_safe():
    edition = EditionFactory(year=2040, start_date=date(2040, 5, 20))
    data = audit.snapshot(edition, ["year", "organizer", "start_date", "copied_from"])
    assert data == {
        "year": 2040,
        "organizer": edition.organizer_id,
        "start_date": "2040-05-20",
        "copied_from": None,
    }


@pytest.mark.django_db
def test_record_writes_actor_object_and_changes():
    user = UserFactory(display_name="张三")
    edition = EditionFactory(year=2041)
    entry = audit.record(
        actor=user,
        action="edition.update",
        obj=edition,
        before={"theme": "旧", "year": 2041},
        after={"theme": "新", "year": 2041},
        organization_id=edition.organizer_id,
        reason="改主题",
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == user
    assert entry.actor_name == "张三"
    assert entry.action == "edition.update"
    assert entry.content_type == ContentType.objects.get_for_model(Edition)
    assert entry.object_id == str(edition.pk)
    assert entry.object_repr == edition.title
    assert entry.organization_id == edition.organizer_id
    assert entry.changes == {"theme": ["旧", "新"]}
    assert entry.reason == "改主题"
    assert entry.ip_address is None  # outside a request


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_record_without_a_signed_in_actor(actor):
    entry = audit.record(actor=actor, action="auth.login_failed", object_repr="someone")
    assert entry.actor is None
    assert entry.actor_name == ""
    assert entry.content_type is None
    assert entry.object_id == ""
    assert entry.object_repr == "someone"
    assert entry.changes == {}


@pytest.mark.django_db
def test_record_truncates_a_long_object_repr_and_keeps_the_request_ip():
    with request_ip("10.1.2.3"):
        entry = audit.record(actor=None, action="x", object_repr="字" * 300)
    entry.refresh_from_db()
    assert entry.object_repr == "字" * 255
    assert entry.ip_address == "10.1.2.3"
    # Outside a request (a command, a task) there is no IP.
    assert audit.record(actor=None, action="x").ip_address is None


@pytest.mark.django_db
def test_audit_entries_are_newest_first():
    first = audit.record(actor=None, action="one")
    second = audit.record(actor=None, action="two")
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [second.pk, first.pk]

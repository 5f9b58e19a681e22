"""Moving AuditEntry from ``common`` to ``audit`` keeps the table, its rows, its content type and
the permissions granted on it: migrating a database at main's schema (common 0001, no audit app)
forward loses nothing. Run on SQLite and, with DATABASE_URL, on PostgreSQL."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("common", "0001_initial")]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _migrate(targets):
    executor = _executor()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves():
    return _executor().loader.graph.leaf_nodes()


def test_migrating_from_the_old_schema_keeps_rows_content_type_and_permissions():
    try:
        old = _migrate(BEFORE_THE_MOVE)
        assert not any(app == "audit" for app, _ in _executor().loader.applied_migrations)
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        # As on a database created before the move: the model's content type is common's.
        ContentType.objects.filter(model="auditentry").delete()
        old_type = ContentType.objects.create(app_label="common", model="auditentry")
        view = Permission.objects.create(
            content_type=old_type, codename="view_auditentry", name="Can view audit entry"
        )
        Group.objects.create(name="auditors").permissions.add(view)
        OldEntry = old.get_model("common", "AuditEntry")
        about = ContentType.objects.get(app_label="campaigns", model="edition")
        entry = OldEntry.objects.create(
            action="edition.published",
            actor_name="organizer",
            content_type=about,
            object_id="7",
            object_repr="2023",
            organization_id=3,
            changes={"status": ["draft", "published"]},
            reason="",
            ip_address="203.0.113.9",
        )

        new = _migrate(_leaves())

        NewEntry = new.get_model("audit", "AuditEntry")
        assert NewEntry._meta.db_table == "common_auditentry"
        moved = NewEntry.objects.get(pk=entry.pk)
        assert (moved.action, moved.object_repr, moved.changes, moved.ip_address) == (
            "edition.published",
            "2023",
            {"status": ["draft", "published"]},
            "203.0.113.9",
        )
        assert moved.content_type_id == about.pk
        ContentType = new.get_model("contenttypes", "ContentType")
        relabelled = ContentType.objects.get(pk=old_type.pk)
        assert (relabelled.app_label, relabelled.model) == ("audit", "auditentry")
        assert not ContentType.objects.filter(app_label="common", model="auditentry").exists()
        group = new.get_model("auth", "Group").objects.get(name="auditors")
        assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
            ("audit", "view_auditentry")
        ]
        # And the new model keeps writing to the same table.
        NewEntry.objects.create(action="edition.closed", changes={})
        assert OldEntry.objects.count() == 2
    finally:
        _migrate(_leaves())


def test_the_move_can_be_reversed():
    try:
        _migrate(_leaves())
        types = (
            _executor()
            .loader.project_state(_leaves())
            .apps.get_model("contenttypes", "ContentType")
        )
        ours = types.objects.get_or_create(app_label="audit", model="auditentry")[0]
        old = _migrate(BEFORE_THE_MOVE)
        assert old.get_model("contenttypes", "ContentType").objects.get(pk=ours.pk).app_label == (
            "common"
        )
        old.get_model("common", "AuditEntry").objects.create(action="edition.closed", changes={})
    finally:
        _migrate(_leaves())

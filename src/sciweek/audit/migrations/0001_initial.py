# The audit model moved here from `common`. Its table keeps its name (common_auditentry), so
# this migration changes no schema and moves no row: the model is only declared to Django's
# migration state (common 0002 takes it out of common's). The content type is relabelled so
# that permissions granted on the model (and their ids) carry over.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, schema_editor, source: str, target: str) -> None:
    ContentType = apps.get_model('contenttypes', 'ContentType')
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model='auditentry').exists():
        types.filter(app_label=source, model='auditentry').update(app_label=target)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, 'common', 'audit')


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, 'audit', 'common')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('common', '0002_move_auditentry_to_audit'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                        ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='actor name')),
                        ('action', models.CharField(db_index=True, max_length=64, verbose_name='action')),
                        ('object_id', models.CharField(blank=True, max_length=64)),
                        ('object_repr', models.CharField(blank=True, max_length=255, verbose_name='object')),
                        ('organization_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit log',
                        'db_table': 'common_auditentry',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['content_type', 'object_id'], name='common_audi_content_307063_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

# The audit model moved to the `audit` app. Only Django's idea of the model moves: the table
# (common_auditentry) and its rows stay where they are, see audit/migrations/0001_initial.py.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEntry')],
            database_operations=[],
        ),
    ]

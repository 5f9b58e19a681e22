"""Shared test set-up.

Tests marked ``postgres`` need PostgreSQL (DATABASE_URL=postgres://...), tests marked ``browser``
need Debian's /usr/bin/chromium. On a laptop without them they skip with a reason; CI sets
SCIWEEK_REQUIRE_POSTGRES=1 and SCIWEEK_REQUIRE_BROWSER=1 so that they fail instead. The one
exception is CI's SQLite pass, which says (SCIWEEK_POSTGRES_PASS_FOLLOWS=1) that the same run's
PostgreSQL pass follows and runs them.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.s3server"]

# Every test run gets its own data directory (SQLite file, media, keys), never the demo's var/.
os.environ.setdefault("SCIWEEK_DATA_DIR", tempfile.mkdtemp(prefix="sciweek-test-"))

CHROMIUM = Path("/usr/bin/chromium")


def _required(name: str) -> bool:
    return os.environ.get(name, "") == "1"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_browser = CHROMIUM.exists()
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            if _required("SCIWEEK_POSTGRES_PASS_FOLLOWS"):
                # .ci/run's SQLite pass: these run in its PostgreSQL pass, which follows.
                item.add_marker(pytest.mark.skip(reason="runs in CI's PostgreSQL pass"))
            elif _required("SCIWEEK_REQUIRE_POSTGRES"):
                item.add_marker(pytest.mark.usefixtures("_fail_missing_postgres"))
            else:
                item.add_marker(
                    pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
                )
        if "browser" in item.keywords and not has_browser:
            if _required("SCIWEEK_REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.usefixtures("_fail_missing_browser"))
            else:
                item.add_marker(
                    pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install chromium)")
                )


@pytest.fixture
def _fail_missing_postgres():
    pytest.fail("SCIWEEK_REQUIRE_POSTGRES=1 but the tests are not running on PostgreSQL")


@pytest.fixture
def _fail_missing_browser():
    pytest.fail("SCIWEEK_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    # Argon2 is deliberately slow; tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The constant-time floor of password reset has its own test.
    settings.PASSWORD_RESET_MIN_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_sessionfinish(session, exitstatus):
    data_dir = os.environ.get("SCIWEEK_DATA_DIR", "")
    if data_dir.startswith(tempfile.gettempdir()) and "sciweek-test-" in data_dir:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(autouse=True)
def _audit_actions_are_labelled():
    """Every audit entry any test writes through the services has a label (issue 9).

    Checked for the families the apps label (``activity.``, ``booking.``, …) so that tests of the
    log itself may still write made-up codes such as ``x.one``. The demo's bulk-written history
    is checked in tests/audit/test_labels.py.
    """
    from django.db.models.signals import post_save

    from sciweek.audit.labels import labelled_codes
    from sciweek.audit.models import AuditEntry

    known = labelled_codes()
    families = {code.split(".", 1)[0] for code in known}
    unlabelled: set[str] = set()

    def check(sender, instance, created, **kwargs):
        if created and instance.action not in known and instance.action.split(".")[0] in families:
            unlabelled.add(instance.action)

    post_save.connect(check, sender=AuditEntry, weak=False, dispatch_uid="audit-label-check")
    yield
    post_save.disconnect(sender=AuditEntry, dispatch_uid="audit-label-check")
    if unlabelled:
        pytest.fail(f"audit actions written without a label: {sorted(unlabelled)}")


@pytest.fixture
def world(db):
    """The one test world (tests/world.py), empty until a test touches it. The API, reports and
    public-site tests extend it with their domain's data under the same name."""
    from tests.world import World

    return World()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: LocaleMiddleware leaves the last
    request's language active in the thread, which would make later tests depend on order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

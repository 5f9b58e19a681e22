"""The production profile refuses a default secret or DEBUG, and passes `check --deploy`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REAL_SECRET = "k7#Qz!v2L9@pX4$wR8^tY1&uN6*eM3(bH5)jC0-sF_aG+dK=oP"
REAL_DATA_KEY = "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGho="
SCIWEEK = str(Path(sys.executable).with_name("sciweek"))


def run(args, tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "SCIWEEK_PROFILE",
            "SCIWEEK_DATA_KEY",
            "DJANGO_SETTINGS_MODULE",
            # Set by tests/e2e/conftest.py for Playwright; check --deploy rightly refuses it.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(SCIWEEK_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="sciweek.settings", **extra)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


SETUP = [sys.executable, "-c", "import django; django.setup(); print('started')"]


def test_development_profile_starts_with_defaults(tmp_path):
    result = run(SETUP, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    "secret",
    [None, "sciweek-development-secret-key-do-not-use-in-production", "too-short-secret"],
)
def test_production_refuses_the_default_or_a_weak_secret(tmp_path, secret):
    extra = {"SCIWEEK_PROFILE": "production", "ALLOWED_HOSTS": "sciweek.example.cn"}
    if secret is not None:
        extra["SECRET_KEY"] = secret
    result = run(SETUP, tmp_path, **extra)
    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: SCIWEEK_PROFILE=production needs SECRET_KEY"
        in result.stderr
    )
    assert "started" not in result.stdout


def test_production_refuses_debug(tmp_path):
    result = run(
        SETUP,
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=REAL_SECRET,
        DEBUG="1",
        ALLOWED_HOSTS="sciweek.example.cn",
    )
    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: SCIWEEK_PROFILE=production refuses to start with DEBUG on."
        in result.stderr
    )


def test_production_command_refuses_a_default_secret(tmp_path):
    result = run([SCIWEEK, "check"], tmp_path, SCIWEEK_PROFILE="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_with_a_real_secret_passes_check_deploy(tmp_path):
    result = run(
        [SCIWEEK, "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=REAL_SECRET,
        SCIWEEK_DATA_KEY=REAL_DATA_KEY,
        ALLOWED_HOSTS="sciweek.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_check_deploy_warns(tmp_path):
    # The same check fails outside the production profile, so the test above can fail.
    result = run([SCIWEEK, "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


def test_production_without_a_data_key_fails_check_deploy(tmp_path):
    result = run(
        [SCIWEEK, "check", "--deploy"],
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="sciweek.example.cn",
    )
    assert result.returncode == 1
    assert "sciweek.E001" in result.stderr


EXAMPLE_ENV = Path(__file__).resolve().parent.parent / "deploy" / "sciweek.env.example"


def example_env() -> dict[str, str]:
    lines = EXAMPLE_ENV.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_every_secret_of_the_example_env_file_is_a_known_example():
    from urllib.parse import urlsplit

    from sciweek.common.checks import KNOWN_EXAMPLE_SECRETS

    values = example_env()
    secrets = {
        values["SECRET_KEY"],
        values["SCIWEEK_DATA_KEY"],
        urlsplit(values["DATABASE_URL"]).password,
    }
    assert secrets == {"change-me-to-50-random-characters", "change-me", "secret"}
    assert secrets <= KNOWN_EXAMPLE_SECRETS


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("change-me-to-50-random-characters", "the example file's"),
        ("x7Rq2Lm9Vt4Kp8Wz3Ny6Bd1Hf5Gs0Jc2Qa7Te4Uo", "random but 40 characters"),
    ],
)
def test_production_with_an_example_or_short_secret_fails_check_deploy(tmp_path, secret, reason):
    result = run(
        [SCIWEEK, "check", "--deploy"],
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=secret,
        SCIWEEK_DATA_KEY=REAL_DATA_KEY,
        ALLOWED_HOSTS="sciweek.example.cn",
    )
    assert result.returncode == 1, reason
    assert (
        "sciweek.E002) SECRET_KEY is an example value or shorter than 50 characters."
        in result.stderr
    )


def test_production_with_the_example_database_password_fails_check_deploy(tmp_path):
    result = run(
        [SCIWEEK, "check", "--deploy"],
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=REAL_SECRET,
        SCIWEEK_DATA_KEY=REAL_DATA_KEY,
        ALLOWED_HOSTS="sciweek.example.cn",
        DATABASE_URL=example_env()["DATABASE_URL"],
    )
    assert result.returncode == 1
    assert "sciweek.E003) The database password in DATABASE_URL is the example one." in (
        result.stderr
    )


def test_demo_refuses_the_production_profile(tmp_path):
    result = run(
        [SCIWEEK, "demo", "--no-serve"],
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=REAL_SECRET,
        SCIWEEK_DATA_KEY=REAL_DATA_KEY,
        ALLOWED_HOSTS="sciweek.example.cn",
    )
    assert result.returncode == 1
    assert "sciweek demo refuses to run with SCIWEEK_PROFILE=production" in result.stderr
    assert "Demo accounts" not in result.stdout
    # Nothing was migrated or created.
    assert not (tmp_path / "sciweek.sqlite3").exists()


STORAGE_SETUP = [
    sys.executable,
    "-c",
    "import django; django.setup(); from django.core.files.storage import storages; "
    "p = storages['private']; print(type(p).__name__, p.bucket_name, p.location, p.serve)",
]


def test_media_storage_s3_starts_with_both_storages_in_the_bucket(tmp_path):
    result = run(
        STORAGE_SETUP,
        tmp_path,
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="kjzb-media",
        MEDIA_S3_PREFIX="sciweek",
        MEDIA_S3_ENDPOINT_URL="https://oss-cn-qingdao.aliyuncs.com",
        MEDIA_S3_SERVE="redirect",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "PrivateMediaS3Storage kjzb-media sciweek/private redirect"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET."),
        ({"MEDIA_STORAGE": "nfs"}, "MEDIA_STORAGE is filesystem or s3."),
        (
            {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "b", "MEDIA_S3_SERVE": "public"},
            "MEDIA_S3_SERVE is proxy or redirect.",
        ),
    ],
)
def test_media_storage_misconfigured_refuses_to_start(tmp_path, extra, message):
    result = run(SETUP, tmp_path, **extra)
    assert result.returncode != 0
    assert message in result.stderr


LOG_SETUP = [
    sys.executable,
    "-c",
    "import django, logging; django.setup(); "
    "logging.getLogger('sciweek.test').warning('started for %s', '13812345678')",
]


def test_production_logs_json_lines_with_personal_data_masked(tmp_path):
    result = run(
        LOG_SETUP,
        tmp_path,
        SCIWEEK_PROFILE="production",
        SECRET_KEY=REAL_SECRET,
        SCIWEEK_DATA_KEY=REAL_DATA_KEY,
        ALLOWED_HOSTS="sciweek.example.cn",
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "WARNING",
        "sciweek.test",
        "started for 138****5678",
        "-",
    )


def test_development_logs_plain_lines_and_a_bad_log_format_refuses(tmp_path):
    plain = run(LOG_SETUP, tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert (
        plain.stderr.strip()
        .splitlines()[-1]
        .endswith(" WARNING sciweek.test [-] started for 138****5678")
    )
    refused = run(SETUP, tmp_path, LOG_FORMAT="xml")
    assert refused.returncode != 0
    assert "LOG_FORMAT is json or plain." in refused.stderr

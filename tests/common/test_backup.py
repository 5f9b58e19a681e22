"""`sciweek backup` and `sciweek restore`: the demo, backed up and restored into another empty
installation, comes back table for table and file for file; a damaged, newer or misplaced archive
is refused before anything is written; the data key never travels with the archive.

Each installation is a separate process (its own data directory, and on the PostgreSQL pass its
own database on the same server), exactly as an operator runs the commands.
"""

import base64
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(sys.executable).with_name("sciweek")
COUNTS = (
    "import json; from sciweek.common.backup import table_counts; print(json.dumps(table_counts()))"
)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


class Installation:
    """One SciWeek installation: a data directory and, on PostgreSQL, a database of its own."""

    def __init__(self, tmp: Path, key: str):
        self.data_dir = tmp / f"install-{uuid.uuid4().hex[:8]}"
        self.data_dir.mkdir()
        self.key = key
        self.database = None
        if ON_POSTGRES:
            db = settings.DATABASES["default"]
            self.database = f"sciweek_backup_{uuid.uuid4().hex[:10]}"
            self._psql(f'CREATE DATABASE "{self.database}"')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.database}"

    def _psql(self, sql: str) -> None:
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
            password=db.get("PASSWORD") or None, dbname="postgres", autocommit=True,
        ) as conn:  # fmt: skip
            conn.execute(sql)

    def drop(self) -> None:
        if self.database:
            self._psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "SCIWEEK_PROFILE", "DJANGO_SETTINGS_MODULE"}
        }
        env["SCIWEEK_DATA_DIR"] = str(self.data_dir)
        env["SCIWEEK_DATA_KEY"] = self.key
        if self.database:
            env["DATABASE_URL"] = self.url
        return subprocess.run(
            [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout
        )

    def counts(self) -> dict[str, int]:
        result = self.run("shell", "--no-imports", "-c", COUNTS)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def files(self) -> dict[str, bytes]:
        found = {}
        for root_name, root in (("default", "media"), ("private", "private")):
            base = self.data_dir / root
            for path in sorted(base.rglob("*")) if base.exists() else ():
                if path.is_file():
                    found[f"{root_name}/{path.relative_to(base)}"] = path.read_bytes()
        return found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("backup")


@pytest.fixture(scope="module")
def installations(workdir):
    made = []

    def make(key: str) -> Installation:
        installation = Installation(workdir, key)
        made.append(installation)
        return installation

    yield make
    for installation in made:
        installation.drop()


@pytest.fixture(scope="module")
def source(installations, workdir):
    """The demo, loaded and backed up once for the module."""
    installation = installations(_key())
    loaded = installation.run("demo", "--no-serve")
    assert loaded.returncode == 0, loaded.stderr
    backup = installation.run("backup", "--out", f"{workdir}/archives/")
    assert backup.returncode == 0, backup.stderr
    archive = Path(backup.stdout.strip())
    assert archive.parent == workdir / "archives"
    assert archive.name.startswith("sciweek-backup-") and archive.suffix == ".tar"
    assert "The data key is not in the archive" in backup.stderr
    return installation, archive


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of the archive with ``change(name, bytes) -> bytes`` applied to each member."""
    with tarfile.open(archive) as original, tarfile.open(out, "w") as copy:
        for member in original.getmembers():
            data = change(member.name, original.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return out


def test_restore_into_an_empty_installation_reproduces_every_table_and_file(source, installations):
    origin, archive = source
    target = installations(origin.key)
    migrated = target.run("migrate", "-v0")  # an operator may migrate first, or not
    assert migrated.returncode == 0, migrated.stderr

    restored = target.run("restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    expected = origin.counts()
    assert expected["accounts_user"] > 10 and expected["bookings_booking"] > 0
    assert target.counts() == expected
    source_files = origin.files()
    assert len(source_files) > 50
    assert target.files() == source_files
    assert "every table's row count matches the archive" in restored.stdout
    assert "this installation's key is the source's" in restored.stdout
    # The restored installation serves: its demo accounts' passwords and its migrations are there.
    check = target.run("migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_into_a_database_never_migrated_with_another_data_key(source, installations):
    origin, archive = source
    target = installations(_key())

    restored = target.run("restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert target.counts() == origin.counts()
    assert "is NOT the source's: set SCIWEEK_DATA_KEY" in restored.stdout


def test_the_archive_never_holds_the_data_key(source):
    origin, archive = source
    raw = archive.read_bytes()
    assert origin.key.encode() not in raw
    assert base64.b64decode(origin.key) not in raw
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert not any(name.endswith("data.key") for name in names)
    assert manifest["data_key_included"] is False
    assert manifest["database"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert ["activities", "0001_initial"] in manifest["migrations"]


def test_restore_refuses_an_installation_that_is_in_use(source, installations):
    origin, archive = source
    target = installations(origin.key)
    assert target.run("restore", str(archive)).returncode == 0
    before = target.counts()

    again = target.run("restore", str(archive))

    assert again.returncode == 1
    assert "This installation is not empty" in again.stderr
    assert target.counts() == before


def test_restore_refuses_a_damaged_archive_before_writing_anything(source, installations, workdir):
    origin, archive = source

    def damage(name, data):
        if name.startswith("media/private/"):
            return data[:-1] + bytes([data[-1] ^ 0xFF])
        return data

    damaged = _rewrite(archive, workdir / "damaged.tar", damage)
    target = installations(origin.key)

    refused = target.run("restore", str(damaged))

    assert refused.returncode == 1
    assert "The archive is damaged" in refused.stderr
    assert not target.files()
    check = target.run(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; print(len(connection.introspection.table_names()))",
    )
    assert check.stdout.strip() == "0"


def test_restore_refuses_an_archive_of_a_newer_version(source, installations, workdir):
    origin, archive = source

    def from_the_future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["activities", "9999_from_a_newer_sciweek"])
        return json.dumps(manifest).encode()

    newer = _rewrite(archive, workdir / "newer.tar", from_the_future)
    target = installations(origin.key)

    refused = target.run("restore", str(newer))

    assert refused.returncode == 1
    assert "made by a newer SciWeek" in refused.stderr
    assert "activities.9999_from_a_newer_sciweek" in refused.stderr


def test_restore_refuses_what_is_not_a_backup(installations, workdir):
    target = installations(_key())
    not_a_tar = workdir / "notes.tar"
    not_a_tar.write_text("hello")

    refused = target.run("restore", str(not_a_tar))
    missing = target.run("restore", str(workdir / "nowhere.tar"))

    assert refused.returncode == 1 and "not a readable archive" in refused.stderr
    assert missing.returncode == 1 and "No such archive" in missing.stderr

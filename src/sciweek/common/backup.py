"""Backups that restore: one tar archive holding the database, the media and a manifest.

The archive holds
- ``database.pgdump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online
  backup API): each database's own consistent format, so a restore needs no Django to read it;
- ``media/<storage>/<name>`` for every file of the public (``default``) and ``private``
  storages, read through the storage API so that a local disk and object storage back up alike;
- ``manifest.json`` (last): the version, the applied migrations, every table's row count, the
  SHA-256 of every other member, and a fingerprint of the data key.

The data key (``SCIWEEK_DATA_KEY``) is never written: without it the encrypted personal data in
the dump cannot be read, which is the point of keeping it apart. The fingerprint (a keyed hash of
a constant) lets the restore tell whether the key it runs with is the source's, and nothing more.

The database is dumped before the media are copied: a file uploaded meanwhile may be in the
archive without its row (harmless), but no row is without its file.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import crypto

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_STORAGES = ("default", "private")
CHUNK = 1024 * 1024
logger = logging.getLogger("sciweek.backup")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    mismatched_tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    same_data_key: bool = True


# --- reading the installation -----------------------------------------------------------------


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def table_counts() -> dict[str, int]:
    """Every table's row count, by table name (Django's and any other in the database)."""
    connection = _connection()
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            # The names come from the database itself, quoted by the backend.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def applied_migrations() -> list[list[str]]:
    connection = _connection()
    if "django_migrations" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in a storage, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from _storage_files(storage, f"{directory}/{sub}" if directory else sub)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """A read-only stream that hashes what passes through it (for tarfile.addfile)."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


# --- the database in its own format ---------------------------------------------------------------


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = _connection().settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # never on the command line, where ps shows it
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (it comes with the PostgreSQL client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - fixed argv
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(target_dir: Path) -> Path:
    vendor = _connection().vendor
    if vendor == "postgresql":
        path = target_dir / "database.pgdump"
        args, env = _pg_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(path),
                *args,
            ],
            env,
        )
        return path
    if vendor == "sqlite":
        path = target_dir / "database.sqlite3"
        source = sqlite3.connect(_connection().settings_dict["NAME"])
        try:
            destination = sqlite3.connect(path)
            with destination:
                source.backup(destination)  # a consistent copy while others write
            destination.close()
        finally:
            source.close()
        return path
    raise BackupError(f"Backups of a {vendor} database are not supported.")


def _restore_database(dump: Path) -> None:
    connection = _connection()
    vendor = connection.vendor
    expected = "database.pgdump" if vendor == "postgresql" else "database.sqlite3"
    if dump.name != expected:
        raise BackupError(
            f"The archive holds a {dump.name} but this installation runs on {vendor}: restore it"
            " on the same kind of database it came from."
        )
    connection.close()
    if vendor == "postgresql":
        args, env = _pg_environment()
        # --clean drops what ``migrate`` may have created in the empty target first.
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", *args, str(dump)],
            env,
        )  # fmt: skip
    else:
        source = sqlite3.connect(dump)
        try:
            destination = sqlite3.connect(connection.settings_dict["NAME"])
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()


# --- backup ---------------------------------------------------------------------------------------


def data_key_fingerprint() -> str:
    """Says whether two installations share the data key, and nothing about the key."""
    return crypto.keyed_hash("sciweek backup data-key fingerprint")[:16]


def default_archive_name() -> str:
    return f"sciweek-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"


def create_backup(out: Path, progress: Callable[[str], None] = lambda line: None) -> Path:
    """Write the archive to ``out`` (a file, or a directory to put a dated file in)."""
    if out.is_dir():
        out = out / default_archive_name()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    checksums: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="sciweek-backup-") as work:
        counts = table_counts()
        migrations = applied_migrations()
        dump = _dump_database(Path(work))
        progress(f"database: {sum(counts.values())} rows in {len(counts)} tables")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            checksums[dump.name] = _sha256_file(dump)
            for alias in MEDIA_STORAGES:
                storage = storages[alias]
                count = 0
                for name in _storage_files(storage):
                    member = f"media/{alias}/{name}"
                    info = tarfile.TarInfo(member)
                    info.size = storage.size(name)
                    info.mtime = int(timezone.now().timestamp())
                    with storage.open(name, "rb") as handle:
                        reader = _HashingReader(handle)
                        archive.addfile(info, reader)
                    checksums[member] = reader.digest.hexdigest()
                    count += 1
                progress(f"media ({alias}): {count} files")
            manifest = {
                "format": FORMAT,
                "sciweek": version("sciweek"),
                "created_at": timezone.localtime().isoformat(),
                "database": _connection().vendor,
                "migrations": migrations,
                "tables": counts,
                "files": checksums,
                "data_key_fingerprint": data_key_fingerprint(),
                "data_key_included": False,
            }
            payload = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(payload)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(payload))
    partial.replace(out)  # a half-written archive never carries the final name
    return out


# --- restore --------------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("This is not a SciWeek backup: it has no manifest.json.") from None
    manifest = json.loads(archive.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _verify_members(archive: tarfile.TarFile, manifest: dict) -> None:
    expected = manifest["files"]
    seen = set()
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in expected or not member.isfile():
            raise BackupError(f"The archive holds an unexpected member: {member.name}")
        digest = hashlib.sha256()
        handle = archive.extractfile(member)
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != expected[member.name]:
            raise BackupError(f"The archive is damaged: {member.name} does not match its checksum.")
        seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"The archive is incomplete: {sorted(missing)[0]} is missing.")


def _check_migrations(manifest: dict) -> None:
    """Refuse an archive made by a newer SciWeek: its tables would not match this code."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            "The archive was made by a newer SciWeek (unknown migrations: "
            f"{', '.join(unknown[:5])}). Install that version, then restore."
        )


def _check_empty() -> None:
    """An installation is empty when nobody has an account there and it holds no media.

    ``migrate`` itself writes rows (content types, permissions, the default consent texts), so
    "no rows at all" would refuse a freshly migrated database; any installation in use has users.
    """
    user_table = get_user_model()._meta.db_table
    users = table_counts().get(user_table, 0)
    if users:
        raise BackupError(
            f"This installation is not empty ({users} user accounts): restore only into an empty"
            " database and data directory, so that nothing is lost."
        )
    for alias in MEDIA_STORAGES:
        if next(_storage_files(storages[alias]), None) is not None:
            raise BackupError(f"This installation's {alias} media storage is not empty.")


def restore_backup(
    path: Path, progress: Callable[[str], None] = lambda line: None
) -> RestoreResult:
    if not path.is_file():
        raise BackupError(f"No such archive: {path}")
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 - closed by the with below
    except tarfile.TarError as error:
        raise BackupError(f"This is not a readable archive: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="sciweek-restore-") as work:
        manifest = read_manifest(archive)
        _verify_members(archive, manifest)
        progress(f"archive of {manifest['created_at']} verified: {len(manifest['files'])} files")
        _check_migrations(manifest)
        _check_empty()
        dump_name = (
            "database.pgdump" if manifest["database"] == "postgresql" else "database.sqlite3"
        )
        dump = Path(work) / dump_name
        with archive.extractfile(dump_name) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        _restore_database(dump)
        dump.unlink()
        files = 0
        for member in archive.getmembers():
            if not member.name.startswith("media/"):
                continue
            _prefix, alias, name = member.name.split("/", 2)
            if alias not in MEDIA_STORAGES:
                raise BackupError(f"Unknown storage in the archive: {alias}")
            with archive.extractfile(member) as handle:
                saved = storages[alias].save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"{alias} storage renamed {name} to {saved}.")
            files += 1
        progress(f"media: {files} files")
    counts = table_counts()
    mismatched = {
        name: (rows, counts.get(name, 0))
        for name, rows in manifest["tables"].items()
        if counts.get(name, 0) != rows
    }
    _clear_cache()
    return RestoreResult(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=files,
        mismatched_tables=mismatched,
        same_data_key=manifest["data_key_fingerprint"] == data_key_fingerprint(),
    )


def _clear_cache() -> None:
    """Pages cached before the restore describe another installation."""
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # a cache that is down holds nothing stale either
        logger.warning("The cache could not be cleared after the restore.", exc_info=True)


def describe_archive(path: Path) -> dict:
    with tarfile.open(path, "r") as archive:
        return read_manifest(archive)

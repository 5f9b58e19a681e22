"""The object-storage configuration (MEDIA_STORAGE=s3) and the storage's own reads, against the
local moto server (tests/s3server.py)."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from sciweek.common.objectstorage import PrivateMediaS3Storage, s3_storages
from sciweek.common.storage import private_storage, read_chunks
from tests.s3server import storages_for


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bucket": ""}, "MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET."),
        ({"bucket": "b", "serve": "public"}, "MEDIA_S3_SERVE is proxy or redirect."),
        (
            {"bucket": "b", "addressing_style": "dns"},
            "MEDIA_S3_ADDRESSING_STYLE is auto, path or virtual.",
        ),
    ],
)
def test_bad_configuration_is_refused_with_the_setting_named(options, message):
    with pytest.raises(ImproperlyConfigured) as caught:
        s3_storages(**options)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "options", [{"default_acl": "public-read"}, {"object_parameters": {"ACL": "public-read"}}]
)
def test_private_storage_refuses_a_public_acl(options):
    with pytest.raises(ImproperlyConfigured):
        PrivateMediaS3Storage(bucket_name="b", **options)


def test_private_storage_always_signs_and_never_uses_a_public_domain():
    config = s3_storages(bucket="b", public_domain="media.example.cn")
    private = config["private"]["OPTIONS"]
    storage = PrivateMediaS3Storage(
        **{**private, "custom_domain": "cdn.example.cn", "querystring_auth": False}
    )
    assert (storage.querystring_auth, storage.custom_domain, storage.default_acl) == (
        True,
        None,
        "private",
    )
    public = config["default"]["OPTIONS"]
    assert (public["custom_domain"], public["querystring_auth"]) == ("media.example.cn", False)
    assert (public["location"], private["location"]) == ("public", "private")
    prefixed = s3_storages(bucket="b", prefix="/sciweek/")
    assert prefixed["private"]["OPTIONS"]["location"] == "sciweek/private"


def test_stream_reads_ranges_and_a_missing_object_is_file_not_found(s3_media):
    storage = private_storage()
    name = storage.save("x/data.bin", ContentFile(bytes(range(256)) * 1024))
    assert b"".join(storage.stream(name, 1000, 1009)) == (bytes(range(256)) * 1024)[1000:1010]
    assert b"".join(storage.stream(name)) == bytes(range(256)) * 1024
    with pytest.raises(FileNotFoundError):
        storage.stream("x/missing.bin")
    # The same name again gets a new one: nothing is overwritten silently.
    assert storage.save("x/data.bin", ContentFile(b"other")) != name


def test_read_chunks_gives_the_whole_file_from_either_storage(s3_media, settings, tmp_path):
    content = b"SciWeek " * 50_000
    for backend in ("s3", "filesystem"):
        if backend == "filesystem":
            settings.STORAGES = {
                **settings.STORAGES,
                "private": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path), "base_url": None},
                },
            }
        storage = private_storage()
        name = storage.save("r/file.bin", ContentFile(content))
        assert b"".join(read_chunks(SimpleNamespace(storage=storage, name=name))) == content


def test_public_storage_urls_are_signed_without_a_public_domain(s3_media):
    storage = storages["default"]
    name = storage.save("poster.jpg", ContentFile(b"jpeg"))
    assert name == "poster.jpg"
    assert s3_media.object_keys() == ["public/poster.jpg"]
    query = parse_qs(urlsplit(storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert (
        storages_for(s3_media.endpoint, s3_media.bucket)["default"]["OPTIONS"]["querystring_auth"]
        is True
    )

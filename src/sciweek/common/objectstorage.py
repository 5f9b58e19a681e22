"""Media in S3-compatible object storage (``MEDIA_STORAGE=s3``): Alibaba OSS, Tencent COS, Huawei
OBS, MinIO, Ceph or AWS.

Both storages (``default`` and ``private``) are :class:`MediaS3Storage`; the private one writes
every object with a private ACL, never has a public domain, and is read only by the views that
checked permission. Such a view either streams the object through the application, asking the
service for just the byte range the browser wants (``stream``), or, with
``MEDIA_S3_SERVE=redirect``, answers with a short-lived signed URL (``signed_url``) that carries
the file name, type and caching the view decided.

Writes stream: django-storages hands the (spooled-to-disk) upload to boto3's multipart transfer,
which reads it in ``multipart_chunksize`` parts, ``max_concurrency`` at a time, so an upload
costs about their product in memory whatever its size. Reads for files (``open``) spool to a
temporary file above ``max_memory_size``; ``stream`` holds one chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from botocore.exceptions import ClientError
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK = 64 * 1024
SERVE_MODES = ("proxy", "redirect")


def _missing(err: ClientError) -> bool:
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status == 404 or err.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}


class MediaS3Storage(S3Storage):
    def get_default_settings(self):
        # "serve": how the permission-checking views hand a file to the browser (SERVE_MODES).
        return {**super().get_default_settings(), "serve": "proxy"}

    @property
    def serves_by_redirect(self) -> bool:
        return self.serve == "redirect"

    def _key(self, name: str) -> str:
        return self._normalize_name(clean_name(name))

    def stream(
        self, name: str, start: int | None = None, end: int | None = None
    ) -> Iterator[bytes]:
        """The object's bytes (``start``–``end`` inclusive when given), one chunk at a time.

        The request is made here, so a missing object raises FileNotFoundError before any
        response has started; the body is read as the iterator is consumed.
        """
        params = {"Bucket": self.bucket_name, "Key": self._key(name)}
        if start is not None:
            params["Range"] = f"bytes={start}-{'' if end is None else end}"
        try:
            body = self.connection.meta.client.get_object(**params)["Body"]
        except ClientError as err:
            if _missing(err):
                raise FileNotFoundError(name) from err
            raise

        def chunks():
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()

        return chunks()

    def signed_url(
        self,
        name: str,
        *,
        filename: str,
        content_type: str,
        cache_control: str,
        as_attachment: bool = False,
    ) -> str:
        """A GET URL valid for ``querystring_expire`` seconds that answers with these headers."""
        disposition = "attachment" if as_attachment else "inline"
        return self.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
                "ResponseCacheControl": cache_control,
            },
        )


class PrivateMediaS3Storage(MediaS3Storage):
    """The private storage: whatever the options say, URLs are signed, no public domain is used
    and no object is written with a public ACL."""

    def __init__(self, **settings):
        super().__init__(**settings)
        if (self.default_acl or "").startswith("public") or "ACL" in self.object_parameters:
            raise ImproperlyConfigured("The private media storage never writes public objects.")
        self.querystring_auth = True
        self.custom_domain = None


def s3_storages(
    *,
    bucket: str,
    public_bucket: str = "",
    prefix: str = "",
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    addressing_style: str = "auto",
    signature_version: str = "s3v4",
    url_lifetime: int = 300,
    serve: str = "proxy",
    private_acl: str = "private",
    public_domain: str | None = None,
    verify: str = "1",
    max_memory_size: int = 2 * 1024 * 1024,
) -> dict:
    """The ``default`` and ``private`` entries of STORAGES for MEDIA_STORAGE=s3 (settings.py).

    One bucket may hold both under ``<prefix>public/`` and ``<prefix>private/``; the bucket
    itself stays private either way (the public storage signs its URLs unless a public domain,
    e.g. a CDN in front of a separate public bucket, is named).
    """
    from boto3.s3.transfer import TransferConfig
    from botocore.config import Config

    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")
    if serve not in SERVE_MODES:
        raise ImproperlyConfigured("MEDIA_S3_SERVE is proxy or redirect.")
    if addressing_style not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured("MEDIA_S3_ADDRESSING_STYLE is auto, path or virtual.")
    transfer = TransferConfig(
        multipart_threshold=8 * 1024 * 1024,
        multipart_chunksize=8 * 1024 * 1024,
        max_concurrency=2,
    )
    # s3transfer's own knob; boto3's TransferConfig does not take it as an argument.
    transfer.max_in_memory_upload_chunks = 2
    common = {
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        # "0" turns TLS verification off (a test service); a path names a CA bundle.
        "verify": {"0": False, "1": None, "": None}.get(verify, verify),
        "client_config": Config(
            s3={"addressing_style": addressing_style},
            signature_version=signature_version,
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        # Uploads go up in 8 MB parts, two at a time and at most two read ahead (boto3 would
        # read ten): ~16 MB of memory for any size of video.
        "transfer_config": transfer,
        # Reading a file whole (open()) spools to disk past this size.
        "max_memory_size": max_memory_size,
        # Names are random keys; never overwrite an object silently (as on a disk).
        "file_overwrite": False,
        "querystring_expire": url_lifetime,
        "serve": serve,
    }
    prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    return {
        "default": {
            "BACKEND": "sciweek.common.objectstorage.MediaS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": public_bucket or bucket,
                "location": f"{prefix}public",
                "custom_domain": public_domain or None,
                "querystring_auth": not public_domain,
            },
        },
        "private": {
            "BACKEND": "sciweek.common.objectstorage.PrivateMediaS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                "location": f"{prefix}private",
                "default_acl": private_acl or None,
            },
        },
    }

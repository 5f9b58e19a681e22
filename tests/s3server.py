"""A real S3-compatible server for the object-storage tests: moto in server mode, in its own
process on 127.0.0.1 and a free port, spoken to over HTTP by boto3 exactly as OSS, COS or MinIO
would be. Nothing leaves the machine.

``s3_server`` (one per test run) starts it; ``s3_media`` (per test) points both media storages
(``MEDIA_STORAGE=s3``) at a fresh bucket of it and gives the test a client to look inside.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import boto3
import pytest
from botocore.config import Config

from sciweek.common.objectstorage import s3_storages

CREDENTIALS = {"access_key": "sciweek-test", "secret_key": "sciweek-test-secret"}
REGION = "cn-north-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start listening")


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto S3 server running for this test session."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_listening(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class S3Media:
    endpoint: str
    bucket: str
    client: object

    def object_keys(self) -> list[str]:
        answer = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


def make_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        config=Config(s3={"addressing_style": "path"}),
    )


def storages_for(endpoint: str, bucket: str, **overrides) -> dict:
    return s3_storages(
        bucket=bucket,
        endpoint_url=endpoint,
        region=REGION,
        addressing_style="path",
        **CREDENTIALS,
        **overrides,
    )


@pytest.fixture
def s3_media(s3_server, settings):
    """Both media storages in a new bucket of the moto server (proxy serving)."""
    bucket = f"sciweek-{uuid.uuid4().hex[:12]}"
    client = make_client(s3_server)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, **storages_for(s3_server, bucket)}
    return S3Media(endpoint=s3_server, bucket=bucket, client=client)

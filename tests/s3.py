"""A local S3-compatible server for tests (moto's server mode): private
storage in a bucket, for this process and for worker subprocesses alike.
No cloud access: the server listens on 127.0.0.1 on a free port.
"""

import logging
import os
import socket
import uuid
from dataclasses import dataclass

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REGION = "us-east-1"
ACCESS_KEY, SECRET_KEY = "league-test", "league-test-secret"


def require_moto():
    """moto's server, or a loud skip (an error in CI, which installs it)."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        reason = f"needs moto[server] for a local S3 server ({exc}); pip install 'moto[server]'"
        if IN_CI:
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    return ThreadedMotoServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Bucket:
    endpoint: str
    name: str

    def env(self) -> dict[str, str]:
        """The environment that points a worker's private storage at this bucket."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.name,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def keys(self) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.name, Key=key)["Body"].read()


class S3Server:
    def __init__(self):
        server_class = require_moto()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        self._server = server_class(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()

    def new_bucket(self) -> Bucket:
        bucket = Bucket(endpoint=self.endpoint, name=f"league-{uuid.uuid4().hex[:12]}")
        bucket.client().create_bucket(Bucket=bucket.name)
        return bucket

    def stop(self) -> None:
        self._server.stop()

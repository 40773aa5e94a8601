"""A real S3-compatible server for the storage tests: moto's standalone server, a process of its
own listening over HTTP on a free loopback port. Nothing of boto3 is mocked: django-storages and
boto3 talk to it exactly as to any S3 endpoint."""

import importlib.util
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import httpx

from tests.support.servers import free_port

REGION = "us-east-1"
# moto accepts any credentials; these are the placeholders its documentation uses.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def moto_command(port: int) -> list[str] | None:
    """How to start the server: this interpreter's moto (requirements/dev.txt), else a
    `moto_server` on PATH; None when neither exists."""
    args = ["-H", "127.0.0.1", "-p", str(port)]
    if importlib.util.find_spec("moto") is not None:
        return [sys.executable, "-m", "moto.server", *args]
    found = shutil.which("moto_server")
    return [found, *args] if found else None


@contextmanager
def moto_server() -> Iterator[str]:
    """Start the server, yield its endpoint URL once it answers, stop it afterwards."""
    port = free_port()
    command = moto_command(port)
    if command is None:
        raise RuntimeError("moto[server] is not installed (requirements/dev.txt)")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{endpoint}/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def keys(s3: Any, bucket: str, prefix: str = "") -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}

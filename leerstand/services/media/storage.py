"""Where the bytes of photos and documents live: a folder on disk (``DiskStore``, MEDIA_DIR,
outside ``static/``: nothing is served without the access check of the media route) or an
S3-compatible bucket (``S3Store``, boto3). Keys are made here (``new_key``: random), never
from a user's file name. ``purge_trash`` removes the files of deleted rows after the commit.

Never decides who may read a file (``visibility``) and never touches the rows' metadata."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from leerstand.config import REPO_ROOT

KEY = re.compile(r"^[0-9]{1,10}/[0-9a-f]{32}(-thumb)?\.(jpg|png|pdf)$")
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


class Store(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def new_key(municipality_id: int, mime: str, thumb: bool = False) -> str:
    """A fresh random key: "<municipality>/<32 hex>[-thumb].<ext>"."""
    suffix = "-thumb" if thumb else ""
    return f"{int(municipality_id)}/{secrets.token_hex(16)}{suffix}.{EXTENSIONS[mime]}"


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError(f"not a media key: {key!r}")
    return key


class DiskStore:
    """Files under ``root`` (created on demand); written to a temporary file, then renamed."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def all_keys(self) -> list[str]:
        """Every stored key (for tests and a sweep)."""
        if not self.root.is_dir():
            return []
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.glob("*/*")
            if KEY.match(str(p.relative_to(self.root)))
        )


class S3Store:
    """Objects in ``bucket`` of an S3-compatible server (AWS, MinIO, Ceph, Garage …)."""

    def __init__(self, client, bucket: str):
        self.client, self.bucket = client, bucket

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=_checked(key), Body=data, ContentType=content_type
        )

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=_checked(key))
        except self.client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(key) from exc
        return answer["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_checked(key))  # absent: no error

    def all_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def default_media_dir() -> str:
    return str(REPO_ROOT / "instance" / "media")


def store_from_config(config: Mapping) -> Store:
    """MEDIA_STORE "disk" (default: MEDIA_DIR) or "s3" (S3_ENDPOINT_URL, S3_BUCKET,
    S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION)."""
    kind = (config.get("MEDIA_STORE") or "disk").strip().lower()
    if kind == "disk":
        return DiskStore(config.get("MEDIA_DIR") or default_media_dir())
    if kind != "s3":
        raise ValueError(f"MEDIA_STORE must be 'disk' or 's3', not {kind!r}")
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        region_name=config.get("S3_REGION") or "us-east-1",
    )
    return S3Store(client, config["S3_BUCKET"])


TRASH = "DELETE FROM media_trash WHERE key IN (SELECT key FROM media_trash LIMIT 500) RETURNING key"


def purge_trash(session: Session, store: Store) -> int:
    """Remove the files of deleted media rows (``media_trash``, filled by a trigger, so only
    rows whose deletion committed) and empty the trash; the caller commits. A file that fails
    to go stays in the trash for the next run. Returns how many keys went."""
    keys = [row[0] for row in session.execute(text(TRASH))]
    failed = []
    for key in keys:
        try:
            store.delete(key)
        except Exception:  # a store outage must not lose the key
            failed.append(key)
    for key in failed:
        session.execute(
            text("INSERT INTO media_trash (key) VALUES (:k) ON CONFLICT DO NOTHING"), {"k": key}
        )
    return len(keys) - len(failed)

"""The media stores: an S3-compatible bucket (boto3 against moto's real HTTP server on
loopback, ThreadedMotoServer – not an in-process mock) and the disk folder; keys are the app's
own; ``purge_trash`` removes the files of deleted rows and keeps a key whose file could not go."""

from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy import select, text

from leerstand.models import MediaTrash
from leerstand.services.media import photos
from leerstand.services.media.storage import DiskStore, new_key, purge_trash, store_from_config
from tests import factories as f
from tests.media_files import pdf, png
from tests.smtp import free_port

BUCKET = "leerstand-medien"


@pytest.fixture(scope="module")
def s3_config():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    config = {
        "MEDIA_STORE": "s3",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_BUCKET": BUCKET,
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
        "S3_REGION": "eu-central-1",
    }
    client = boto3.client(
        "s3", endpoint_url=config["S3_ENDPOINT_URL"], aws_access_key_id="test-key",
        aws_secret_access_key="test-secret", region_name="eu-central-1",
    )  # fmt: skip
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    yield config
    server.stop()


def test_s3_round_trip(s3_config):
    store = store_from_config(s3_config)
    key = new_key(7, "application/pdf")
    store.put(key, pdf(), "application/pdf")
    assert store.get(key) == pdf()
    assert key in store.all_keys()
    raw = boto3.client(
        "s3", endpoint_url=s3_config["S3_ENDPOINT_URL"], aws_access_key_id="test-key",
        aws_secret_access_key="test-secret", region_name="eu-central-1",
    ).head_object(Bucket=BUCKET, Key=key)  # fmt: skip
    assert raw["ContentType"] == "application/pdf"
    store.delete(key)
    store.delete(key)  # already gone: no error
    with pytest.raises(FileNotFoundError):
        store.get(key)


def test_a_photo_through_the_s3_store(session, base, s3_config):
    store = store_from_config(s3_config)
    unit = f.unit(session, f.building(session, base.municipality))
    photo = photos.add_unit_photo(
        session, store, unit_id=unit.id, data=png(), caption="", taken_on=None,
        user_id=base.staff.id,
    )  # fmt: skip
    assert store.get(photo.thumb_key)[:3] == b"\xff\xd8\xff"
    keys = {photo.file_key, photo.thumb_key}
    photos.delete(session, photo, base.staff.id)
    assert purge_trash(session, store) == 2
    assert keys.isdisjoint(store.all_keys())


def test_keys_are_random_and_checked(tmp_path):
    first, second = new_key(1, "image/jpeg"), new_key(1, "image/jpeg")
    assert first != second and first.startswith("1/") and first.endswith(".jpg")
    assert new_key(1, "image/jpeg", thumb=True).endswith("-thumb.jpg")
    store = DiskStore(tmp_path)
    for bad in ("../etc/passwd", "1/../../x.jpg", "1/abc.jpg", "/1/" + "a" * 32 + ".jpg"):
        with pytest.raises(ValueError):
            store.get(bad)


def test_a_file_that_cannot_go_stays_in_the_trash(session, tmp_path):
    class Broken(DiskStore):
        def delete(self, key):
            raise OSError("disk gone")

    key = new_key(1, "image/png")
    session.execute(text("INSERT INTO media_trash (key) VALUES (:k)"), {"k": key})
    assert purge_trash(session, Broken(tmp_path)) == 0
    assert session.scalars(select(MediaTrash.key)).all() == [key]
    store = DiskStore(tmp_path)
    store.put(key, png(), "image/png")
    assert purge_trash(session, store) == 1
    assert store.all_keys() == [] and session.scalars(select(MediaTrash.key)).all() == []


def test_the_daily_retention_run_removes_files_still_in_the_trash(app, session, tmp_path):
    """A file whose removal after its request failed (a store outage) goes with the next
    ``flask retention``; the run says how many."""
    store = DiskStore(tmp_path / "media")
    waiting, kept = new_key(1, "image/png"), new_key(1, "image/png")
    for key in (waiting, kept):
        store.put(key, png(), "image/png")
    session.execute(text("INSERT INTO media_trash (key) VALUES (:k)"), {"k": waiting})
    old = {key: app.config.get(key) for key in ("MEDIA_STORE", "MEDIA_DIR")}
    app.config.update(MEDIA_STORE="disk", MEDIA_DIR=str(tmp_path / "media"))
    try:
        result = app.test_cli_runner().invoke(args=["retention"])
    finally:
        app.config.update(old)
    assert result.exit_code == 0, result.output
    assert "Gelöschte Dateien: 1." in result.output
    assert store.all_keys() == [kept]
    assert session.scalars(select(MediaTrash.key)).all() == []

"""The wizard's upload folders (services/imports/uploads.py): owner check, age limit, one
commit per upload, settings that forget an earlier dry run."""

from __future__ import annotations

import io
import json
import time

import pytest

from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.imports import uploads


def _start(tmp_path, user_id=1, municipality_id=1):
    return uploads.start(tmp_path, user_id, municipality_id, "liste.csv", io.BytesIO(b"a;b\n1;2\n"))


def test_start_stores_file_and_meta(tmp_path):
    upload = _start(tmp_path)
    assert upload.path.read_bytes() == b"a;b\n1;2\n"
    meta = json.loads((upload.folder / "meta.json").read_text(encoding="utf-8"))
    assert (meta["user_id"], meta["municipality_id"], meta["file_name"]) == (1, 1, "liste.csv")
    assert meta["settings"] is None
    assert len(upload.token) == 32 and upload.folder.parent == tmp_path


def test_load_only_for_the_owner(tmp_path):
    upload = _start(tmp_path, user_id=7, municipality_id=3)
    assert uploads.load(tmp_path, upload.token, 7, 3).file_name == "liste.csv"
    for user_id, municipality_id in ((8, 3), (7, 4)):
        with pytest.raises(NotFound):
            uploads.load(tmp_path, upload.token, user_id, municipality_id)


@pytest.mark.parametrize("token", ["", "..", "../etc", "a" * 19, "a" * 65, "abc/def" * 4])
def test_load_refuses_odd_tokens(tmp_path, token):
    with pytest.raises(NotFound):
        uploads.load(tmp_path, token, 1, 1)


def test_old_folders_go_young_ones_stay(tmp_path):
    old, young = _start(tmp_path), _start(tmp_path)
    now = time.time()
    old.meta["created"] = now - 24 * 3600 - 1
    young.meta["created"] = now - 24 * 3600 + 60
    for upload in (old, young):
        (upload.folder / "meta.json").write_text(json.dumps(upload.meta), encoding="utf-8")
    assert uploads.remove_old(tmp_path, now) == 1
    assert not old.folder.exists() and young.folder.exists()


def test_a_new_upload_removes_old_ones(tmp_path):
    old = _start(tmp_path)
    old.meta["created"] = time.time() - 25 * 3600
    (old.folder / "meta.json").write_text(json.dumps(old.meta), encoding="utf-8")
    _start(tmp_path)
    assert not old.folder.exists()


def test_commit_is_claimed_once_and_released_after_a_failure(tmp_path):
    upload = _start(tmp_path)
    assert not uploads.committed(upload)
    uploads.claim_commit(upload)
    assert uploads.committed(upload)
    with pytest.raises(ServiceError, match="bereits übernommen"):
        uploads.claim_commit(upload)
    uploads.release_commit(upload)
    uploads.claim_commit(upload)


def test_new_settings_forget_the_dry_run(tmp_path):
    upload = _start(tmp_path)
    uploads.save_plan(upload, {"counts": {"create": 1}, "rows": []})
    uploads.write_status(upload, "plan", uploads.DONE, 1, 1)
    uploads.save_settings(upload, {"columns": {"street": "a"}})
    assert uploads.load_plan(upload) is None and uploads.status(upload) is None
    again = uploads.load(tmp_path, upload.token, 1, 1)
    assert again.settings == {"columns": {"street": "a"}}


def test_status_round_trip(tmp_path):
    upload = _start(tmp_path)
    assert uploads.status(upload) is None
    before = time.time()
    uploads.write_status(upload, "commit", uploads.RUNNING, 200, 1000)
    status = uploads.status(upload)
    assert before <= status.pop("updated") <= time.time()
    assert status == {
        "kind": "commit",
        "state": "running",
        "done": 200,
        "total": 1000,
        "error": None,
        "waiting": False,
    }


def test_a_job_silent_for_15_minutes_counts_as_interrupted(tmp_path):
    upload = _start(tmp_path)
    uploads.write_status(upload, "commit", uploads.RUNNING, 200, 1000)
    updated = uploads.status(upload)["updated"]
    assert uploads.status(upload, now=updated + 15 * 60)["state"] == "running"
    late = uploads.status(upload, now=updated + 15 * 60 + 1)
    assert late["state"] == "failed" and "unterbrochen" in late["error"]


def test_a_queued_job_is_not_cut_off_while_the_queue_has_it(tmp_path):
    upload = _start(tmp_path)
    uploads.write_status(upload, "plan", uploads.RUNNING, job_id=7)
    updated = uploads.status(upload)["updated"]
    late = updated + 60 * 60  # an hour without a report
    asked = []

    def queue(answer):
        return lambda job_id: asked.append(job_id) or answer

    waiting = uploads.status(upload, queue("todo"), now=late)
    assert (waiting["state"], waiting["waiting"], asked) == ("running", True, [7])
    running = uploads.status(upload, queue("doing"), now=late)
    assert (running["state"], running["waiting"]) == ("running", False)
    done_by_queue = uploads.status(upload, queue("succeeded"), now=late)
    assert done_by_queue["state"] == "failed"  # the file was never told: cut off
    fresh = uploads.status(upload, queue("succeeded"), now=updated + 60)
    assert fresh["state"] == "running"


def test_a_job_the_queue_gave_up_is_failed_at_once(tmp_path):
    upload = _start(tmp_path)
    uploads.write_status(upload, "commit", uploads.RUNNING, job_id=9)
    updated = uploads.status(upload)["updated"]
    for given_up in ("failed", "cancelled", "aborted"):
        status = uploads.status(upload, lambda job_id, s=given_up: s, now=updated + 1)
        assert status["state"] == "failed" and "unterbrochen" in status["error"]


def test_settings_are_refused_after_the_commit(tmp_path):
    upload = _start(tmp_path)
    uploads.claim_commit(upload)
    with pytest.raises(ServiceError, match="bereits übernommen"):
        uploads.save_settings(upload, {"columns": {}})


def test_one_attempt_means_no_retry_strategy():
    """procrastinate reads ``max_attempts=0`` as "retry for ever": one run has no strategy."""
    from leerstand.services.jobs.runtime import retry_policy

    assert retry_policy(1) is None
    assert retry_policy(2).max_attempts == 1 and retry_policy(3).max_attempts == 2

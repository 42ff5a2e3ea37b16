"""Uploaded import files between the wizard's steps: nothing reaches the register before the
commit, so the file, the chosen settings, the dry run's result and the progress of a running
job live in a folder per upload under ``IMPORT_DIR``.

The folder is named by a random token (``secrets.token_urlsafe``) and holds ``meta.json``
(user id, municipality id, file name, settings, created time), the file itself (``upload``),
``status.json`` (the running or last job: kind, state, done/total, error, batch id) and
``plan.json`` (the dry run's rows and counts). Messages in them (the error, the rows' labels
and problems) are stored as msgid and parameters (``message_data``) and read back as ``Text``,
so that the page shows them in the visitor's language, which the job does not know. A token
works only for the user and municipality that uploaded it (anyone else gets ``NotFound``);
folders older than ``MAX_AGE`` are removed whenever a new upload starts. Files are replaced
atomically (write + rename), so a page polling the status never reads half a file."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from leerstand.messages import Text
from leerstand.services.errors import NotFound, ServiceError

MAX_AGE = 24 * 3600  # seconds an upload folder is kept
STALE = 15 * 60  # a running job that has not reported for this long was cut off (restart)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
META, DATA, STATUS, PLAN, COMMIT_LOCK = "meta.json", "upload", "status.json", "plan.json", "commit"
RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class Upload:
    token: str
    folder: Path
    meta: dict

    @property
    def path(self) -> Path:
        """The uploaded file."""
        return self.folder / DATA

    @property
    def file_name(self) -> str:
        return self.meta["file_name"]

    @property
    def settings(self) -> dict | None:
        """The stored ``Settings.to_json()`` (None before the columns step)."""
        return self.meta.get("settings")


def message_data(message: object) -> object:
    """A message as JSON data: a ``Text`` as ``{"msgid", "params"}`` (a parameter that is a
    ``Text`` nested, a Decimal as a string), anything else as its text; None stays None."""
    if message is None:
        return None
    if not isinstance(message, Text):
        return str(message)
    params = {key: _param_data(value) for key, value in message.params.items()}
    return {"msgid": message.msgid, "params": params}


def _param_data(value: object) -> object:
    if isinstance(value, Text):
        return {"text": message_data(value)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if type(value) in (str, int, float, bool) or value is None:
        return value
    return str(value)


def message_from_data(data: object) -> object:
    """What ``message_data`` stored, back as a ``Text`` (plain text stays as it is)."""
    if not isinstance(data, dict):
        return data
    params = {key: _param_from_data(value) for key, value in (data.get("params") or {}).items()}
    return Text(data["msgid"], **params)


def _param_from_data(value: object) -> object:
    if isinstance(value, dict) and "text" in value:
        return message_from_data(value["text"])
    if isinstance(value, dict) and "decimal" in value:
        return Decimal(value["decimal"])
    return value


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def remove_old(base_dir: Path, now: float | None = None) -> int:
    """Delete upload folders older than ``MAX_AGE``; the number removed."""
    now = time.time() if now is None else now
    removed = 0
    if not base_dir.is_dir():
        return 0
    for folder in base_dir.iterdir():
        if folder.is_dir() and TOKEN_RE.match(folder.name):
            meta = _read_json(folder / META) or {}
            created = meta.get("created", folder.stat().st_mtime)
            if now - created > MAX_AGE:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def start(
    base_dir: Path, user_id: int, municipality_id: int, file_name: str, stream: BinaryIO
) -> Upload:
    """Store a new upload (after removing old ones) and return it."""
    remove_old(base_dir)
    token = secrets.token_urlsafe(24)
    folder = base_dir / token
    folder.mkdir(parents=True, mode=0o700)
    with open(folder / DATA, "wb") as out:
        shutil.copyfileobj(stream, out)
    meta = {
        "user_id": user_id,
        "municipality_id": municipality_id,
        "file_name": file_name,
        "settings": None,
        "created": time.time(),
    }
    _write_json(folder / META, meta)
    return Upload(token, folder, meta)


def load(base_dir: Path, token: str, user_id: int, municipality_id: int) -> Upload:
    """The upload of ``token`` when it belongs to this user and municipality, else NotFound."""
    folder = base_dir / token
    meta = _read_json(folder / META) if TOKEN_RE.match(token or "") else None
    if meta is None or (meta["user_id"], meta["municipality_id"]) != (user_id, municipality_id):
        raise NotFound(Text("Diese Importdatei gibt es nicht (mehr). Bitte neu hochladen."))
    return Upload(token, folder, meta)


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


def save_settings(upload: Upload, settings: dict) -> None:
    """Store new settings; an earlier dry run no longer applies and is forgotten. Refused
    (``ServiceError``) once the upload has been committed."""
    if committed(upload):
        raise ServiceError(ALREADY_COMMITTED)
    upload.meta["settings"] = settings
    _write_json(upload.folder / META, upload.meta)
    for name in (PLAN, STATUS):
        (upload.folder / name).unlink(missing_ok=True)


INTERRUPTED = Text(
    "Der Lauf wurde unterbrochen (z. B. durch einen Neustart des Servers). Bitte prüfen Sie "
    "unter „Importläufe“, ob die Datei übernommen wurde, und laden Sie sie sonst neu hoch."
)
ALREADY_COMMITTED = Text(
    "Diese Datei wurde bereits übernommen. Für eine weitere Übernahme laden Sie sie bitte neu hoch."
)


WAITING, ENDED = ("todo", "doing"), ("failed", "cancelled", "aborted")


def status(
    upload: Upload,
    queue_status: Callable[[int], str | None] | None = None,
    now: float | None = None,
) -> dict | None:
    """The running or last job: ``{"kind", "state", "done", "total", "error", "batch_id",
    "waiting"}`` (the error a ``Text``). A job still "running" counts as failed (interrupted)
    when the queue gave it up (``queue_status(job_id)``: failed, cancelled, aborted) or, unless
    the queue still has it waiting or running, without a report for ``STALE`` seconds;
    ``waiting`` is true while it waits for the background worker."""
    data = _read_json(upload.folder / STATUS)
    now = time.time() if now is None else now
    if data and data["state"] == RUNNING:
        job_id = data.get("job_id")
        queued = queue_status(job_id) if queue_status and job_id else None
        data["waiting"] = queued == "todo"
        stale = now - data.get("updated", now) > STALE and queued not in WAITING
        if stale or queued in ENDED:
            data.update(state=FAILED, error=message_data(INTERRUPTED))
    if data:
        data["error"] = message_from_data(data.get("error"))
    return data


def write_status(
    upload: Upload,
    kind: str,
    state: str,
    done: int = 0,
    total: int = 0,
    error: object = None,
    **extra,
):
    """Record the job's progress; ``error`` is a message (a ``Text``, stored translatable)."""
    data = {"kind": kind, "state": state, "done": done, "total": total}
    data["error"] = message_data(error)
    data.update(extra)
    data["updated"] = time.time()
    _write_json(upload.folder / STATUS, data)


def claim_commit(upload: Upload) -> None:
    """Mark the upload as being committed; a second commit of the same upload (a double click,
    another tab, another worker process) is refused. ``release_commit`` after a failure."""
    try:
        os.close(os.open(upload.folder / COMMIT_LOCK, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        raise ServiceError(
            Text("Diese Datei wird schon übernommen oder wurde bereits übernommen.")
        ) from None


def release_commit(upload: Upload) -> None:
    (upload.folder / COMMIT_LOCK).unlink(missing_ok=True)


def committed(upload: Upload) -> bool:
    return (upload.folder / COMMIT_LOCK).exists()


def save_plan(upload: Upload, plan: dict) -> None:
    """Store the dry run (``load_plan``); the rows' labels and problems may be ``Text``."""
    rows = [
        {
            **row,
            "label": message_data(row["label"]),
            "problems": [message_data(problem) for problem in row["problems"]],
        }
        for row in plan["rows"]
    ]
    _write_json(upload.folder / PLAN, {**plan, "rows": rows})


def load_plan(upload: Upload) -> dict | None:
    """The dry run's ``{"counts": {...}, "rows": [{"line", "action", "label", "problems"}]}``
    (labels and problems as ``Text`` again)."""
    plan = _read_json(upload.folder / PLAN)
    if plan is None:
        return None
    for row in plan["rows"]:
        row["label"] = message_from_data(row["label"])
        row["problems"] = [message_from_data(problem) for problem in row["problems"]]
    return plan

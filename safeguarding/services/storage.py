"""Uploads: checked (type by content, not just by name; size), stored under
UPLOAD_FOLDER with a random name, recorded as a `StoredFile`, and sent back only by
routes that have checked the user may see the record the file belongs to."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from pathlib import Path

from flask import current_app, send_file
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models.files import StoredFile
from safeguarding.services.errors import NotFound, ValidationFailed

KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENTS = ("pdf", "docx", "xlsx")
KIND_NAMES = {"pdf": "PDF", "docx": "Word document (DOCX)", "xlsx": "Excel spreadsheet (XLSX)"}


def _kind_from_content(head: bytes, data: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def safe_name(name: str, fallback: str = "document") -> str:
    """A download name with no path parts or odd characters."""
    stem = Path(name or "").name
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "", stem).strip(" .") or fallback
    return stem[:150]


def save_upload(
    upload: FileStorage | None,
    *,
    purpose: str,
    field: str = "file",
    kinds: tuple[str, ...] = DOCUMENTS,
    max_bytes: int | None = None,
    uploaded_by_id: int | None = None,
    required: bool = True,
) -> StoredFile | None:
    """Check and store an uploaded file; raises ValidationFailed with a GOV.UK message."""
    if upload is None or not upload.filename:
        if required:
            raise ValidationFailed(errors={field: "Select a file"})
        return None
    limit = max_bytes or current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.read(limit + 1)
    names = [KIND_NAMES[k] for k in kinds]
    allowed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    if len(data) > limit:
        raise ValidationFailed(errors={field: f"The selected file must be smaller than {limit // (1024 * 1024)}MB"})
    if not data:
        raise ValidationFailed(errors={field: "The selected file is empty"})
    extension = Path(upload.filename).suffix.lower().lstrip(".")
    kind = _kind_from_content(data[:8], data)
    if kind is None or kind not in kinds or extension != kind:
        raise ValidationFailed(errors={field: f"The selected file must be a {allowed}"})
    return store_bytes(
        data, extension=kind, content_type=KINDS[kind], purpose=purpose, name=upload.filename, by_id=uploaded_by_id
    )


def store_bytes(
    data: bytes, *, extension: str, content_type: str, purpose: str, name: str, by_id: int | None
) -> StoredFile:
    """Store bytes already checked by the caller."""
    key = f"{today():%Y/%m}/{secrets.token_hex(16)}.{extension}"
    path = Path(current_app.config["UPLOAD_FOLDER"]) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stored = StoredFile(
        purpose=purpose,
        original_name=safe_name(name),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by_id=by_id,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def read_stored(stored: StoredFile) -> bytes:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / stored.storage_key
    if not path.is_file():
        raise NotFound("The file is missing from storage")
    return path.read_bytes()


def send_stored(stored: StoredFile, download_name: str | None = None):
    """Send a stored file as a download. Call only after checking access to its record."""
    data = read_stored(stored)
    response = send_file(
        io.BytesIO(data),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=safe_name(download_name or stored.original_name),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- disposal: files removed once the transaction that removed their rows commits -------------

_DOOMED = "storage_doomed_paths"


def discard_stored(stored: StoredFile) -> None:
    """Delete a stored file's row now and its file when the transaction commits (a rolled
    back disposal leaves the file where it was). The caller clears references to it."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / stored.storage_key
    db.session.info.setdefault(_DOOMED, []).append(path)
    db.session.delete(stored)


@sa_event.listens_for(Session, "after_commit")
def _unlink_after_commit(session: Session) -> None:
    for path in session.info.pop(_DOOMED, []):
        path.unlink(missing_ok=True)


@sa_event.listens_for(Session, "after_rollback")
def _keep_after_rollback(session: Session) -> None:
    session.info.pop(_DOOMED, None)

"""JSON API of imports (issue 21): `POST /api/v1/imports` with the kind and the file
(multipart) checks it whole — the dry run — and answers the report; `POST
/api/v1/imports/<id>/commit` with the file's SHA-256 applies exactly that file, all or
nothing. Business office only."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.errors import ProblemSchema
from safeguarding.models import Role
from safeguarding.services import imports as svc
from safeguarding.services.errors import Conflict, ValidationFailed

blp = Blueprint(
    "imports_api",
    __name__,
    url_prefix="/api/v1",
    description="Imports of spreadsheets: a dry run of the whole file first, then the commit of exactly that file",
)

OFFICE = (Role.business_office,)


class ImportProblemSchema(Schema):
    sheet = fields.String()
    row = fields.Integer(allow_none=True)
    column = fields.String()
    message = fields.String()


class ImportSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    status = fields.String(
        dump_only=True, metadata={"description": "`checked` (may be committed), `problems` or `committed`"}
    )
    sha256 = fields.String(dump_only=True)
    file_name = fields.Function(lambda r: r.stored_file.original_name, dump_only=True)
    rows = fields.Integer(dump_only=True)
    created = fields.Integer(dump_only=True)
    updated = fields.Integer(dump_only=True)
    unchanged = fields.Integer(dump_only=True)
    problems = fields.List(fields.Nested(ImportProblemSchema), dump_only=True)
    checked_at = fields.DateTime(dump_only=True)
    committed_at = fields.DateTime(dump_only=True)


class UploadSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(svc.KINDS)))


class FileSchema(Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class CommitSchema(Schema):
    sha256 = fields.String(
        required=True, validate=validate.Length(max=64), metadata={"description": "The checked file's SHA-256"}
    )


@blp.route("/imports", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(UploadSchema, location="form")
@blp.arguments(FileSchema, location="files")
@blp.response(201, ImportSchema)
def post_import(body, files):
    """Check a spreadsheet (CSV or XLSX) whole; nothing but the check is recorded."""
    upload = files["file"]
    if not getattr(upload, "filename", None):
        raise ValidationFailed(errors={"file": "Select a spreadsheet"})
    return svc.check(svc.get_kind(body["kind"]), upload.filename, upload.read(), current_user)


@blp.route("/imports/<int:run_id>", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, ImportSchema)
def get_import(run_id: int):
    return svc.get_run(run_id)


@blp.route("/imports/<int:run_id>/commit", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(CommitSchema)
@blp.response(200, ImportSchema)
@blp.alt_response(
    409, schema=ProblemSchema, description="Had problems, already imported, another file, or records changed"
)
def commit_import(body, run_id: int):
    """Apply exactly the checked file; 409 when it had problems, was committed already, or
    the records changed since the check (the report then lists why)."""
    run = svc.commit(svc.get_run(run_id), body["sha256"], current_user)
    if run.status != "committed":
        raise Conflict("Nothing was imported: the records changed since the check; check the file again")
    return run

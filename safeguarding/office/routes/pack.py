"""The agenda pack download and a paper's cover sheet."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, documents
from safeguarding.forms import error_summary
from safeguarding.office.forms import CoverSheetForm
from safeguarding.office.routes.common import OFFICE, PAPER_READERS, bp, form_version
from safeguarding.services import agenda_pack
from safeguarding.services import meetings as meetings_svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed


@bp.route("/meetings/<int:meeting_id>/pack")
@access.roles(*PAPER_READERS)
def pack(meeting_id: int):
    """The agenda pack as a PDF: `version=public` (restricted items left out) or `full`."""
    m = meetings_svc.get_meeting(meeting_id, current_user)
    version = agenda_pack.check_version(request.args.get("version"))
    data = agenda_pack.agenda_pack(m, current_user, version)
    return documents.send_file(data, agenda_pack.pack_file_name(m, version))


@bp.route("/meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet", methods=["GET", "POST"])
@access.roles(*OFFICE)
def cover_sheet(meeting_id: int, paper_id: int):
    """Enter or change a paper's report cover sheet (shown before it in the agenda pack)."""
    m = meetings_svc.get_meeting(meeting_id, current_user)
    paper = meetings_svc.get_paper(m, paper_id, current_user)
    sheet = agenda_pack.cover_sheet_of(paper)
    form = CoverSheetForm(obj=sheet)
    form.set_sponsors()
    if sheet is not None and request.method == "GET":
        form.purpose.data = sheet.purpose.value
        form.sponsor_organisation_id.data = str(sheet.sponsor_organisation_id or "")
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            agenda_pack.save_cover_sheet(paper, user=current_user, version=form_version(), **form.sheet_values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Cover sheet saved", "success")
            return redirect(url_for("meetings.meeting", meeting_id=m.id) + f"#item-{paper.agenda_item_id}")
    return render_template(
        "office/cover_sheet.html",
        form=form,
        m=m,
        paper=paper,
        sheet=sheet,
        summary=error_summary(form, extra) if (form.errors or extra) else None,
    )

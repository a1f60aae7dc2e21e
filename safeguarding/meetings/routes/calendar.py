"""Meeting pages: a member's calendar feed (its secret link, and the feed itself)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.meetings import forms as f
from safeguarding.meetings import ics
from safeguarding.meetings.routes.common import READERS, bp
from safeguarding.services import accounts
from safeguarding.services import meetings as svc

# --- calendar feed ----------------------------------------------------------------------------


@bp.route("/calendar", methods=["GET", "POST"])
@access.roles(*READERS)
def calendar():
    form = f.CsrfForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        accounts.rotate_calendar_token(current_user)
        flash("Your calendar link has been changed: the old link no longer works", "success")
        return redirect(url_for("meetings.calendar"))
    token = current_user.calendar_token
    feed = url_for("meetings.feed", token=token, _external=True) if token else None
    return render_template("meetings/calendar.html", form=form, feed=feed)


@bp.route("/calendar/<token>.ics")
@access.public
def feed(token: str):
    """A member's meetings as a calendar feed. The URL is the credential: an unknown
    token is a 404, never a hint that it was close."""
    user = svc.user_for_calendar_token(token)
    if user is None:
        abort(404)
    body = ics.calendar(
        svc.calendar_meetings(user),
        lambda x: url_for("meetings.meeting", meeting_id=x.id, _external=True),
        name="Safeguarding Partnership meetings",
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response

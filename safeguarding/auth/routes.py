"""Sign in, sign out, change password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from safeguarding import access
from safeguarding.auth.forms import ChangePasswordForm, SignInForm
from safeguarding.auth.loaders import current_session_key
from safeguarding.forms import error_summary
from safeguarding.services import accounts, audit
from safeguarding.services import sign_in as sign_in_service
from safeguarding.services.errors import ServiceError, Throttled
from safeguarding.web import form_failed, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@access.public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            user = sign_in_service.sign_in(form.email.data, form.password.data)
        except Throttled as exc:
            extra["email"] = exc.message
            summary = error_summary(form, extra)
            response = current_app.make_response(
                (render_template("auth/sign_in.html", form=form, summary=summary, extra=extra), 429)
            )
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        if user is None:
            # Same message whichever part was wrong, so emails cannot be probed.
            extra["email"] = "Enter a correct email address and password"
        else:
            accounts.start_session(user, current_app.permanent_session_lifetime)
            session.clear()
            session.permanent = True
            login_user(user)
            with audit.acting_as(user.email, user.id):
                audit.record("sign_in", "users", user.id)
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template("auth/sign_in.html", form=form, summary=summary, extra=extra)


@bp.route("/sign-out", methods=["POST"])
@access.signed_in
def sign_out():
    key = current_session_key()
    if key:
        accounts.end_session(key)
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@access.signed_in
def change_password():
    form = ChangePasswordForm()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user,
                current=form.current_password.data,
                new=form.new_password.data,
                keep_session_key=current_session_key(),
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(
                "Your password has been changed. You have been signed out everywhere else, and your API "
                "tokens no longer work.",
                "success",
            )
            return redirect(url_for("main.home"))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template("auth/change_password.html", form=form, summary=summary)

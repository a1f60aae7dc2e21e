"""The home page, the statements every public-sector service publishes, and the health
checks for load balancers, systemd and monitoring: `/healthz` (the process is up: it
answers without the database) and `/readyz` (ready to serve: see jobs/health.py)."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from safeguarding import access, nav
from safeguarding.jobs import health

bp = Blueprint("main", __name__)

nav.add("Home", "main.home", order=0)


@bp.route("/")
@access.public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_template("main/start.html")


@bp.route("/home")
@access.signed_in
def home():
    from safeguarding import home as home_panels

    return render_template("main/home.html", panels=home_panels.panels_for(current_user))


@bp.route("/accessibility")
@access.public
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
@access.public
def privacy():
    return render_template("main/privacy.html")


@bp.route("/healthz")
@access.public
def healthz():
    """Liveness: the process answers. It does not touch the database, so a database
    fault never gets a healthy web process restarted (that is /readyz's to report)."""
    return jsonify(status="ok")


@bp.route("/readyz")
@access.public
def readyz():
    """Readiness: the database answers, its migrations are at head, the scheduler's
    heartbeat is fresh; the mail backlog is reported. 200 when ready, 503 naming the
    failing checks when not. No sign-in, no personal data (counts and times only)."""
    ready, checks = health.readiness()
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    if not ready:
        body["failing"] = sorted(name for name, check in checks.items() if not check["ok"])
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response

"""The home page, the statements every public-sector service publishes, and a health
check for load balancers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from safeguarding import access, nav
from safeguarding.extensions import db

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
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")

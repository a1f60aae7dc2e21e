"""Safeguarding Partnership: the app factory."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, g, request, send_from_directory
from sqlalchemy import event

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Build the app. `config` may be a class/object or a mapping; it wins over
    instance/config.py, which wins over the defaults; environment variables win over
    files but not over `config` (tests pass their database that way)."""
    from safeguarding import config as config_module

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_module.Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config_module.from_environment())
    if config is not None:
        if isinstance(config, dict):
            app.config.update(config)
        else:
            app.config.from_object(config)

    if app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    else:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'safeguarding.db'}"
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set: run `make run` once (it writes instance/config.py) or set SECRET_KEY"
        )
    if app.debug:
        app.config["SESSION_COOKIE_SECURE"] = False
    app.config.setdefault("GOVUK_FRONTEND_DIR", str(PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"))

    _configure_logging(app)
    _configure_jinja(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)

    from safeguarding import cli, errors, formatting

    errors.register(app)
    formatting.register(app)
    cli.register(app)
    return app


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("transitions").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _configure_jinja(app: Flask) -> None:
    # GOV.UK Frontend's template.html relies on undefined values chaining quietly.
    app.jinja_env.undefined = jinja2.ChainableUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(Path(app.root_path) / "templates")),
            jinja2.PrefixLoader(
                {
                    "govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": jinja2.PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy emit BEGIN itself so SAVEPOINTs work (pysqlite's own transaction
    # handling breaks them), and make concurrent writers wait rather than fail.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


def _init_extensions(app: Flask) -> None:
    from safeguarding.extensions import Session, api, csrf, db, login_manager, migrate
    from safeguarding.services import audit

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
    if not event.contains(Session, "after_flush", audit._after_flush):
        audit.install(Session)

    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    api.init_app(app)

    from safeguarding.auth import loaders

    loaders.register(login_manager)


def _register_blueprints(app: Flask) -> None:
    import safeguarding.workflows  # noqa: F401  (registers every lifecycle)
    from safeguarding import access
    from safeguarding.actions.api import blp as actions_api
    from safeguarding.actions.routes import bp as actions_bp
    from safeguarding.admin.routes import bp as admin_bp
    from safeguarding.annual.api import blp as annual_api
    from safeguarding.annual.routes import bp as annual_bp
    from safeguarding.api.routes import blp as core_api
    from safeguarding.attendance.api import blp as attendance_api
    from safeguarding.attendance.routes import bp as attendance_bp
    from safeguarding.audit_log.routes import bp as audit_log_bp
    from safeguarding.auth.api import blp as auth_api
    from safeguarding.auth.routes import bp as auth_bp
    from safeguarding.budget.api import blp as budget_api
    from safeguarding.budget.routes import bp as budget_bp
    from safeguarding.closures.routes import bp as closures_bp
    from safeguarding.disputes.api import blp as disputes_api
    from safeguarding.disputes.routes import bp as disputes_bp
    from safeguarding.extensions import api
    from safeguarding.jobs.routes import bp as jobs_bp
    from safeguarding.main.routes import bp as main_bp
    from safeguarding.meetings.api import blp as meetings_api
    from safeguarding.meetings.routes import bp as meetings_bp
    from safeguarding.notify.routes import bp as notify_bp
    from safeguarding.partnership.api import blp as partnership_api
    from safeguarding.partnership.routes import bp as partnership_bp
    from safeguarding.reviews.api import blp as reviews_api
    from safeguarding.reviews.routes import bp as reviews_bp
    from safeguarding.workflows.routes import bp as workflow_bp
    from safeguarding.workplans.api import blp as workplans_api
    from safeguarding.workplans.routes import bp as workplans_bp

    for bp in (main_bp, auth_bp, partnership_bp, admin_bp, workflow_bp, actions_bp, audit_log_bp, notify_bp,
               jobs_bp, budget_bp, disputes_bp, meetings_bp):
        app.register_blueprint(bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(closures_bp)
    app.register_blueprint(attendance_bp)
    for blp in (core_api, auth_api, partnership_api, actions_api, budget_api, disputes_api, meetings_api):
        api.register_blueprint(blp)
    api.register_blueprint(reviews_api)
    api.register_blueprint(attendance_api)
    app.register_blueprint(workplans_bp)
    api.register_blueprint(workplans_api)
    app.register_blueprint(annual_bp)
    api.register_blueprint(annual_api)

    frontend = app.config["GOVUK_FRONTEND_DIR"]

    @app.route("/assets/<path:filename>")
    @access.public
    def govuk_assets(filename: str):
        """GOV.UK Frontend's images and manifest, served from node_modules."""
        return send_from_directory(os.path.join(frontend, "assets"), filename, max_age=86400)

    @app.route("/vendor/govuk-frontend.min.js")
    @access.public
    def govuk_js():
        return send_from_directory(frontend, "govuk-frontend.min.js", max_age=86400)

    access.declare_endpoint("static", access.PUBLIC)
    access.declare_endpoint("api-docs.openapi_json", access.PUBLIC)


def _register_hooks(app: Flask) -> None:
    from flask_login import current_user

    from safeguarding import access, nav
    from safeguarding.extensions import csrf, db
    from safeguarding.models import Role

    @app.before_request
    def _nonce_and_access():
        g.csp_nonce = secrets.token_urlsafe(16)
        g.auth_via_token = False
        access.enforce()

    @app.before_request
    def _csrf():
        # Cookie-authenticated writes need the CSRF token; bearer-token requests carry
        # no cookie, so a forged cross-site request cannot use them.
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if g.get("auth_via_token"):
            return
        csrf.protect()

    @app.after_request
    def _commit_and_headers(response):
        # One commit per request: routes and services only flush.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        if current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _template_globals():
        return {
            "cspNonce": g.get("csp_nonce"),
            "nav_items": nav.items_for(current_user),
            "partnership_name": app.config["PARTNERSHIP_NAME"],
            "phase": app.config["PHASE"],
            "Role": Role,
        }

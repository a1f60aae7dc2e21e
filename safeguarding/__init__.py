"""Safeguarding Partnership: the app factory."""

from __future__ import annotations

import logging
import os
import secrets
import weakref
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, g, request, send_from_directory, session
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Build the app. `config` may be a class/object or a mapping; it wins over
    instance/config.py, which wins over the defaults; environment variables win over
    files but not over `config` (tests pass their database that way)."""
    from safeguarding import config as config_module
    from safeguarding import validation

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
        app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(
            app.config["SQLALCHEMY_DATABASE_URI"]
        )
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
    app.config.setdefault(
        "GOVUK_FRONTEND_DIR", str(PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk")
    )

    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # HTTPS ends at the proxy: trust its X-Forwarded-For/Proto/Host/Port (only as
        # many hops as configured), so secure cookies, redirects and the sign-in
        # throttle's client address are right. Never on by default: a client could
        # otherwise forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    _configure_logging(app)
    _configure_jinja(app)
    _init_extensions(app)
    validation.install(app)  # before any route: ids in paths fit the database
    _register_blueprints(app)
    _register_hooks(app)

    from safeguarding import cli, errors, formatting, tables

    errors.register(app)
    formatting.register(app)
    tables.register(app)
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


def _sqlite_pragmas(timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        import sqlite3

        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        # Let SQLAlchemy emit BEGIN itself so SAVEPOINTs work (pysqlite's own transaction
        # handling breaks them), and make concurrent writers wait rather than fail.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


# Engines whose connections are given a lock_timeout (see _init_extensions).
_LOCK_TIMEOUT_SET: weakref.WeakSet[Any] = weakref.WeakSet()


def _postgresql_lock_timeout(timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # A statement waiting longer than this for another transaction's lock fails
        # (SQLSTATE 55P03), and the request is answered 503 with Retry-After.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(timeout_ms)}")
            # psycopg prepares a statement run five times; PostgreSQL then may plan it once
            # for any values (a "generic plan"). The search's and the lists' plans depend
            # on their values (which kinds, which dates): a generic plan made the office's
            # filtered search 9 → 300 ms. Planning each run costs well under a millisecond.
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # Every transaction takes SQLite's write lock when it starts. A deferred transaction
    # that reads and then writes cannot wait for the lock: under WAL, once another
    # connection has committed since it read, SQLite refuses the upgrade at once
    # (SQLITE_BUSY_SNAPSHOT) and the busy timeout never applies. Requests (even some GETs:
    # viewing a case's information request is audited) read, then write; taking the lock
    # first makes them queue for busy_timeout instead. SQLite is the embedded default for
    # a small office; production runs PostgreSQL, where this does not apply. A connection
    # given the execution option `sqlite_deferred_begin=True` begins as SQLite does by
    # default (the suite's outer per-test transaction, which its requests join).
    if conn.dialect.name == "sqlite":
        deferred = conn.get_execution_options().get("sqlite_deferred_begin")
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def _init_extensions(app: Flask) -> None:
    from safeguarding.extensions import Session, api, csrf, db, login_manager, migrate
    from safeguarding.services import audit, search

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.setdefault("connect_args", {}).setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT"])
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "begin", _sqlite_begin):
            event.listen(engine, "connect", _sqlite_pragmas(int(app.config["SQLITE_BUSY_TIMEOUT"] * 1000)))
            event.listen(engine, "begin", _sqlite_begin)
        # (The dialect's own connect listeners are on the pool already, so "is there a
        # listener?" cannot tell whether this one was added: remember the engines.)
        if engine.dialect.name == "postgresql" and engine not in _LOCK_TIMEOUT_SET:
            _LOCK_TIMEOUT_SET.add(engine)
            event.listen(engine, "connect", _postgresql_lock_timeout(int(app.config["DATABASE_LOCK_TIMEOUT"] * 1000)))
    if not event.contains(Session, "after_flush", audit._after_flush):
        audit.install(Session)
    search.install(Session)  # the search index follows every flush

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


def feature_blueprints() -> list[Any]:
    """Every feature's blueprints, found rather than listed: a package of `safeguarding`
    with `routes.py` defining `bp` (pages) or `api.py`/`routes.py` defining `blp` (a
    flask-smorest blueprint, under /api/v1). A new feature adds its package; nothing here
    changes."""
    import importlib
    import importlib.util
    import pkgutil

    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        for module_name in ("routes", "api"):
            name = f"{__name__}.{info.name}.{module_name}"
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            found += [getattr(module, attr) for attr in ("bp", "blp") if hasattr(module, attr)]
    return found


def _register_blueprints(app: Flask) -> None:
    import flask_smorest

    from safeguarding import access
    from safeguarding.extensions import api

    for blueprint in feature_blueprints():
        if isinstance(blueprint, flask_smorest.Blueprint):
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)
    from safeguarding.workflows import Lifecycle, load_all

    load_all()
    if missing := Lifecycle.unwired():
        raise RuntimeError("lifecycles not wired by their features: " + "; ".join(missing))

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
    from sqlalchemy.exc import DBAPIError

    from safeguarding import access, errors, nav
    from safeguarding.extensions import csrf, db
    from safeguarding.models import Role

    @app.before_request
    def _nonce_and_access():
        g.csp_nonce = secrets.token_urlsafe(16)
        g.auth_via_token = False
        access.enforce()

    @app.before_request
    def _csrf():
        # Cookie-authenticated writes need the CSRF token. An API request that carries no
        # session cookie (the token endpoint, bearer requests) has nothing a forger could
        # borrow, so it needs none. Pages always need it (a cookie-less sign-in form could
        # be posted from another site to sign a victim in as the attacker).
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if g.get("auth_via_token"):
            return
        if access.is_api_request() and app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return
        csrf.protect()

    @app.after_request
    def _commit_and_headers(response):
        # One commit per request: routes and services only flush. A commit the database
        # refuses (busy; cannot save: a full disk meets SQLite at commit) is answered as
        # the error it is, never werkzeug's bare 500.
        if response.status_code < 400:
            try:
                db.session.commit()
            except DBAPIError as exc:
                response = app.make_response(errors.database_error(exc))
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
        # Known without the database (which may be the reason this response is an error).
        if session.get("_user_id") or g.get("auth_via_token"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _template_globals():
        return {
            "cspNonce": g.get("csp_nonce"),
            "nav_items": nav.items_for(current_user),
            "section_nav_items": nav.section_items_for(current_user),
            "nav_section": nav.section_label() if current_user and current_user.is_authenticated else None,
            "partnership_name": app.config["PARTNERSHIP_NAME"],
            "phase": app.config["PHASE"],
            "Role": Role,
        }

"""WSGI entry point: `gunicorn wsgi:app` (or `gunicorn 'safeguarding:create_app()'`)."""

from safeguarding import create_app

app = create_app()

"""Meetings and governance: pages (routes.py) and JSON API (api.py)."""

"""The annual report: pages and API."""

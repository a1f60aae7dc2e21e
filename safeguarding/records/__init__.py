"""Information governance pages and API: subject access requests, the retention schedule
and holds (domain.md, "Information governance")."""

"""Disposal review pages and API: records past their date under the retention schedule,
proposed by one business-office user and approved by another (domain.md, "Information
governance")."""

"""Pages and API of imports of the office's spreadsheets (issue 21)."""

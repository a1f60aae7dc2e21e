"""Pages and API of the meeting office's tools: the agenda pack, the papers' cover sheets
and the risk register (issue 17)."""

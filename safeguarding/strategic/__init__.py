"""The strategic plan's pages (`routes`) and API (`api`)."""

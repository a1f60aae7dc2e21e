"""One search across the partnership's records (issue 25): `find` (also for the subject
access request's "find what we hold"), the index kept in step on every flush, and
`reindex` for bulk data."""

from safeguarding.services.search.index import install, reindex, write
from safeguarding.services.search.kinds import BY_KEY, KINDS, SEARCHERS, Kind
from safeguarding.services.search.query import ORDERS, PER_PAGE, Found, Result, check, find, kinds_for, may_search
from safeguarding.services.search.text import MAX_QUERY, extract_text, snippet

__all__ = [
    "BY_KEY",
    "KINDS",
    "MAX_QUERY",
    "ORDERS",
    "PER_PAGE",
    "SEARCHERS",
    "Found",
    "Kind",
    "Result",
    "check",
    "extract_text",
    "find",
    "install",
    "kinds_for",
    "may_search",
    "reindex",
    "snippet",
    "write",
]

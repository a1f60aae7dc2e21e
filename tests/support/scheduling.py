"""How pytest-xdist hands the tests to its workers (`make test`: `-n 2`): one by one, so
that the two workers stay busy to the end, except for tests that share a server, which
go to one worker together so that the run starts that server once:

- tests/browser/: the session's live server and Chromium (conftest.live_server, chromium);
- tests/test_concurrency.py: the module's own server.

Those two groups go first, then the longest single tests (LONGEST), then the others in
the order collected: a long test handed out last would keep one worker busy alone.

(pytest-xdist's own `--dist loadgroup` would do this from `xdist_group` marks, but with
pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

SHARED = ("tests/browser/", "tests/test_concurrency.py")
# A minute or more each on a busy machine (schemathesis: three roles), then 15–30 s.
LONGEST = ("tests/test_schemathesis.py", "tests/jobs/test_cli.py", "tests/jobs/test_scheduler.py")


class SharedServerScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        for prefix in SHARED:
            if nodeid.startswith(prefix):
                return prefix
        return nodeid


def longest_first(items: list) -> None:
    """Put the LONGEST tests first in the collection (the same in every worker): the
    scheduler hands out single tests in that order, after the groups (the largest first)."""
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST))

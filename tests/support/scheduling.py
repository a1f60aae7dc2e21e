"""How pytest-xdist hands the tests to its workers (`make test`: `-n 2`): one by one, so
that the two workers stay busy to the end, except for tests that share a server, which
go to one worker together so that the run starts that server once:

- tests/browser/: the session's live server and Chromium (conftest.live_server, chromium);
- tests/test_concurrency.py: the module's own server.

(pytest-xdist's own `--dist loadgroup` would do this from `xdist_group` marks, but with
pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

SHARED = ("tests/browser/", "tests/test_concurrency.py")


class SharedServerScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        for prefix in SHARED:
            if nodeid.startswith(prefix):
                return prefix
        return nodeid

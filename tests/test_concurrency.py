"""Several people at once, against a real server started as `make run` starts it
(`flask serve`: gunicorn, several workers of several threads) on its own database, SQLite
or PostgreSQL as the suite runs. Each burst is fired from threads released together by a
barrier. Nothing may answer 5xx for contention: a conflict is a 409, a busy database a
503 with Retry-After, and nothing is half written."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import databases
from tests.support.browser import PASSWORD, LiveServer

pytestmark = pytest.mark.slow

N = 8


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


def _call(
    opener: urllib.request.OpenerDirector,
    url: str,
    *,
    method: str = "GET",
    body: Any = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with opener.open(request, timeout=60) as r:
            raw, status, got = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        raw, status, got = e.read(), e.code, dict(e.headers)
    text = raw.decode("utf-8", "replace")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text
    return Answer(status, parsed, got)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any):
        return None


def _opener(jar: http.cookiejar.CookieJar | None = None) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def at_once(calls: list[Callable[[], Answer]]) -> list[Answer]:
    """Run the calls from one thread each, released at the same instant."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer | None] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            answers[i] = calls[i]()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert all(a is not None for a in answers)
    return answers  # type: ignore[return-value]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("concurrent")
    live = LiveServer(databases.fresh_database("concurrent", workdir), workdir).start()
    yield live
    live.stop()


def _token(server: LiveServer, who: str = "office") -> str:
    r = _call(
        _opener(),
        f"{server.url}/api/v1/auth/token",
        method="POST",
        body={"email": f"{who}@demo.test", "password": PASSWORD},
    )
    assert r.status == 201, r.body
    return r.body["token"]


def _no_server_errors(answers: list[Answer]) -> None:
    bad = [(a.status, a.body) for a in answers if a.status >= 500]
    assert not bad, bad


def test_simultaneous_sign_ins_on_the_page_all_work(server):
    browsers = []
    for _ in range(N):
        jar = http.cookiejar.CookieJar()
        opener = _opener(jar)
        page = _call(opener, f"{server.url}/sign-in")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.body).group(1)
        browsers.append((opener, token))

    answers = at_once(
        [
            (
                lambda o=o, t=t: _call(
                    o,
                    f"{server.url}/sign-in",
                    method="POST",
                    form={"email": "office@demo.test", "password": PASSWORD, "csrf_token": t},
                )
            )
            for o, t in browsers
        ]
    )
    _no_server_errors(answers)
    assert [a.status for a in answers] == [302] * N
    assert all(a.headers["Location"].endswith("/home") for a in answers)
    # Eight sessions, each signed in on its own.
    homes = [_call(o, f"{server.url}/home") for o, _ in browsers]
    assert [h.status for h in homes] == [200] * N, [h.headers.get("Location") for h in homes]


def test_simultaneous_token_requests_from_plain_clients_all_work(server):
    answers = at_once(
        [
            (
                lambda: _call(
                    _opener(),
                    f"{server.url}/api/v1/auth/token",
                    method="POST",
                    body={"email": "chair@demo.test", "password": PASSWORD},
                )
            )
            for _ in range(N)
        ]
    )
    _no_server_errors(answers)
    assert [a.status for a in answers] == [201] * N
    assert len({a.body["token"] for a in answers}) == N


def _dispute_body(i: int) -> dict[str, Any]:
    return {
        "subject": f"Concurrent dispute {i}",
        "summary": "Raised at the same instant as seven others.",
        "party_organisation_ids": [1, 2],
    }


def test_simultaneous_creations_all_work_with_distinct_references(server):
    token = _token(server)
    auth = {"Authorization": f"Bearer {token}"}
    answers = at_once(
        [
            (
                lambda i=i: _call(
                    _opener(), f"{server.url}/api/v1/disputes", method="POST", body=_dispute_body(i), headers=auth
                )
            )
            for i in range(N)
        ]
    )
    _no_server_errors(answers)
    assert [a.status for a in answers] == [201] * N, [a.body for a in answers]
    assert len({a.body["reference"] for a in answers}) == N


def test_one_transition_fired_eight_times_with_one_version_succeeds_once(server):
    token = _token(server)
    auth = {"Authorization": f"Bearer {token}"}
    created = _call(_opener(), f"{server.url}/api/v1/disputes", method="POST", body=_dispute_body(99), headers=auth)
    assert created.status == 201, created.body
    dispute = created.body
    fire = {"trigger": "determine", "version": dispute["version"], "determined_on": dispute["raised_on"]}

    answers = at_once(
        [
            (
                lambda: _call(
                    _opener(),
                    f"{server.url}/api/v1/disputes/{dispute['id']}/transitions",
                    method="POST",
                    body=fire,
                    headers=auth,
                )
            )
            for _ in range(N)
        ]
    )
    _no_server_errors(answers)
    assert Counter(a.status for a in answers) == {200: 1, 409: N - 1}, [a.body for a in answers]
    history = _call(_opener(), f"{server.url}/api/v1/disputes/{dispute['id']}/history", headers=auth)
    assert [h["trigger"] for h in history.body].count("determine") == 1
    assert _call(_opener(), f"{server.url}/api/v1/disputes/{dispute['id']}", headers=auth).body["state"] == "determined"


def test_reads_while_writes_happen_never_fail(server):
    token = _token(server)
    auth = {"Authorization": f"Bearer {token}"}
    listed = _call(_opener(), f"{server.url}/api/v1/information-requests", headers=auth)
    assert listed.status == 200 and listed.body["items"], listed.body
    request_id = listed.body["items"][0]["id"]

    reads = [
        (lambda: _call(_opener(), f"{server.url}/api/v1/information-requests/{request_id}", headers=auth))
        for _ in range(N)
    ]
    writes = [
        (
            lambda i=i: _call(
                _opener(), f"{server.url}/api/v1/disputes", method="POST", body=_dispute_body(100 + i), headers=auth
            )
        )
        for i in range(N)
    ]
    answers = at_once(reads + writes)
    _no_server_errors(answers)
    assert [a.status for a in answers[:N]] == [200] * N
    assert [a.status for a in answers[N:]] == [201] * N


def test_the_server_shows_no_debugger_and_no_version(server):
    r = _call(_opener(), f"{server.url}/console")
    assert r.status == 404
    home = _call(_opener(), f"{server.url}/sign-in")
    assert home.headers.get("Server", "") in ("", "gunicorn")  # no product version
    assert "Werkzeug" not in str(home.headers)

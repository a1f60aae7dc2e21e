"""Property-based tests of the whole JSON API from its OpenAPI document (schemathesis).

For three roles (the business office, a partner member, a viewer) every operation the
document describes is called with generated requests, valid and invalid, and each
response must be no server error (`not_a_server_error`) and must match what the
document says that operation answers for its status code (`response_schema_conformance`,
error bodies included: RFC 9457 problem JSON).

- Requests go through the suite's client in-process (`api_as`: a bearer token, no
  cookies), so they join the test's outer transaction and nothing they write outlives
  the test; each operation also runs inside a SAVEPOINT of its own that is rolled back
  afterwards, so operations do not see each other's writes.
- Requests are generated positive and negative (schemathesis's modes), both with any
  path ids and with ids the demo has, so that some reach real records.
- Bounded: 20 examples per operation and role (SAFEGUARDING_SCHEMATHESIS_EXAMPLES), no
  shrinking, no example database, no per-request deadline (PDFs take their time) but a
  budget of 90 s of this process's CPU time per role (SAFEGUARDING_SCHEMATHESIS_BUDGET):
  running out of it is a failure, as a sign that the API got much slower. CPU time, not
  the clock's: the suite's other worker, its servers and Chromium, or anything else on
  the machine sharing the cores slow the clock down, not the work (on PostgreSQL, the
  server's share of the work is not counted). About 40 s of CPU per role on SQLite. The
  generation is derandomised, so a finding is reproducible run after run; set
  SAFEGUARDING_SCHEMATHESIS_SEED (and a larger SAFEGUARDING_SCHEMATHESIS_EXAMPLES) to
  explore other requests.
- Every finding is collected; the test fails listing them all.
"""

from __future__ import annotations

import os
import time
import traceback
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.auths import AuthStorage
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from safeguarding.extensions import db

MAX_EXAMPLES = int(os.environ.get("SAFEGUARDING_SCHEMATHESIS_EXAMPLES", "20"))
SEED = os.environ.get("SAFEGUARDING_SCHEMATHESIS_SEED")
BUDGET_SECONDS = float(os.environ.get("SAFEGUARDING_SCHEMATHESIS_BUDGET", "90"))

# Operations left out, because they would end the role's session in the middle of the
# run (every later request would then be a 401):
# - DELETE /api/v1/auth/token revokes the bearer token the request carries.
SKIPPED = {("DELETE", "/api/v1/auth/token")}

ROLES = {"office": "office", "partner member": "police", "viewer": "viewer"}


@pytest.fixture(scope="module")
def api_schema(app: Flask) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema


def _operations(schema: Any) -> list[Any]:
    ops = []
    for result in schema.get_all_operations():
        op = result.ok()
        if (op.method.upper(), op.path) in SKIPPED:
            continue
        ops.append(op)
    return ops


@pytest.mark.parametrize("role", list(ROLES))
def test_api_answers_every_generated_request(role: str, app: Flask, api_as, api_schema: Any) -> None:
    client = api_as(ROLES[role])
    findings: list[str] = []
    started = time.process_time()
    operations = _operations(api_schema)
    for op in operations:
        if time.process_time() - started > BUDGET_SECONDS:
            findings.append(f"stopped after {BUDGET_SECONDS:.0f}s of CPU time (the budget) at {op.label}")
            break
        connection = db.session.get_bind()
        savepoint = connection.begin_nested()
        try:
            _exercise(op, client, findings)
        finally:
            if savepoint.is_active:
                savepoint.rollback()
    assert not findings, f"{len(findings)} finding(s) as the {role}:\n\n" + "\n\n".join(findings)


class _Bearer:
    """The role's bearer token as schemathesis's auth: it then sends no credentials of
    its own (for the document's other scheme, the session cookie) with the token."""

    def __init__(self, authorization: str) -> None:
        self.authorization = authorization

    def get(self, case: Any, context: Any) -> str:
        return self.authorization

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


def _exercise(op: Any, client: Any, findings: list[str]) -> None:
    auth = AuthStorage(providers=[_Bearer(client.environ_base["HTTP_AUTHORIZATION"])])
    strategies = [op.as_strategy(mode, auth_storage=auth) for mode in GenerationMode]
    ids = _existing_ids(op)
    if ids is not None:
        strategies += [
            ids.flatmap(lambda values, mode=mode: op.as_strategy(mode, auth_storage=auth, path_parameters=values))
            for mode in GenerationMode
        ]
    strategy = st.one_of(strategies)
    seen: set[str] = set()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=SEED is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        # The client has no cookie jar (a bearer client, as `api_as` makes); a session
        # cookie the document's cookie scheme made schemathesis invent is not sent.
        case.cookies = {}
        try:
            response = case.call(session=client)
        except Exception as exc:  # a 500: the suite's client re-raises the exception the app logged
            key = f"{op.label}: {type(exc).__name__}: {exc}"
            if key not in seen:
                seen.add(key)
                findings.append(
                    f"{op.label} → 500 ({type(exc).__name__})\n  request: {_describe(case)}\n"
                    + "".join(traceback.format_exception(exc)[-6:])
                )
            return
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except (AssertionError, BaseExceptionGroup) as exc:
            failures = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
            for failure in failures:
                message = str(failure)
                key = f"{op.label}: {response.status_code}: {message.split('Value:')[0]}"
                if key not in seen:
                    seen.add(key)
                    findings.append(
                        f"{op.label} → {response.status_code}\n  request: {_describe(case)}\n"
                        f"  response: {_text(response)[:300]}\n  {message[:1500]}"
                    )

    if SEED is not None:
        run = seed(int(SEED))(run)
    run()


def _existing_ids(op: Any) -> Any:
    """Path parameters that name records the demo has (every kind of record has ids from 1
    up), so that requests reach records rather than only 404s; None for an operation with
    no path parameters."""
    params = {}
    for parameter in op.path_parameters:
        if parameter.definition.get("schema", {}).get("type") == "integer":
            params[parameter.name] = st.integers(min_value=1, max_value=12)
        elif parameter.name == "budget_ref":
            params[parameter.name] = st.sampled_from(["2020-21", "2021-22", "1", "2"])
        elif parameter.name == "fmt":
            params[parameter.name] = st.sampled_from(["pdf", "docx"])
        else:
            return None
    return st.fixed_dictionaries(params) if params else None


def _text(response: Any) -> str:
    return response.content[:400].decode("utf-8", "replace")


def _describe(case: Any) -> str:
    parts = [case.method, case.formatted_path]
    if case.query:
        parts.append(f"query={case.query!r}")
    if case.body is not None and type(case.body).__name__ != "NotSet":
        parts.append(f"body={case.body!r}"[:600])
    return " ".join(parts)

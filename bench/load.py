"""A load test: simulated users drive a running server over a realistic mix for a fixed time.

    python -m bench.load --postgres postgresql://postgres@127.0.0.1:5432/bench   # gunicorn, 4 workers, 50 users, 60 s
    python -m bench.load --url http://127.0.0.1:5000 --users 10 \\
        --email office@demo.test --password demo-password-2026                  # `make run`'s server

With `--postgres URL` it starts gunicorn (4 workers, on a free port of 127.0.0.1) over that
database (the benchmark's: `python -m bench.generate --database-url URL` first) and stops it
at the end; with `--url` it drives a server already running. Only 127.0.0.1 / localhost.

Each user pauses 1–3 s between requests (`--wait`, as Locust's `between(1, 3)`: 50 users
clicking without pause would measure the queue, not the pages). Users sign in through the
sign-in page (one session per account, shared by its users: no burst of sign-ins for the
throttle to refuse) and loop over a weighted mix until the time is up: home pages, the action log, case reviews, meetings, a review's page, an API
list, an action's transition (`start`, through the workflow page with its CSRF token and
version) and a payment of 1p against an overdue invoice (one user at a time per invoice).
Prints requests, errors (any 4xx/5xx, a form sent back with errors, a refused connection),
throughput and p50/p95 per kind of request; exits 1 on any error, or a p95 over --p95-ms
(100 ms by default with --postgres).

A small threaded driver (requests, already a dependency) rather than Locust: the same
measurements without adding gevent and Locust's own Flask to the pinned environment. It
is not part of `make test`."""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
INPUT = re.compile(r"<input\b[^>]*>", re.S)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def add(self, name: str, ms: float, error: str | None = None) -> None:
        with self.lock:
            self.times[name].append(ms)
            if error:
                self.errors.append(f"{name}: {error}")


def _fields(html: str) -> list[tuple[str, str]]:
    """The form's inputs (name, value), hidden ones included, in order."""
    out = []
    for tag in INPUT.findall(html):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs and attrs.get("type") not in ("submit", "button"):
            out.append((attrs["name"], attrs.get("value", "")))
    return out


class Driver:
    def __init__(self, base: str, email: str, password: str, results: Results) -> None:
        self.base = base.rstrip("/")
        self.results = results
        self.cookies = self._sign_in(email, password)
        self.actions: list[int] = []
        self.actions_lock = threading.Lock()
        self.invoices = self._overdue_invoices()
        self.invoice_locks = {i: threading.Lock() for i in self.invoices}
        reviews = self._get_json("/api/v1/reviews?per_page=50")
        self.reviews = [r["id"] for r in reviews.get("items", [])] or [0]

    def session(self) -> requests.Session:
        s = requests.Session()
        s.cookies.update(self.cookies)
        return s

    def _sign_in(self, email: str, password: str):
        s = requests.Session()
        page = s.get(f"{self.base}/sign-in", timeout=30)
        data = dict(_fields(page.text))
        data.update(email=email, password=password)
        r = s.post(f"{self.base}/sign-in", data=data, allow_redirects=False, timeout=30)
        if r.status_code != 302:
            raise SystemExit(f"could not sign in as {email} (HTTP {r.status_code}): check --email and --password")
        return s.cookies

    def _get_json(self, path: str) -> dict:
        r = self.session().get(self.base + path, timeout=30)
        r.raise_for_status()
        return r.json()

    def _overdue_invoices(self) -> list[int]:
        html = self.session().get(f"{self.base}/budget/invoices?status=overdue", timeout=30).text
        return sorted({int(i) for i in re.findall(r'href="/budget/invoices/(\d+)"', html)})

    def next_action(self) -> int | None:
        with self.actions_lock:
            if not self.actions:
                items = self._get_json("/api/v1/actions?status=open&per_page=100").get("items", [])
                self.actions = [a["id"] for a in items if "start" in a.get("available_triggers", [])]
                random.shuffle(self.actions)
            return self.actions.pop() if self.actions else None


def _timed(results: Results, name: str, call: Callable[[], requests.Response], ok: tuple[int, ...] = (200,)) -> None:
    t0 = time.perf_counter()
    try:
        r = call()
    except requests.RequestException as exc:
        results.add(name, (time.perf_counter() - t0) * 1000, f"{type(exc).__name__}: {exc}")
        return
    ms = (time.perf_counter() - t0) * 1000
    error = None
    if r.status_code not in ok:
        error = f"HTTP {r.status_code} {r.request.method} {urlparse(r.url).path}"
    elif r.status_code == 200 and r.request.method == "POST" and "govuk-error-summary" in r.text:
        error = f"form sent back with errors: {urlparse(r.url).path}"
    results.add(name, ms, error)


def _post_form(s: requests.Session, url: str, fields: dict[str, str | list[str]]) -> requests.Response:
    """GET the form (its CSRF token and version), fill it in, POST it."""
    data = [(k, v) for k, v in _fields(s.get(url, timeout=30).text) if k not in fields]
    for k, v in fields.items():
        data += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
    return s.post(url, data=data, allow_redirects=False, timeout=30)


def user_loop(driver: Driver, until: float, seed: int, wait: tuple[float, float] = (0.0, 0.0)) -> None:
    rng = random.Random(seed)
    s = driver.session()
    base, results = driver.base, driver.results

    def page(name: str, path: str) -> Callable[[], None]:
        return lambda: _timed(results, name, lambda: s.get(base + path, timeout=30))

    def review() -> None:
        _timed(results, "review", lambda: s.get(f"{base}/reviews/{rng.choice(driver.reviews)}", timeout=30))

    def transition() -> None:
        action = driver.next_action()
        if action is not None:
            url = f"{base}/workflow/action/{action}/start"
            _timed(results, "transition", lambda: _post_form(s, url, {}), ok=(302, 303))

    def payment() -> None:
        if not driver.invoices:
            return
        invoice = driver.invoices[seed % len(driver.invoices)] if rng.random() < 0.8 else rng.choice(driver.invoices)
        # Received a while ago: the server's today may be a demo day behind this clock.
        on = date.today() - timedelta(days=60)
        fields: dict[str, str | list[str]] = {
            "amount": "0.01",
            "received_on": [str(on.day), str(on.month), str(on.year)],
            "reference": f"LOAD-{seed}",
        }
        with driver.invoice_locks[invoice]:  # one payment at a time per invoice (its version)
            url = f"{base}/budget/invoices/{invoice}"
            _timed(results, "payment", lambda: _post_form(s, url, fields), ok=(302, 303))

    mix: list[tuple[int, Callable[[], None]]] = [
        (4, page("home", "/home")),
        (1, page("queue (API)", "/api/v1/me/queue")),
        (2, page("action log", "/actions")),
        (2, page("reviews", "/reviews")),
        (1, page("meetings", "/meetings")),
        (1, page("people", "/people")),
        (2, review),
        (2, page("actions (API)", "/api/v1/actions?per_page=50")),
        (1, page("invoices (API)", "/api/v1/invoices?per_page=50")),
        (1, transition),
        (1, payment),
    ]
    weights = [w for w, _ in mix]
    tasks = [t for _, t in mix]
    while time.monotonic() < until:
        rng.choices(tasks, weights)[0]()
        if wait[1]:  # a person reads the page before the next click
            time.sleep(min(rng.uniform(*wait), max(0.0, until - time.monotonic())))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(database_url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test"),
        "SESSION_COOKIE_SECURE": "0",
        "PYTHONPATH": str(ROOT),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz in 60 s")


def report(results: Results, elapsed: float, p95_budget: float | None) -> int:
    every = sorted(t for ts in results.times.values() for t in ts)
    if not every:
        print("no requests made")
        return 1
    p95 = every[max(0, int(len(every) * 0.95) - 1)]
    print(f"{'request':20} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, ts in sorted(results.times.items()):
        ts = sorted(ts)
        print(f"{name:20} {len(ts):7d} {statistics.median(ts):8.1f} {ts[max(0, int(len(ts) * 0.95) - 1)]:8.1f}")
    for line in results.errors[:20]:
        print(f"error: {line}")
    over = p95_budget is not None and p95 > p95_budget
    print(
        f"LOAD: {len(every)} requests in {elapsed:.0f} s, {len(every) / elapsed:.1f} requests/s, "
        f"{len(results.errors)} errors, p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms"
        f"{f' (over {p95_budget:.0f} ms)' if over else ''}"
    )
    return 1 if results.errors or over else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--postgres", metavar="DATABASE_URL", help="start gunicorn over this database")
    target.add_argument("--url", help="a server already running, e.g. http://127.0.0.1:5000")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=None, help="50 with --postgres, 10 with --url")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--email", default="business_office@bench.example")
    parser.add_argument("--password", default="bench-password-2026")
    parser.add_argument(
        "--p95-ms", type=float, default=None, help="the p95 budget: 100 ms with --postgres, none with --url"
    )
    parser.add_argument(
        "--wait",
        default="1-3",
        help="each user's pause between requests in seconds, MIN-MAX (Locust's between(1, 3)); 0 for none",
    )
    args = parser.parse_args()
    users = args.users or (50 if args.postgres else 10)
    low, _, high = args.wait.partition("-")
    wait = (float(low), float(high or low))
    proc = None
    if args.postgres:
        proc, url = start_gunicorn(args.postgres, args.workers)
    else:
        url = args.url
        if urlparse(url).hostname not in LOCAL_HOSTS:
            print("traffic goes to 127.0.0.1 or localhost only", file=sys.stderr)
            return 2
    try:
        results = Results()
        driver = Driver(url, args.email, args.password, results)
        print(f"{users} users for {args.duration:.0f} s against {url}, pausing {args.wait} s between requests")
        started = time.monotonic()
        until = started + args.duration
        threads = [threading.Thread(target=user_loop, args=(driver, until, i, wait), daemon=True) for i in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        budget = args.p95_ms if args.p95_ms is not None else (100.0 if args.postgres else None)
        return report(results, time.monotonic() - started, budget)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

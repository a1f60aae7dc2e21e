"""Browser tests: Debian's Chromium driven by Playwright (no browser download), against
the app served by a separate process on its own database, with axe-core checking every
page visited for WCAG 2 A/AA failures.

A new browser test is a few lines:

    def test_something(browse):
        b = browse("office")             # signed in as office@demo.test
        b.goto("/organisations")         # loads and runs axe
        b.page.get_by_role("link", name="County Police").click()
        b.check()                        # axe on the page now shown
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.run import free_port

PROJECT = Path(__file__).resolve().parents[2]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "demo-password-2026"


class LiveServer:
    """`flask run` in a child process on a fresh database loaded with the demo."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-test-secret",
            "SESSION_COOKIE_SECURE": "0",
            "UPLOAD_FOLDER": str(workdir / "uploads"),
            "SERVICE_BASE_URL": self.url,
        }
        self.log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.process: subprocess.Popen | None = None

    def flask(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "safeguarding", *args],
            env=self.env,
            check=True,
            cwd=PROJECT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def start(self) -> LiveServer:
        self.flask("db", "upgrade")
        self.flask("seed-demo")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "safeguarding", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=PROJECT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the live server did not start; see {self.log.name}")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


@dataclass
class Browse:
    """A signed-in (or anonymous) browser tab that runs axe on every page it visits."""

    page: object
    base_url: str
    checked: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Browse:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        self.check()
        return self

    def check(self) -> Browse:
        """Run axe-core on the page now shown; fail on any WCAG 2 A/AA violation."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=AXE.read_text())
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert not violations, f"axe found WCAG violations on {self.page.url}:\n{json.dumps(violations, indent=2)}"
        self.checked.append(self.page.url)
        return self

    def sign_in(self, who: str) -> Browse:
        self.goto("/sign-in")
        self.page.get_by_label("Email address").fill(f"{who}@demo.test")
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url("**/home")
        self.check()
        return self

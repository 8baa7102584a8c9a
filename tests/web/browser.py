"""What the browser tests stand on: a real `planledger serve` process, Debian's Chromium
driven by Playwright, axe-core for accessibility, and screenshots kept as artefacts.

Nothing here skips: a missing Chromium, npm or server start fails the test with a message
saying what to install or what went wrong.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("PLANLEDGER_CHROMIUM", "/usr/bin/chromium"))
# As root in CI Chromium needs --no-sandbox; the rest keep it off the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 20_000


def chromium() -> str:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}. The browser tests use Debian's Chromium: "
            "run scripts/test (it installs it) or `apt-get install -y chromium`, or "
            "set PLANLEDGER_CHROMIUM to another Chromium binary.",
            pytrace=False,
        )
    return str(CHROMIUM)


def axe_script() -> Path:
    """axe-core from the npm registry, installed once into tests/web/axe (git-ignored)."""
    return npm_installed(AXE_DIR, AXE_SCRIPT, "axe-core for the accessibility checks")


def npm_installed(directory: Path, marker: Path, what: str) -> Path:
    """`marker`, after `npm ci` in `directory` (its package-lock.json) if it is missing."""
    if marker.exists():
        return marker
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(
            f"npm is needed to install {what}: `apt-get install -y npm` (or Node.js with npm).",
            pytrace=False,
        )
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not marker.exists():
        pytest.fail(f"npm ci in {directory} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return marker


def planledger_command() -> list[str]:
    script = Path(sys.executable).with_name("planledger")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from interfaces.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any PLANLEDGER_* setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANLEDGER_")}
    env.update({f"PLANLEDGER_{k.upper()}": v for k, v in settings.items()})
    return env


def load_demo(env: dict[str, str]) -> str:
    done = subprocess.run(
        [*planledger_command(), "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, f"planledger demo failed:\n{done.stdout}\n{done.stderr}"
    match = re.search(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", done.stdout)
    assert match, f"planledger demo named no plan:\n{done.stdout}"
    return match.group(0)


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def printed_url(self) -> str:
        text = "".join(self.output)
        match = re.search(r"answering on (http://\S+)", text)
        assert match, f"planledger serve printed no URL:\n{text}"
        return match.group(1)


@contextmanager
def serve(env: dict[str, str], cwd: Path = ROOT) -> Iterator[Served]:
    """`planledger serve` on a free port, until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [*planledger_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "COLUMNS": "200"},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(process, port)
    lines = iter(process.stdout.readline, "")  # drained, so the pipe never fills
    reader = threading.Thread(target=lambda: served.output.extend(lines), daemon=True)
    reader.start()
    try:
        _wait_until_ready(served)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_ready(served: Served, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(
                f"planledger serve exited ({served.process.returncode}):\n"
                + "".join(served.output),
                pytrace=False,
            )
        try:
            if httpx.get(f"{served.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"planledger serve did not answer within {seconds} s:\n" + "".join(served.output),
        pytrace=False,
    )


# -- in the page ------------------------------------------------------------------------------

AXE_RUN = """async () => {
  const panels = [...document.querySelectorAll('details')];
  const wasOpen = panels.map(d => d.open);
  panels.forEach(d => { d.open = true; });  // check the forms inside closed panels too
  try {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
  } finally {
    panels.forEach((d, i) => { d.open = wasOpen[i]; });
  }
}"""


def serious_accessibility_problems(page) -> list[dict]:
    violations = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

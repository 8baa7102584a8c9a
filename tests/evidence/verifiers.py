"""The two verifiers of an export, called as an expert would: `planledger verify FILE` and
`python3 tools/verify_export.py FILE`, the latter by the system's Python in isolated mode,
so that it cannot lean on anything but the standard library."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from interfaces.cli import app

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "verify_export.py"


def planledger_verify(path: Path, public_key: str | None = None) -> tuple[int, str]:
    args = ["verify", str(path), *(["--public-key", public_key] if public_key else [])]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def stdlib_verify(path: Path, public_key: str | None = None) -> tuple[int, str]:
    args = ["/usr/bin/python3", "-I", str(TOOL), str(path)]
    if public_key:
        args += ["--public-key", public_key]
    done = subprocess.run(args, capture_output=True, text=True, cwd="/", env={})
    return done.returncode, done.stdout + done.stderr


VERIFIERS = {"planledger verify": planledger_verify, "tools/verify_export.py": stdlib_verify}

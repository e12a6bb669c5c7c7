"""Under CI=true a skipped test fails the run (tests/conftest.py), so a missing tool cannot pass unseen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

PROBE = '''
import shutil
import pytest

@pytest.mark.skipif(shutil.which("no-such-tool") is None, reason="no-such-tool is not installed")
def test_needs_a_tool():
    pass

@pytest.mark.xfail(strict=True, reason="a known weakness")
def test_known_weakness():
    assert False

def test_plain():
    pass
'''


def run_probe(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(TESTS.parent)])
    if ci is not None:
        env["CI"] = ci
    # The project's conftest as a plugin, on a test file of its own.
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path / "test_probe.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_skip_fails_the_run_under_ci(tmp_path):
    result = run_probe(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "skipped under CI=true, which allows no skip: no-such-tool is not installed" in result.stdout
    assert "1 passed, 1 xfailed, 1 error" in result.stdout  # a strict xfail is not a skip


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_a_skip_is_a_skip(tmp_path, ci):
    result = run_probe(tmp_path, ci)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped, 1 xfailed" in result.stdout

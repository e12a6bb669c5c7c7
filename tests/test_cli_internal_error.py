"""Exit code 3 promises the traceback in SOHOA_HOME/logs/sohoa.log: it is there."""

from __future__ import annotations

import os
import subprocess
import sys

# A bug injected into a real `sohoa records show` run (in its own process, as an operator runs it).
BROKEN_RUN = """
import sys
import flows.services
from flows.cli import main

def broken_services():
    raise ZeroDivisionError("injected bug 7d1f")

flows.services.get_services = broken_services
sys.argv = ["sohoa", "records", "show", "some-record"]
main()
"""


def test_internal_error_exits_3_with_the_traceback_in_the_log(tmp_path):
    result = subprocess.run([sys.executable, "-c", BROKEN_RUN], env={**os.environ, "SOHOA_HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    log_file = tmp_path / "logs" / "sohoa.log"
    log = log_file.read_text(encoding="utf-8")
    assert "CRITICAL sohoa: internal error (exit code 3)" in log
    assert "Traceback (most recent call last):" in log
    assert "in broken_services" in log and "ZeroDivisionError: injected bug 7d1f" in log
    # The terminal shows the traceback once (rich's) and says where the log is.
    assert str(log_file) in result.stderr
    assert result.stderr.count("injected bug 7d1f") == 1
    assert "CRITICAL" not in result.stderr

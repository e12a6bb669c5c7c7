"""The command line's contract: exit codes and messages an operator can act on."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def sohoa(*args: str, env: dict | None = None, home=None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    if home is not None:
        environment["SOHOA_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "samples/batch"],  # --agency missing
        ["progress", "--by", "district"],
        ["records", "export", "--format", "xml"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_1(args, tmp_path):
    result = sohoa(*args, home=tmp_path)
    assert result.returncode == 1, result.stderr


def test_missing_input_path_is_a_usage_error(tmp_path):
    result = sohoa("ingest", str(tmp_path / "không-có"), "--agency", "X", home=tmp_path)
    assert result.returncode == 1
    assert "không-có" in result.stderr


def test_unreachable_storage_exits_2_with_the_reason(tmp_path):
    env = {
        "SOHOA_S3_ENDPOINT": "127.0.0.1:9",  # discard port: nothing listens
        "SOHOA_S3_ACCESS_KEY": "x",
        "SOHOA_S3_SECRET_KEY": "y",
        "SOHOA_S3_CONNECT_TIMEOUT": "1",
    }
    result = sohoa("records", "export", env=env, home=tmp_path)
    assert result.returncode == 2
    assert "object storage" in result.stderr

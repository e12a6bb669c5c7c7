"""Scratch folders: removed when their block ends, and after their process was killed."""

import os
import subprocess
import sys
from pathlib import Path

from ocr.scratch import scratch_dir, sweep_scratch

KILLED = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from ocr.scratch import scratch_dir
folder = scratch_dir("original")
with open(os.path.join(folder.name, "original"), "wb") as original:
    original.write(b"x" * 1000)
print(folder.name, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_folder_names_its_process_and_goes_with_its_block(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    with scratch_dir("tess") as folder:
        assert Path(folder).name.startswith(f"sohoa-tess-{os.getpid()}-")
        assert sweep_scratch(tmp_path) == 0  # this process lives: its folder stays
        assert Path(folder).is_dir()
    assert list(tmp_path.iterdir()) == []


def test_sweep_removes_only_what_ended_processes_left(tmp_path):
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", KILLED, str(root)], env={**os.environ, "TMPDIR": str(tmp_path)},
                         capture_output=True, text=True)
    assert run.returncode == -9
    left = Path(run.stdout.strip())
    assert (left / "original").stat().st_size == 1000  # the kill left it
    ours = tmp_path / f"sohoa-pdf-{os.getpid()}-abc"
    ours.mkdir()
    other = tmp_path / "sohoa-test-prefect-abc123"  # not a scratch folder
    other.mkdir()
    assert sweep_scratch(tmp_path) == 1
    assert not left.exists()
    assert ours.is_dir() and other.is_dir()

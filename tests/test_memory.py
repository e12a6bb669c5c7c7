"""ocr/memory.py: a freed page-sized buffer leaves the process at once."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# In a fresh process: free one large buffer (glibc then raises its mmap threshold past its
# size), allocate another and small objects after it, free the large one; print how much of it
# stayed resident.
SCRIPT = """
import sys
from ocr.memory import map_large_buffers
if sys.argv[1] == "mapped":
    assert map_large_buffers()
def resident():
    return int(open("/proc/self/statm").read().split()[1]) * 4096
first = b"x" * 25_000_000  # under 32 MB, the most glibc raises its threshold to
del first
before = resident()
page = b"y" * 20_000_000
words = [b"z" * 1000 for _ in range(100)]  # past pymalloc: from the C heap, above the page
del page
print(resident() - before)
"""


def retained(mode: str) -> int:
    run = subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(run.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator, read from /proc")
def test_a_freed_page_buffer_is_returned_to_the_system():
    assert retained("default") > 15_000_000  # what the volume's process accumulated, page after page
    assert retained("mapped") < 5_000_000

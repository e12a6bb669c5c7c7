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


# Small buffers (under glibc's mmap threshold) freed below one that lives on: glibc keeps the
# freed heap for reuse until it is trimmed; print how much of it stayed resident.
TRIM_SCRIPT = """
import sys
from ocr.memory import release_freed
def resident():
    return int(open("/proc/self/statm").read().split()[1]) * 4096
blocks = [bytearray(b"x" * 100_000) for _ in range(300)]  # 30 MB, from the heap
kept = bytearray(b"k" * 100_000)  # above them: the heap's top cannot simply shrink
before = resident()
del blocks
if sys.argv[1] == "released":
    assert release_freed()
print(before - resident())
"""


def freed_back(mode: str) -> int:
    run = subprocess.run([sys.executable, "-c", TRIM_SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return int(run.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator, read from /proc")
def test_memory_freed_under_a_live_allocation_goes_back_when_released():
    assert freed_back("default") < 5_000_000
    assert freed_back("released") > 25_000_000

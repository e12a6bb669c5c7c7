"""ocr/memory.py: a freed page-sized buffer leaves the process at once."""

import io
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageDraw

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


# A pass over every page of a scanned PDF (as triage and the stamps' reading make) leaves each
# page's image in MuPDF's cache; print how much stayed resident, then after the cache is dropped.
CACHE_SCRIPT = """
import sys
import pymupdf
from ocr.memory import drop_mupdf_cache, map_large_buffers
map_large_buffers()
def resident():
    return int(open("/proc/self/statm").read().split()[1]) * 4096
before = resident()
with pymupdf.open(sys.argv[1]) as doc:
    for page in doc:
        page.get_text("dict")
kept = resident() - before
drop_mupdf_cache()
print(kept, resident() - before)
"""


def scanned_volume(path: Path, pages: int) -> None:
    """The sample scan `pages` times, each page its own JPEG (its number stamped on), as a bound volume."""
    with pymupdf.open(ROOT / "samples" / "batch" / "04 Trích lục khai sinh.pdf") as sample:
        scan = Image.open(io.BytesIO(sample.extract_image(sample[0].get_images()[0][0])["image"]))
        scan.load()
    with pymupdf.open() as volume:
        for number in range(pages):
            image = scan.copy()
            ImageDraw.Draw(image).text((100, 100), str(number), fill=0)
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=85)
            volume.new_page().insert_image(pymupdf.Rect(0, 0, 595, 842), stream=buffer.getvalue())
        volume.save(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator, read from /proc")
def test_a_pass_over_a_scanned_pdf_leaves_nothing_once_mupdf_cache_is_dropped(tmp_path):
    scanned_volume(tmp_path / "volume.pdf", 24)
    run = subprocess.run([sys.executable, "-c", CACHE_SCRIPT, str(tmp_path / "volume.pdf")], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    kept, after = (int(value) for value in run.stdout.split())
    assert kept > 12_000_000  # the pages' images (about 0.7 MB each), which nothing reads again
    assert after < 5_000_000  # what opening a PDF costs once (fonts, tables)

"""Page-sized buffers handed back to the operating system as soon as they are freed (glibc).

Every page read allocates and frees tens of MB: the rendered image, its preprocessed copies,
MuPDF's pixmap. glibc raises its mmap threshold as soon as one such buffer is freed, so the
next ones come from the heap, where small allocations that outlive the page (its words, the
archive PDF's objects) land between and above them and keep the freed memory from being
returned: a scanned volume's process grew by ~1.5 MB a page, 300 pages past 1 GB (issue 12).
A fixed threshold keeps every buffer of `THRESHOLD_BYTES` or more in a mapping of its own,
unmapped when freed; smaller allocations are unaffected.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
THRESHOLD_BYTES = 1 << 20  # a page image is 8-26 MB; Python's own objects are far smaller


@functools.cache
def map_large_buffers() -> bool:
    """Set the threshold, once per process; False where the C library has no glibc `mallopt`
    (musl, macOS), which then keeps its own policy."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))

"""Freed memory handed back to the operating system (glibc): page-sized buffers at once, the
rest after each page range.

Every page read allocates and frees tens of MB: the rendered image, its preprocessed copies,
MuPDF's pixmap. glibc raises its mmap threshold as soon as one such buffer is freed, so the
next ones come from the heap, where small allocations that outlive the page (its words, the
archive PDF's objects) land between and above them and keep the freed memory from being
returned: a scanned volume's process grew by ~1.5 MB a page, 300 pages past 1 GB (issue 12).
A fixed threshold keeps every buffer of `THRESHOLD_BYTES` or more in a mapping of its own,
unmapped when freed; smaller allocations are unaffected. What smaller ones leave free (glibc
keeps it for reuse, in one arena per thread that ever allocated) is returned after each page
range (`release_freed`): about 17 MB of a process that reads 8-page ranges in a thread (the run's
own, SOHOA_ENGINE=dask); little in a Dask worker, whose nanny already trims (MALLOC_TRIM_THRESHOLD_).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

import pymupdf

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


def release_freed() -> bool:
    """Return the C heap's free pages to the system, in every arena (glibc `malloc_trim`); False
    where there is no such call. Takes milliseconds: call it between pieces of work, not per page."""
    try:
        malloc_trim = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return False
    malloc_trim.argtypes = (ctypes.c_size_t,)
    return bool(malloc_trim(0))


def drop_mupdf_cache() -> None:
    """Empty MuPDF's cache and return what it held to the system. A pass over every page of a
    document (triage, the stamps' text) loads each page's image into the cache, up to 256 MB: on a
    scanned volume ~0.7 MB a page that nothing reads again."""
    pymupdf.TOOLS.store_shrink(100)
    release_freed()

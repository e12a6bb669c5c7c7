"""`sohoa` with a rendezvous: in each process started this way, the first document it reads waits
until every other such process is reading one too (or a minute passed). Two workers on one batch
then overlap whatever their start-up times, so a test sees them share the batch rather than one
finishing it before the other starts. Only the wait is added; the reading is the real one.

    python tests/rendezvous_cli.py ARGS...   with RENDEZVOUS_DIR and RENDEZVOUS_WORKERS set
"""

import os
import sys
import time
from pathlib import Path

import flows.steps
from flows.cli import main

FOLDER, WORKERS = Path(os.environ["RENDEZVOUS_DIR"]), int(os.environ["RENDEZVOUS_WORKERS"])
real_read_document = flows.steps.read_document


def read_document(*args, **kwargs):
    arrived = FOLDER / str(os.getpid())
    if not arrived.exists():
        arrived.touch()
        deadline = time.monotonic() + 60
        while len(list(FOLDER.iterdir())) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.05)
    return real_read_document(*args, **kwargs)


flows.steps.read_document = read_document
sys.exit(main())

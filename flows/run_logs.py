"""sohoa's own log lines (a document's outcome, a page's handwriting, PDF/A conversions) in the
Prefect UI of a deployed flow run.

Prefect sends to its API only what its run loggers log, and the loggers named in its setting
`PREFECT_LOGGING_EXTRA_LOGGERS` (prefect.yaml sets `SOHOA_LOGGERS` there for every deployment):
it gives those its API handler, but not a level, so they would pass only what the root logger
passes (WARNING, in a flow-run process). `send_logs_to_prefect` lowers them to Prefect's level
(`PREFECT_LOGGING_LEVEL`, INFO). The lines are the ones sohoa.log gets: they name files and
statuses, never a personal number in full (flows/review.py masks those).
"""

from __future__ import annotations

import logging

from prefect.settings import PREFECT_LOGGING_EXTRA_LOGGERS, PREFECT_LOGGING_LEVEL

# Every logger of sohoa's packages is named for its module (`flows.steps`) or `sohoa.*`.
SOHOA_LOGGERS = ("sohoa", "flows", "ocr", "storage")


def send_logs_to_prefect() -> None:
    """The extra loggers down to Prefect's level, where they pass less; never up (`sohoa -v` or
    sohoa.log may want more)."""
    level = logging.getLevelName(PREFECT_LOGGING_LEVEL.value())
    for name in PREFECT_LOGGING_EXTRA_LOGGERS.value() or ():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > level:
            logger.setLevel(level)

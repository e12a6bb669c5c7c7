"""The `fixity-check` flow: re-read the stored originals and derived files, compare their
SHA-256 with the records, and fail when an object is missing, changed or unreadable.

It runs weekly (prefect.yaml) and on demand (`sohoa fixity`). Each problem is logged with
what to do (which version to restore) and listed in the `sohoa-fixity` table artifact; the
`sohoa-fixity-summary` Markdown artifact has the counts. Both are published on every run, so
the latest of each in the Prefect UI is the latest check.
"""

from __future__ import annotations

import logging

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.services import Services, get_services
from storage.errors import catalog_errors
from storage.fixity import FixityReport, ObjectCheck, run_fixity

FIXITY_ARTIFACT = "sohoa-fixity"
FIXITY_SUMMARY_ARTIFACT = "sohoa-fixity-summary"


class FixityProblems(Exception):
    """Objects are missing, changed or unreadable: the run ends Failed."""


def check_archive(services: Services, batch_id: str | None = None, parts: int = 1, part: int | None = None,
                  logger: logging.Logger | logging.LoggerAdapter | None = None) -> FixityReport:
    """Run the check over the catalog's records (one batch, or all), logging each problem with its remedy."""
    logger = logger or logging.getLogger(__name__)

    def log_problem(check: ObjectCheck) -> None:
        if check.problem:
            logger.error("%s: %s (record %s, %s)%s. To do: %s", check.status, check.ref, check.record_id,
                         check.role, f": {check.detail}" if check.detail else "", check.action())

    with catalog_errors():  # the records are read (and let go) before any object is
        report = run_fixity(services.store, services.catalog.records(batch_id), batch_id=batch_id,
                            parts=parts, part=part, on_check=log_problem)
    logger.info("fixity: %s", report.summary())
    if report.counts["not_checkable"]:
        logger.warning("%d derived files have no SHA-256 in their record (made before fixity was recorded); "
                       "only their presence was checked", report.counts["not_checkable"])
    return report


def problem_rows(report: FixityReport) -> list[dict[str, str]]:
    return [
        {
            "status": check.status, "object": check.ref, "role": check.role, "record": check.record_id,
            "batch": check.batch_id, "expected_sha256": check.expected_sha256 or "",
            "found_sha256": check.found_sha256 or "", "found_version": check.found_version or "",
            "restore_version": check.restore_version or "", "action": check.action(),
        }
        for check in report.problems
    ]


def fixity_markdown(report: FixityReport) -> str:
    verdict = (f"**{len(report.problems)} objects need attention**" if report.has_problems
               else "**every object checked has the bytes its record says**")
    lines = [
        "# Kiểm tra toàn vẹn (fixity)",
        "",
        f"{verdict}: {report.summary()}.",
        "",
        "| status | objects |",
        "|---|---|",
        *(f"| {status} | {n} |" for status, n in report.counts.items()),
    ]
    if report.problems:
        lines += ["", "## To do", ""]
        lines += [f"- `{check.ref}` ({check.status}, record `{check.record_id}`): {check.action()}"
                  for check in report.problems]
    return "\n".join(lines) + "\n"


def publish_fixity(report: FixityReport) -> None:
    create_table_artifact(table=problem_rows(report), key=FIXITY_ARTIFACT,
                          description="Đối tượng lưu trữ thiếu, bị thay đổi hoặc không đọc được (fixity)")
    create_markdown_artifact(markdown=fixity_markdown(report), key=FIXITY_SUMMARY_ARTIFACT,
                             description="Tóm tắt kiểm tra toàn vẹn (fixity)")


@flow(name="fixity-check")
def fixity_check(batch_id: str | None = None, parts: int = 1, part: int | None = None) -> dict[str, int]:
    """Check the objects of every record (or one batch). With `parts` N > 1 only one Nth of the
    records is checked, the part turning each week unless `part` (0 to N-1) is given."""
    logger = get_run_logger()
    report = check_archive(get_services(), batch_id, parts, part, logger)
    publish_fixity(report)
    if report.has_problems:
        raise FixityProblems(f"{len(report.problems)} objects missing, changed or unreadable "
                             f"({report.summary()}); see the {FIXITY_ARTIFACT} artifact for what to restore")
    return report.counts

"""A catalog filled from the sample agency list and registers, with records around today.

Shared by the progress CLI and report tests. What it holds (`EXPECTED` sums it up):
- 000.00.00.H62 (province, register of 8 entries, samples/registers/demo_*.csv): 583/QĐ-UBND
  approved 5 days ago, 2140 /STP-HCTP approved 40 days ago, 97/TLKS-BS waiting for review,
  5 entries missing; plus a failed record and an approved one in no register;
- TK.26.248.08914 (commune Đạo Trù, the sample workbook: 4 good rows, one of them expired in
  2024 and so not required): 12/TLKS-BS approved yesterday, 2 missing;
- VP.SO.TP (province, no register): 5 declared, 2 approved records;
- VP.SO.XD (province): records only, no register nor declaration (basis `none`).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from storage.agencies import AgencyTree, load_agencies
from storage.catalog import Catalog, InputFile
from storage.matching import match
from storage.records import Record, RecordError, RecordField, RecordFiles
from storage.registers import read_register

ROOT = Path(__file__).resolve().parents[1]
PROVINCE, COMMUNE, DECLARED, NONE = "000.00.00.H62", "TK.26.248.08914", "VP.SO.TP", "VP.SO.XD"
# agency → (required, digitised, needs_review, missing, failed, unmatched records)
EXPECTED = {
    PROVINCE: (8, 2, 1, 5, 1, 1),
    COMMUNE: (3, 1, 0, 2, 0, 0),
    DECLARED: (5, 2, 0, 3, 0, 0),
    NONE: (0, 0, 0, 0, 0, 1),
}


def fill_catalog(url: str) -> Catalog:
    catalog = Catalog(url)
    load_agencies(catalog, (ROOT / "samples/agencies/vinh_phuc_2022.csv").read_bytes())
    for name in ("demo_000.00.00.H62.csv", "so_theo_doi_dao_tru_2024.xlsx"):
        data = (ROOT / "samples/registers" / name).read_bytes()
        entries, _ = read_register(data, AgencyTree.load(catalog))
        source = InputFile(sha256=f"{len(name):064x}", name=name, imported_at=datetime.now(timezone.utc))
        catalog.add_register_entries(source, (entry.model_dump() for entry in entries))
    records = [
        (PROVINCE, "digitised", 5, "583/QĐ-UBND", "2023-11-13"),
        (PROVINCE, "digitised", 40, "2140/STP-HCTP", "2020-06-15"),
        (PROVINCE, "needs_review", None, "97/TLKS-BS", "2020-06-05"),
        (PROVINCE, "failed", None, None, None),
        (PROVINCE, "digitised", 2, "777/QĐ-UBND", "2021-01-04"),  # in no register
        (COMMUNE, "digitised", 1, "12/TLKS-BS", "2024-01-08"),
        (DECLARED, "digitised", 3, "41/STP-HCTP", "2024-05-06"),
        (DECLARED, "digitised", 70, "42/STP-HCTP", "2024-05-07"),
        (NONE, "digitised", 4, "9/GPXD", "2024-07-01"),
    ]
    for n, (agency, status, days_ago, number, issued) in enumerate(records, start=1):
        catalog.save(record(n, agency, status, days_ago, number, issued), f"k{n}")
    catalog.declare_total(DECLARED, 5, datetime.now(timezone.utc))
    match(catalog)
    return catalog


def record(n: int, agency: str, status: str, days_ago: int | None, number: str | None,
            issued: str | None) -> Record:
    moment = datetime.now(timezone.utc) - timedelta(days=days_ago or 0)
    fields = {}
    if number:
        fields = {"document_number": RecordField(value=number, confidence=0.95),
                  "issue_date": RecordField(value=issued, confidence=0.95)}
    return Record(
        id=f"r{n}", batch_id="b1", batch_name="lô 1", agency=agency, source_name=f"{n}.pdf",
        source_path=f"lô 1/{n}.pdf", sha256=f"{n:064x}", size_bytes=1, media_type="application/pdf",
        status=status, files=RecordFiles(original=f"o/{n}"), ingested_at=moment - timedelta(hours=1),
        processed_at=moment, fields=fields,
        error=RecordError(code="corrupt_file", message="unreadable") if status == "failed" else None,
    )

"""Write the sample registers beside this file (README.md says what each row shows).

    python samples/registers/make.py

Needs openpyxl. Same input, same output: the workbook's timestamps are fixed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
HEADER = ["STT", "Cơ quan", "Mã TTHC", "Lĩnh vực", "Số ký hiệu", "Ngày cấp", "Mã chủ giấy tờ", "Hiệu lực đến"]

# The demo agency's register against the sample batch (samples/truth/batch.json, `make demo`).
DEMO = [
    ["000.00.00.H62", "", "Đất đai", "583/QĐ-UBND", "13/11/2023", "", "Vô thời hạn"],  # exact (09 is its duplicate)
    ["000.00.00.H62", "", "", "2140 /STP-HCTP", "15/06/2020", "", ""],  # exact once blanks are removed
    ["000.00.00.H62", "", "Kinh tế hộ", "", "28/09/2020", "026193717845", ""],  # holder id + issue date
    ["000.00.00.H62", "1.001193", "Hộ tịch", "97/TLKS-BS", "05/06/2020", "019190481442", "Vô thời hạn"],  # exact
    ["000.00.00.H62", "", "Văn hóa", "2025/QĐ-UBND", "03/03/2024", "", ""],  # typo of 2052, a day off: fuzzy, flagged
    ["000.00.00.H62", "", "Đất đai", "1205/QĐ-UBND", "30/06/2022", "", ""],  # not digitised: missing
    ["000.00.00.H62", "", "Đất đai", "584/QĐ-UBND", "14/11/2023", "", ""],  # not digitised: missing
    ["000.00.00.H62", "1.001193", "Hộ tịch", "98/TLKS-BS", "06/06/2020", "026320001122", "Vô thời hạn"],  # missing
]

# A commune's civil-status register, as a one-stop system exports it: title rows above the
# header, real date cells, the agency by name, one personal number stored as a number (its
# leading 0 lost) and one bad date.
COMMUNE_TITLE = ["UBND XÃ ĐẠO TRÙ", "SỔ THEO DÕI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH NĂM 2024"]
COMMUNE = [
    ["UBND xã Đạo Trù", "1.001193", "Hộ tịch", "12/TLKS-BS", date(2024, 1, 8), "026324000117", "Vô thời hạn"],
    ["UBND xã Đạo Trù", "1.001193", "Hộ tịch", "13/TLKS-BS", date(2024, 1, 15), 26324000245, "Vô thời hạn"],
    # A marital-status paper is valid six months: long expired, so no longer required.
    ["UBND xã Đạo Trù", "1.000894", "Hộ tịch", "5/XNTTHN", date(2024, 2, 2), "026198004512", date(2024, 8, 2)],
    ["UBND xã Đạo Trù", "1.001193", "Hộ tịch", "14/TLKS-BS", "31/02/2024", "026324000388", "Vô thời hạn"],  # bad date
    ["UBND xã Đạo Trù", "1.001193", "Hộ tịch", "15/TLKS-BS", date(2024, 3, 4), "026224000421", "Vô thời hạn"],
]


def main() -> None:
    with (HERE / "demo_000.00.00.H62.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows([n, *row] for n, row in enumerate(DEMO, start=1))

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi"
    for line in COMMUNE_TITLE:
        sheet.append([line])
    sheet.append([])
    sheet.append(HEADER)
    for n, row in enumerate(COMMUNE, start=1):
        sheet.append([n, *row])
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (HERE / "so_theo_doi_dao_tru_2024.xlsx").write_bytes(_frozen(buffer.getvalue()))


def _frozen(xlsx: bytes) -> bytes:
    """The workbook with fixed zip entry times and document dates (openpyxl writes the clock's)."""
    stamp = "2025-01-06T08:00:00Z"
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(2025, 1, 6, 8, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    main()

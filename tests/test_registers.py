"""Registers of issued results: reading exports, idempotent imports, inputs kept in storage."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from storage import inputs
from storage.agencies import AgencyTree, import_agencies, load_agencies
from storage.catalog import Catalog
from storage.records import Record, RecordField, RecordFiles
from storage.registers import (
    RegisterFileError,
    check_register_file,
    declare_total,
    import_register,
    read_register,
    reload_inputs,
)

SAMPLES = Path(__file__).parents[1] / "samples"
AGENCIES = SAMPLES / "agencies" / "vinh_phuc_2022.csv"
DEMO = SAMPLES / "registers" / "demo_000.00.00.H62.csv"
XLSX = SAMPLES / "registers" / "so_theo_doi_dao_tru_2024.xlsx"
DAO_TRU = "TK.26.248.08914"


@pytest.fixture
def tree(catalog) -> AgencyTree:
    load_agencies(catalog, AGENCIES.read_bytes())
    return AgencyTree.load(catalog)


def test_vietnamese_headers_decomposed_text_and_blanks_in_numbers(tree):
    text = unicodedata.normalize("NFD", (
        "STT,Cơ quan,Mã TTHC,Số ký hiệu,Ngày cấp,Mã chủ giấy tờ,Hiệu lực đến,Ghi chú\n"
        "1,UBND xã Đạo Trù,1.001193, 12 /TLKS-BS ,08/01/2024,026 324 000 117,Vô thời hạn,bản chính\n"
        "2,,, 13/TLKS-BS,2024-01-15,,15/01/2029,\n"
    ))
    entries, problems = read_register(text.encode("utf-8"), tree, default_agency="TK.26.248.08917")
    assert problems == []
    first, second = entries
    assert (first.row_number, first.agency, first.procedure_code) == (2, DAO_TRU, "1.001193")
    assert (first.document_number, first.document_number_raw) == ("12/TLKS-BS", "12 /TLKS-BS")
    assert unicodedata.is_normalized("NFC", first.document_number)
    assert (first.issue_date, first.holder_id, first.valid_until) == (date(2024, 1, 8), "026324000117", None)
    assert (second.agency, second.issue_date, second.valid_until) == (
        "TK.26.248.08917", date(2024, 1, 15), date(2029, 1, 15))


@pytest.mark.parametrize(
    "header",
    [
        "MaCoQuan;SoKyHieu;NgayCap;MaChuGiayTo",  # the national field names, Excel's semicolons
        "agency;document_number;issue_date;holder_id",
        "CƠ QUAN;SO KY HIEU;Ngay cap;So dinh danh",  # capitals, marks dropped by an old system
    ],
)
def test_national_english_and_unmarked_headers(tree, header):
    data = f"{header}\n{DAO_TRU};5/XNTTHN;02-02-2024;026198004512\n".encode("utf-8")
    [entry], problems = read_register(data, tree)
    assert problems == []
    assert (entry.agency, entry.document_number, entry.issue_date, entry.holder_id) == (
        DAO_TRU, "5/XNTTHN", date(2024, 2, 2), "026198004512")


def test_the_xlsx_sample_keeps_good_rows_and_names_the_bad_one(tree):
    entries, problems = read_register(XLSX.read_bytes(), tree)
    assert [e.row_number for e in entries] == [5, 6, 7, 9]  # two title rows and a blank above the header
    assert {e.agency for e in entries} == {DAO_TRU}  # the name, as in office on the issue date
    assert entries[1].holder_id == "026324000245"  # stored as a number: its leading 0 restored
    assert entries[2].valid_until == date(2024, 8, 2)
    assert {e.field for e in entries} == {"Hộ tịch"}  # the `Lĩnh vực` column
    assert [(p.row, p.message) for p in problems] == [(8, "issue date '31/02/2024' is not a date of the calendar")]


def test_bad_rows_say_why(tree):
    data = (
        "Cơ quan,Số ký hiệu,Ngày cấp,Mã chủ giấy tờ,Hiệu lực đến\n"
        ",1/QĐ-UBND,01/02/2024,,\n"
        "UBND xã Không Có,2/QĐ-UBND,01/02/2024,,\n"
        "UBND xã Đạo Trù,3/QĐ-UBND,,,\n"
        f"{DAO_TRU},,01/02/2024,,\n"
        f"{DAO_TRU},4/QĐ-UBND,13/13/2024,,\n"
        f"{DAO_TRU},5/QĐ-UBND,01/02/2024,,01/01/2024\n"
        "TK.26.999.00001,6/QĐ-UBND,01/02/2024,,\n"
    ).encode("utf-8")
    entries, problems = read_register(data, tree)
    assert [(e.row_number, e.agency) for e in entries] == [(8, "TK.26.999.00001")]  # a code not listed yet
    messages = {p.row: p.message for p in problems}
    assert "no Cơ quan and no --agency" in messages[2]
    assert "unknown agency 'UBND xã Không Có'" in messages[3]
    assert "may be any of" in messages[4]  # the old and the new commune share the name
    assert "neither a document number" in messages[5]
    assert "'13/13/2024' is not a date" in messages[6]
    assert "before the issue date" in messages[7]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"a,b\n1,2\n", "no header row"),
        ("Cơ quan,Ngày cấp\nX,01/01/2024\n".encode("utf-8"), "needs a Số ký hiệu"),
        (b"S\xe8 k\xfd hi\xd6u,Ng\xb5y c\xcap\n", "not UTF-8"),  # a legacy 8-bit (TCVN3) export
        (b"PK\x03\x04 not really a workbook", "not a readable XLSX"),
    ],
)
def test_unreadable_files_are_refused_whole(data, words):
    with pytest.raises(RegisterFileError, match=words):
        check_register_file(data)


def test_a_header_below_title_rows_in_a_workbook_made_here(tree):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["SỔ THEO DÕI"])
    sheet.append(["Số hiệu", "Ngày ban hành", "Số CCCD", "Thời hạn hiệu lực"])
    sheet.append(["7/GCN-HKD", datetime(2021, 3, 4), "001090001234", "không thời hạn"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [entry], problems = read_register(buffer.getvalue(), tree, default_agency="TK.26.251")
    assert problems == []
    assert (entry.row_number, entry.issue_date, entry.holder_id, entry.valid_until) == (
        3, date(2021, 3, 4), "001090001234", None)


# --- imports kept in object storage (integration: the session's SeaweedFS) -------------------


def record(n: int, agency: str, **fields: str) -> Record:
    return Record(
        id=f"r{n}", batch_id="b1", batch_name="demo", agency=agency, source_name=f"{n}.pdf",
        source_path=f"demo/{n}.pdf", sha256=f"{n:064x}", size_bytes=1, media_type="application/pdf",
        status="digitised", files=RecordFiles(original=f"o/{n}"),
        fields={k: RecordField(value=v, confidence=0.9) for k, v in fields.items()},
        ingested_at=datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(seconds=n),
    )


@pytest.mark.integration
def test_reimport_adds_nothing_and_the_file_is_kept(object_store, catalog, tree):
    first = import_register(object_store, catalog, XLSX.read_bytes(), XLSX.name)
    assert (first.added, first.already, [p.row for p in first.problems]) == (4, 0, [8])
    again = import_register(object_store, catalog, XLSX.read_bytes(), XLSX.name)
    assert (again.added, again.already) == (0, 4)
    assert len(catalog.register_entries()) == 4
    assert object_store.get_input_file(first.sha256) == XLSX.read_bytes()
    entry = catalog.register_entries()[0]
    assert (entry.source_name, entry.source_sha256, entry.row_number) == (XLSX.name, first.sha256, 5)


@pytest.mark.integration
def test_a_file_with_no_good_row_is_not_kept(object_store, catalog):
    data = "Số ký hiệu,Ngày cấp\n1/QĐ-UBND,01/01/2024\n".encode("utf-8")  # no agency anywhere
    result = import_register(object_store, catalog, data, "sổ.csv")
    assert (result.added, len(result.problems)) == (0, 1)
    assert list(inputs.events(object_store)) == []


@pytest.mark.integration
def test_reload_inputs_rebuilds_everything_from_storage(object_store, catalog, tmp_path):
    import_agencies(object_store, catalog, AGENCIES.read_bytes(), AGENCIES.name)
    import_register(object_store, catalog, DEMO.read_bytes(), DEMO.name)
    import_register(object_store, catalog, XLSX.read_bytes(), XLSX.name)
    declare_total(object_store, catalog, "VP.SO.TP", 120)
    declare_total(object_store, catalog, "VP.SO.TP", 150)  # the later one counts
    catalog.save(record(1, "000.00.00.H62", document_number="583/QĐ-UBND", issue_date="2023-11-13"), "k1")
    catalog.save(record(2, DAO_TRU, document_number="13/TLKS-BS", issue_date="2024-01-15"), "k2")
    from storage.matching import match

    match(catalog)

    fresh = Catalog(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    fresh.rebuild([(r, f"k{i}") for i, r in enumerate(catalog.records(), start=1)])
    counts = reload_inputs(object_store, fresh)
    assert counts == {"agencies": 1, "registers": 2, "register_entries": 12, "declarations": 2,
                      "refused": 0, "matches": 2}

    def snapshot(c: Catalog) -> tuple:
        entries = sorted(((e.source_name, e.row_number, e.agency, e.document_number, e.issue_date, e.holder_id)
                          for e in c.register_entries()), key=lambda entry: entry[:2])
        agencies = [(a.code, a.name, a.parent, a.successor, a.valid_to) for a in c.agencies()]
        found = sorted((m.document_id, m.method) for m in c.matches())
        return entries, agencies, found, c.declared_totals()

    assert snapshot(fresh) == snapshot(catalog)
    assert fresh.declared_totals() == {"VP.SO.TP": 150}
    # Reloading again changes nothing.
    assert reload_inputs(object_store, fresh)["register_entries"] == 0
    assert snapshot(fresh) == snapshot(catalog)
    fresh.close()


# --- command line ----------------------------------------------------------------------------


def sohoa(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_cli_refuses_a_file_without_a_register_header(tmp_path):
    bad = tmp_path / "bảng kê.csv"
    bad.write_text("Họ tên,Địa chỉ\nA,B\n", encoding="utf-8")
    result = sohoa("register", "import", str(bad), env={"SOHOA_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "bảng kê.csv" in result.stderr and "no header row" in result.stderr
    negative = sohoa("register", "declare", "--agency", "X", "--total", "-1", env={"SOHOA_HOME": str(tmp_path)})
    assert negative.returncode == 1


@pytest.mark.integration
def test_cli_import_match_and_unmatched(s3_settings, tmp_path):
    catalog_url = f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    env = {"SOHOA_HOME": str(s3_settings.home), "SOHOA_BUCKET_PREFIX": f"r-{uuid.uuid4().hex[:12]}",
           "SOHOA_CATALOG_URL": catalog_url}
    assert sohoa("agencies", "import", str(AGENCIES), env=env).returncode == 0
    result = sohoa("register", "import", str(XLSX), env=env)
    assert result.returncode == 0, result.stderr
    assert f"{XLSX.name}, row 8:" in result.stderr and "4 rows added, 0 already there, 1 bad rows" in result.stderr
    again = sohoa("register", "import", str(XLSX), env=env)
    assert "0 rows added, 4 already there" in again.stderr
    assert sohoa("register", "import", str(DEMO), env=env).returncode == 0
    declared = sohoa("register", "declare", "--agency", "VP.SO.TP", "--total", "40", env=env)
    assert declared.returncode == 0, declared.stderr

    catalog = Catalog(catalog_url)  # records as the digitisation flow would have indexed them
    catalog.save(record(1, DAO_TRU, document_number="12/TLKS-BS", issue_date="2024-01-08"), "k1")
    catalog.save(record(2, DAO_TRU, holder_id="026324000245", issue_date="2024-01-15"), "k2")
    catalog.save(record(3, DAO_TRU, document_number="77/TLKS-BS", holder_id="026190001234"), "k3")
    catalog.close()

    matched = sohoa("register", "match", env=env)
    assert matched.returncode == 0, matched.stderr
    assert "exact 1, holder id + date 1, fuzzy 0" in matched.stderr
    assert DAO_TRU in matched.stdout and "VP.SO.TP" in matched.stdout

    listed = sohoa("register", "unmatched", "--format", "json", env=env)
    rows = json.loads(listed.stdout)
    kinds = [(row["kind"], row["agency"]) for row in rows]
    assert kinds.count(("register_entry", DAO_TRU)) == 2 and kinds.count(("register_entry", "000.00.00.H62")) == 8
    [unmatched_record] = [row for row in rows if row["kind"] == "record"]
    assert unmatched_record["id"] == "r3" and unmatched_record["holder_id"] == "026*******34"
    assert "026190001234" not in listed.stdout and "026324000421" not in listed.stdout
    as_csv = sohoa("register", "unmatched", "--format", "csv", env=env)
    assert as_csv.stdout.splitlines()[0] == "kind,agency,id,document_number,issue_date,holder_id,source,status"

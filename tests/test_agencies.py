"""Agencies as data: the CSV import, and rolling codes up across Vĩnh Phúc's 2025 merger."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
import uuid
from datetime import date
from pathlib import Path

import pytest

from storage.agencies import AgencyFileError, AgencyTree, agencies_csv, load_agencies, parse_agencies
from storage.catalog import Catalog

SAMPLE = Path(__file__).parents[1] / "samples" / "agencies" / "vinh_phuc_2022.csv"
HEADER = "code,name,level,parent,successor,valid_from,valid_to\n"

# A commune merged into a neighbour in 2024, which merged into a new commune of Phú Thọ in 2025.
CHAIN = HEADER + (
    "000.00.00.H62,Ủy ban nhân dân tỉnh Vĩnh Phúc,province,,PT,,2025-06-30\n"
    "D1,Ủy ban nhân dân huyện Tam Đảo,district,000.00.00.H62,PT,,2025-06-30\n"
    "C-OLD,Ủy ban nhân dân xã Hồ Sơn,commune,D1,C-2024,,2024-11-30\n"
    "C-2024,Ủy ban nhân dân thị trấn Hợp Châu,commune,D1,C-NEW,2024-12-01,2025-06-30\n"
    "PT,Ủy ban nhân dân tỉnh Phú Thọ,province,,,2025-07-01,\n"
    "C-NEW,Ủy ban nhân dân xã Tam Đảo,commune,PT,,2025-07-01,\n"
)


def problems(catalog: Catalog, text: str) -> list[tuple[int, str]]:
    with pytest.raises(AgencyFileError) as caught:
        load_agencies(catalog, text.encode("utf-8"))
    return caught.value.problems


def test_import_upserts_and_normalises_to_nfc(catalog):
    decomposed = unicodedata.normalize("NFD", CHAIN)
    assert load_agencies(catalog, decomposed.encode("utf-8")) == (6, 0)
    names = {a.code: a.name for a in catalog.agencies()}
    assert names["C-NEW"] == "Ủy ban nhân dân xã Tam Đảo"
    assert unicodedata.is_normalized("NFC", names["D1"])
    renamed = CHAIN.replace("huyện Tam Đảo,district", "huyện Tam Đảo (cũ),district")
    assert load_agencies(catalog, renamed.encode("utf-8")) == (0, 6)
    row = next(a for a in catalog.agencies() if a.code == "D1")
    assert (row.name, row.level, row.parent, row.valid_to) == (
        "Ủy ban nhân dân huyện Tam Đảo (cũ)", "district", "000.00.00.H62", date(2025, 6, 30))


def test_a_bad_line_is_named_and_nothing_is_imported(catalog):
    text = CHAIN + (
        "C9,Ủy ban nhân dân xã Đại Đình,town,D1,,,\n"
        "C10,,commune,D1,,,\n"
        "C11,Ủy ban nhân dân xã Bồ Lý,commune,D1,,2025-07-01,2024-01-01\n"
    )
    found = problems(catalog, text)
    assert [line for line, _ in found] == [8, 9, 10]
    assert "level" in found[0][1]
    assert found[1][1] == "name: missing"
    assert "before valid_from" in found[2][1]
    assert catalog.agencies() == []


@pytest.mark.parametrize(
    "text, line, words",
    [
        (HEADER + "A,x,province,,,2025-13-01,\n", 2, "valid_from"),
        (HEADER + "A,x,province,,,,\nA,y,province,,,,\n", 3, "already on line 2"),
        (HEADER + "A,x,commune,NOWHERE,,,\n", 2, "parent NOWHERE"),
        (HEADER + "A,x,commune,,B,,\nB,y,commune,,A,,\n", 2, "comes back"),
        (HEADER + "A B,x,commune,,,,\n", 2, "no blanks"),
        ("code,name,level,sucessor\n", 1, "unknown column(s) sucessor"),
        ("code,name\n", 1, "missing column(s) level"),
    ],
)
def test_file_problems_name_their_line(catalog, text, line, words):
    found = problems(catalog, text)
    assert found[0][0] == line
    assert words in found[0][1]


def test_references_may_point_to_agencies_already_imported(catalog):
    load_agencies(catalog, CHAIN.encode("utf-8"))
    more = HEADER + "C11,Ủy ban nhân dân xã Minh Quang,commune,D1,C-NEW,,2025-06-30\n"
    assert load_agencies(catalog, more.encode("utf-8")) == (1, 0)


def test_successor_chain_across_the_2025_merger(catalog):
    load_agencies(catalog, CHAIN.encode("utf-8"))
    tree = AgencyTree.load(catalog)
    assert tree.successor_of("C-OLD", on=date(2024, 11, 30)) == "C-OLD"
    assert tree.successor_of("C-OLD", on=date(2025, 1, 1)) == "C-2024"
    assert tree.successor_of("C-OLD", on=date(2025, 7, 1)) == "C-NEW"
    assert tree.successor_of("D1", on=date(2026, 1, 1)) == "PT"
    assert tree.successor_of("C-NEW", on=date(2026, 1, 1)) == "C-NEW"
    assert tree.successor_of("UNKNOWN", on=date(2026, 1, 1)) == "UNKNOWN"


def test_historical_parent_and_level(catalog):
    load_agencies(catalog, CHAIN.encode("utf-8"))
    tree = AgencyTree.load(catalog)
    assert tree.historical_parent("C-OLD") == "D1"
    assert tree.historical_parent("C-OLD", level="district") == "D1"
    assert tree.historical_parent("C-OLD", level="province") == "000.00.00.H62"
    assert tree.historical_parent("D1", level="district") == "D1"  # already at that level
    assert tree.historical_parent("000.00.00.H62", level="commune") is None
    # By successor structure: today's unit, then its parent in the new structure.
    assert tree.historical_parent(tree.successor_of("C-OLD", on=date(2026, 1, 1))) == "PT"
    assert (tree.level_of("C-OLD"), tree.level_of("PT"), tree.level_of("UNKNOWN")) == ("commune", "province", None)


def test_names_resolve_whatever_the_tone_placement_and_by_date(catalog):
    load_agencies(catalog, SAMPLE.read_bytes())
    tree = AgencyTree.load(catalog)
    assert tree.resolve("UBND phường Xuân Hoà", on=date(2024, 5, 1)) == ["TK.26.244.08746"]
    assert tree.resolve("Ủy ban nhân dân phường  Xuân Hòa", on=date(2025, 8, 1)) == ["TK2025.25.08749"]
    assert sorted(tree.resolve("UBND xã Đạo Trù")) == ["TK.26.248.08914", "TK2025.25.08914"]
    assert tree.resolve("000.00.00.H62") == ["000.00.00.H62"]
    assert tree.resolve("UBND xã Không Có") == []


def test_the_shipped_vinh_phuc_list(catalog):
    assert load_agencies(catalog, SAMPLE.read_bytes())[0] == 184
    agencies = {a.code: a for a in catalog.agencies()}
    tree = AgencyTree(agencies.values())
    old = [a for a in agencies.values() if a.valid_to == date(2025, 6, 30)]
    assert sum(a.level == "district" for a in old) == 9
    assert sum(a.level == "commune" for a in old) == 121
    assert agencies["000.00.00.H62"].name == "Ủy ban nhân dân tỉnh Vĩnh Phúc"
    for unit in old:  # every old unit has a successor in office from 1 July 2025
        successor = agencies[tree.successor_of(unit.code, on=date(2025, 7, 1))]
        assert successor.valid_from == date(2025, 7, 1) and successor.valid_to is None, unit.code
        assert successor.code.startswith("TK2025.25")
    communes = [a for a in old if a.level == "commune"]
    assert all(agencies[a.parent].level == "district" for a in communes)
    assert len({tree.successor_of(a.code, on=date(2025, 7, 1)) for a in communes}) == 36


def test_listing_as_csv_imports_again_unchanged(catalog, tmp_path):
    load_agencies(catalog, CHAIN.encode("utf-8"))
    exported = agencies_csv(catalog.agencies())
    again = Catalog(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    load_agencies(again, exported.encode("utf-8"))
    columns = ("code", "name", "level", "parent", "successor", "valid_from", "valid_to")
    assert [[getattr(a, c) for c in columns] for a in again.agencies()] == \
        [[getattr(a, c) for c in columns] for a in catalog.agencies()]
    again.close()


def test_an_older_catalog_gains_the_new_agency_columns(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE agencies (code VARCHAR(64) PRIMARY KEY, name VARCHAR(300), level VARCHAR(20))")
        connection.execute("INSERT INTO agencies VALUES ('000.00.00.H62', NULL, NULL)")
    catalog = Catalog(f"sqlite:///{path}")
    load_agencies(catalog, CHAIN.encode("utf-8"))
    assert AgencyTree.load(catalog).successor_of("000.00.00.H62", on=date(2025, 7, 1)) == "PT"
    catalog.close()


def test_parse_reads_a_bom_and_skips_blank_lines():
    rows = parse_agencies(("\ufeff" + HEADER + "A,x,province,,,,\n,,,,,,\n").encode("utf-8"))
    assert [(line, row.code) for line, row in rows] == [(2, "A")]


# --- command line ---------------------------------------------------------------------------


def sohoa(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_cli_refuses_a_bad_file_naming_the_line(tmp_path):
    bad = tmp_path / "cơ quan.csv"
    bad.write_text(HEADER + "A,x,province,,,,\nB,y,huyện,,,,\n", encoding="utf-8")
    result = sohoa("agencies", "import", str(bad), env={"SOHOA_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "cơ quan.csv, line 3" in result.stderr and "level" in result.stderr
    missing = sohoa("agencies", "import", str(tmp_path / "không-có.csv"), env={"SOHOA_HOME": str(tmp_path)})
    assert missing.returncode == 1 and "không-có.csv" in missing.stderr


@pytest.mark.integration
def test_cli_imports_and_lists(s3_settings, tmp_path):
    env = {"SOHOA_HOME": str(s3_settings.home), "SOHOA_BUCKET_PREFIX": f"a-{uuid.uuid4().hex[:12]}",
           "SOHOA_CATALOG_URL": f"sqlite:///{tmp_path / 'catalog.sqlite3'}"}
    result = sohoa("agencies", "import", str(SAMPLE), env=env)
    assert result.returncode == 0, result.stderr
    assert "184 agencies added" in result.stderr
    listed = sohoa("agencies", "list", "--format", "csv", env=env)
    assert listed.returncode == 0
    shipped = SAMPLE.read_text(encoding="utf-8").splitlines()
    exported = listed.stdout.splitlines()
    assert exported[0] == shipped[0]
    assert sorted(exported[1:]) == sorted(shipped[1:])  # the listing is in code order
    as_json = sohoa("agencies", "list", "--format", "json", env=env)
    assert '"code": "TK.26.248.08914"' in as_json.stdout and '"valid_to": "2025-06-30"' in as_json.stdout

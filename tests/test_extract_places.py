"""Place names restored from the gazetteer only when folding leaves no doubt."""

from pathlib import Path

import pytest

from extract.issuers import issuer_from_header
from extract.places import known_place


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
    assert known_place("Xuân Thủy") == "Xuân Thủy"


def test_names_that_fold_alike_are_not_guessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = tmp_path / "places.txt"
    places.write_text("# two communes that fold alike\nLiên Sơn\nLiễn Sơn\nTam Dương\n", encoding="utf-8")
    monkeypatch.setenv("SOHOA_PLACES_FILE", str(places))
    assert known_place("Liến Sơn") == "Liến Sơn"
    assert known_place("Tam Đương") == "Tam Dương"

import unicodedata

from extract.text import (
    capitalize_syllables,
    clean,
    remove_spaces,
    repair_ocr_glyphs,
    upper_ratio,
)


def test_clean_recomposes_nfd_and_collapses_whitespace() -> None:
    decomposed = unicodedata.normalize("NFD", "  Việt \t Nam\n")
    assert clean(decomposed) == "Việt Nam"
    assert unicodedata.is_normalized("NFC", clean(decomposed))


def test_remove_spaces() -> None:
    assert remove_spaces(" 1204 /QĐ- UBND ") == "1204/QĐ-UBND"


def test_capitalize_syllables_of_a_name_printed_in_capitals() -> None:
    assert capitalize_syllables("NGUYỄN  VĂN ĐỨC") == "Nguyễn Văn Đức"
    assert capitalize_syllables("vũ chí giang") == "Vũ Chí Giang"


def test_upper_ratio_counts_letters_only() -> None:
    assert upper_ratio("SỐ: 12/QĐ") == 1.0
    assert upper_ratio("Về việc") == 1 / 6
    assert upper_ratio("12/34") == 0.0


def test_repair_ocr_glyphs() -> None:
    assert repair_ocr_glyphs("13/QĐÐ-UBND") == "13/QĐĐ-UBND"
    assert repair_ocr_glyphs("Thôn Quang 'Trung") == "Thôn Quang Trung"
    assert repair_ocr_glyphs("“Thôn văn hóa”") == "“Thôn văn hóa”"

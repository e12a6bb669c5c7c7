from extract.notation import Notation, find_notation, parse_notation


def _value(line: str) -> str:
    return find_notation(line)[0].value


def test_clean_decision_number() -> None:
    notation, start, end = find_notation("Số: 1204/QĐ-UBND")
    assert (notation.value, notation.problem, start, end) == ("1204/QĐ-UBND", None, 4, 16)
    assert notation.type_abbreviation == "QĐ"
    assert notation.type_hint == "quyet_dinh"


def test_ocr_spacing_is_removed() -> None:
    assert _value("Số:1204/QĐ- UBND") == "1204/QĐ-UBND"
    assert _value("Số: 686 /STTT-VP") == "686/STTT-VP"
    assert _value("Số 12 / UBND - VX") == "12/UBND-VX"


def test_ocr_variants_of_the_label() -> None:
    assert _value("Sô: 15/QĐ-BNV") == "15/QĐ-BNV"
    assert _value("S6: 15/QĐ-BNV") == "15/QĐ-BNV"
    assert _value("SỐ: 15/QĐ-BNV") == "15/QĐ-BNV"


def test_trailing_noise_is_cut() -> None:
    assert _value("Số: 15/QĐ-BNV. |") == "15/QĐ-BNV"


def test_normative_number_with_year_and_mixed_case_pieces() -> None:
    assert parse_notation("01/2023/TT-VPCP").problem is None
    assert parse_notation("45/TTr-UBND").type_abbreviation == "TTr"
    assert parse_notation("7/KH-CNTT&BCVT").problem is None


def test_letter_number_has_no_type_abbreviation() -> None:
    notation = parse_notation("12/UBND-VX")
    assert notation.problem is None
    assert notation.type_abbreviation is None
    assert notation.type_hint is None


def test_wrong_shape_is_kept_and_flagged() -> None:
    notation = parse_notation("123/HD/NN")
    assert notation.value == "123/HD/NN"
    assert notation.problem == "not <number>/<type>-<issuer>"
    assert parse_notation("123/HDANN").problem is None  # a shape OCR can break undetectably


def test_lost_mark_in_a_type_abbreviation_is_flagged() -> None:
    notation = parse_notation("15/QD-UBND")
    assert notation.value == "15/QD-UBND"
    assert notation.problem == "type abbreviation QD is not QĐ"


def test_other_labels_starting_with_so_are_not_numbers() -> None:
    assert find_notation("Số định danh cá nhân: 026090001234") is None
    assert find_notation("Sở Tư pháp") is None


def test_a_small_letter_with_a_mark_is_no_part_of_a_notation() -> None:
    """A police department's `P6` read `Pó6` under the seal; plain small letters stand (`TTr`)."""
    assert parse_notation("2243/PCCC&CNCH-Pó6").problem == "ó in a notation: no abbreviation has it"
    assert parse_notation("2243/PCCC&CNCH-P6").problem is None
    assert parse_notation("12/TTr-SNV").problem is None


def test_doubled_letter_in_a_type_abbreviation_is_flagged() -> None:
    assert parse_notation("13/QĐĐ-UBND").problem == "type abbreviation QĐĐ looks like QĐ doubled"
    assert parse_notation("13/TCKH-UBND").problem is None


def test_a_space_between_two_words_ends_the_value() -> None:
    # OCR splits a notation only at its `/` and `-`; what follows a plain space is other text.
    assert _value("Số 02/2017/TT-VPCP ngày 31/10/2017 hướng dẫn nghiệp vụ") == "02/2017/TT-VPCP"
    line = "Số: 441 /QĐ- UBND Huế"
    notation, start, end = find_notation(line)
    assert (notation.value, line[start:end]) == ("441/QĐ-UBND", "441 /QĐ- UBND")


def test_a_mark_after_the_number_is_no_part_of_it() -> None:
    # `Số: 3070. /KH-UBND`: the dot the number was stamped or written in with
    assert parse_notation("3070. /KH-UBND") == Notation("3070/KH-UBND", None)
    assert parse_notation("12/2023/TT-VPCP").value == "12/2023/TT-VPCP"


def test_a_slash_lost_before_a_known_type_abbreviation_is_put_back() -> None:
    # A 200-dpi page: the thin `/` of `142/QĐ-UBND` lost, the digits run into the type.
    assert _value("Số: 142QĐ-UBND") == "142/QĐ-UBND"
    assert parse_notation("3367TTr-SNV") == Notation("3367/TTr-SNV", None)
    # Digits before no known abbreviation, or without the hyphen of a notation, stay as read.
    assert parse_notation("142XY-UBND").value == "142XY-UBND"
    assert parse_notation("142QĐUBND").problem == "not <number>/<type>-<issuer>"

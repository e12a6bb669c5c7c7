"""The checks a correction typed in by archive staff must pass: the extractor's own validators."""

import pytest

from flows.review import normalise, value_problem


@pytest.mark.parametrize(
    ("field", "value", "document_type", "problem"),
    [
        ("document_number", "125", "giay_khai_sinh", None),
        ("document_number", "125", "quyet_dinh", "not <number>/<type>-<issuer>"),
        ("document_number", "1204/QĐ-UBND", "quyet_dinh", None),
        ("procedure_code", "1.000894", None, None),
        ("procedure_code", "1.000494.000.00.00.H29", None, None),
        ("procedure_code", "1.0894", None, "not a procedure code (1.000894 or 1.000894.000.00.00.H62)"),
        ("land_area", "150.5", None, None),
        ("land_area", "150,5", None, "not an area in m² (150.5)"),
        ("land_serial", "CS 123456", None, None),
        ("register_book", "01/2023-SCT/BS", None, None),
        ("valid_until", "2063-10-15", None, None),
        ("holder_id", "026090001234", None, None),
        ("holder_id", "026990001234", None, "century digit 9 unknown"),
        ("parent_document_number", "311/QĐ-UBND", "phu_luc", None),
        ("parent_document_number", "/QĐ-UBND", "phu_luc", "not <number>/<type>-<issuer>"),
        ("parent_issue_date", "2025-02-30", "phu_luc", "not a calendar date"),
    ],
)
def test_value_checks(field: str, value: str, document_type: str | None, problem: str | None) -> None:
    assert value_problem(field, value, document_type) == problem


def test_identifiers_lose_their_spaces() -> None:
    assert normalise("holder_id", " 026 090 001 234 ") == "026090001234"
    assert normalise("parent_document_number", "311 /QĐ- UBND") == "311/QĐ-UBND"

"""Every document type extraction can give has a Vietnamese name on the desk."""

from extract.doctypes import APPENDIX, LETTER, TITLES, UNKNOWN
from extract.national_forms import FORM_TITLES
from extract.notation import TYPE_ABBREVIATIONS
from web.desk.labels import DOCUMENT_TYPE_LABELS, document_type_label


def test_every_type_code_has_a_label():
    codes = set(TITLES.values()) | {code for _, code in FORM_TITLES} | {APPENDIX, LETTER, UNKNOWN}
    codes |= {code for code in TYPE_ABBREVIATIONS.values() if code}
    assert codes - DOCUMENT_TYPE_LABELS.keys() == set()
    assert document_type_label("chi_thi") == "Chỉ thị"
    assert document_type_label("giay_chung_nhan_qsdd") == "Giấy chứng nhận quyền sử dụng đất"
    assert document_type_label(None) == "Chưa xác định"

"""Vietnamese words for what records carry in English codes: review reasons, fields, document
types. One place, for every page of the desk (the queue, the record page)."""

from __future__ import annotations

from extract.doctypes import TITLES
from storage.reasons import reason_field, reason_kind

REASON_LABELS = {
    "missing": "Thiếu thông tin",
    "invalid": "Giá trị không hợp lệ",
    "handwritten": "Chữ số viết tay, cần đối chiếu",
    "misread_word": "Có từ đọc sai",
    "low_confidence": "Độ tin cậy thấp",
    "signature": "Không khớp chữ ký số",
    "document_type": "Chưa rõ loại văn bản",
    "unread_page": "Có trang không đọc được",
    "other": "Lý do khác",
}

FIELD_LABELS = {
    "document_number": "Số, ký hiệu",
    "issue_date": "Ngày ban hành",
    "issue_place": "Địa danh",
    "issuer": "Cơ quan ban hành",
    "signer": "Người ký",
    "signer_title": "Chức vụ người ký",
    "summary": "Trích yếu",
    "holder_name": "Tên chủ giấy tờ",
    "holder_id": "Số định danh",
    "procedure_code": "Mã thủ tục hành chính",
    "valid_until": "Thời hạn hiệu lực",
    "address": "Địa chỉ",
    "land_serial": "Số phát hành",
    "land_parcel": "Thửa đất số",
    "map_sheet": "Tờ bản đồ số",
    "land_area": "Diện tích",
    "business_code": "Mã số hộ kinh doanh",
    "register_book": "Quyển số",
    "parent_document_number": "Số văn bản kèm theo",
    "parent_issue_date": "Ngày văn bản kèm theo",
}

# Every type typed by its title (`CHỈ THỊ` → `Chỉ thị`), then the names a title does not give.
DOCUMENT_TYPE_LABELS = {code: title.capitalize() for title, code in TITLES.items()} | {
    "quyet_dinh": "Quyết định",
    "giay_chung_nhan_qsdd": "Giấy chứng nhận quyền sử dụng đất",
    "giay_chung_nhan_dkdn": "Giấy chứng nhận đăng ký doanh nghiệp",
    "giay_chung_nhan_hkd": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "giay_phep_xay_dung": "Giấy phép xây dựng",
    "trich_luc_khai_sinh": "Trích lục khai sinh",
    "giay_khai_sinh": "Giấy khai sinh",
    "giay_chung_nhan_ket_hon": "Giấy chứng nhận kết hôn",
    "xac_nhan_tinh_trang_hon_nhan": "Giấy xác nhận tình trạng hôn nhân",
    "chung_thuc": "Chứng thực bản sao",
    "cong_van": "Công văn",
    "thong_bao": "Thông báo",
    "ke_hoach": "Kế hoạch",
    "bao_cao": "Báo cáo",
    "de_an": "Đề án",
    "luat": "Luật",
    "phu_luc": "Phụ lục",
    "other": "Loại khác",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def document_type_label(code: str | None) -> str:
    return DOCUMENT_TYPE_LABELS.get(code, code) if code else "Chưa xác định"


def reason_label(reason: str) -> str:
    """A review reason as a clerk reads it: its kind, and the field it is about (`Thiếu thông
    tin: Ngày ban hành`); a page's reason keeps its page number."""
    kind = reason_kind(reason)
    if kind == "unread_page":
        return f"Không đọc được {reason.split(':', 1)[0].replace('page', 'trang')}"
    field = reason_field(reason)
    return f"{REASON_LABELS[kind]}: {field_label(field)}" if field else REASON_LABELS[kind]


# Why a file could not be read (the record's error.code: ocr/errors.py, flows/steps.py), and
# what the clerk does about it. The pipeline's English message stays on the record for operators.
FILE_ERRORS = {
    "empty_file": ("Tệp rỗng, không có nội dung.",
                   "Chép lại tệp từ máy quét hoặc từ bản gốc rồi tải lên lại."),
    "unsupported_type": ("Không phải tệp PDF hay ảnh quét (TIFF, JPEG, PNG).",
                         "Lưu hoặc quét lại thành PDF, TIFF, JPEG hoặc PNG rồi tải lên lại."),
    "corrupt_file": ("Tệp bị hỏng, không mở được.",
                     "Mở thử tệp trên máy; xuất lại bản PDF hoặc quét lại rồi tải lên lại."),
    "truncated_file": ("Tệp bị cắt cụt: bản chép chưa trọn.",
                       "Chép lại trọn tệp từ nguồn (máy quét, ổ đĩa) rồi tải lên lại."),
    "encrypted_pdf": ("Tệp có mật khẩu.",
                      "Xin bản không khóa rồi tải lên lại."),
    "image_too_large": ("Ảnh quá lớn, không phải cỡ một trang quét.",
                        "Quét lại ở độ phân giải 300 dpi rồi tải lên lại."),
    "file_too_large": ("Tệp quá lớn hoặc có quá nhiều trang.",
                       "Tách thành các tệp nhỏ hơn (mỗi hồ sơ một tệp) rồi tải lên lại."),
    "ocr_failed": ("Không nhận dạng được chữ trên tệp.",
                   "Kiểm tra bản quét có rõ nét, đúng chiều không; quét lại nếu cần rồi tải lên lại."),
    "internal_error": ("Chương trình gặp lỗi khi đọc tệp.",
                       "Báo cho quản trị viên, kèm tên lô và tên tệp; không cần tải lên lại."),
}
UNKNOWN_FILE_ERROR = ("Không đọc được tệp.", "Báo cho quản trị viên, kèm tên lô và tên tệp.")


def file_error(code: str | None) -> tuple[str, str]:
    """(what is wrong, what to do) for a failed file, in a clerk's words."""
    return FILE_ERRORS.get(code or "", UNKNOWN_FILE_ERROR)

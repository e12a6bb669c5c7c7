"""Settings of field extraction (environment variables prefixed `SOHOA_`)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from ocr.gazetteer import PLACES_FILE

CORE_FIELDS = ["document_number", "issue_date", "issuer", "signer", "signer_title"]
# Decree 30 text types: a subject is printed under the title (or after `V/v`).
WITH_SUMMARY = ["quyet_dinh", "cong_van", "thong_bao", "ke_hoach", "bao_cao", "de_an", "nghi_quyet", "nghi_dinh",
                 "thong_tu", "chi_thi", "huong_dan", "chuong_trinh", "phuong_an", "to_trinh", "cong_dien"]
_WITH_HOLDER = [
    "giay_chung_nhan_qsdd",
    "giay_chung_nhan_dkdn",
    "giay_chung_nhan_hkd",
    "giay_phep_xay_dung",
    "trich_luc_khai_sinh",
    "giay_khai_sinh",
    "giay_chung_nhan_ket_hon",
    "xac_nhan_tinh_trang_hon_nhan",
]

# Results issued to a person, on national forms or in register books; each prints the holder's number.
_PERSONAL = ["trich_luc_khai_sinh", "giay_chung_nhan_hkd", "xac_nhan_tinh_trang_hon_nhan"]


class ExtractSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", extra="ignore")

    # A field whose confidence is below this goes to a person. Measured on generated
    # scans: 90% of correct values score 0.91 or more and 1.8% fall below 0.75, while
    # half of the wrong ones do; a failed check halves the score, so it always lands below.
    review_threshold: float = 0.75
    # Fields every document must carry (JSON list in the environment).
    core_fields: list[str] = CORE_FIELDS
    # Further fields required per document_type (JSON object in the environment).
    type_fields: dict[str, list[str]] = {
        **{code: ["summary"] for code in WITH_SUMMARY},
        **{code: ["holder_name"] for code in _WITH_HOLDER},
        # A personal result without its holder's number is not finished: the "do not ask again"
        # lookup finds results by it.
        **{code: ["holder_name", "holder_id"] for code in _PERSONAL},
        "giay_chung_nhan_qsdd": ["holder_name", "holder_id", "land_parcel", "map_sheet", "land_area"],
        "giay_chung_nhan_dkdn": ["holder_name", "holder_id"],
        "giay_khai_sinh": ["holder_name", "holder_id", "register_book"],
        "giay_chung_nhan_ket_hon": ["holder_name", "holder_id", "register_book"],
        "chung_thuc": ["register_book"],
    }

    # Types printed without a header and signature of their own require these fields instead
    # of the core fields (JSON object in the environment): an appendix filed alone names its
    # parent decision; gazette pages of a law carry none of a procedure result's fields.
    instead_of_core: dict[str, list[str]] = {
        "phu_luc": ["parent_document_number", "parent_issue_date"],
        "luat": [],
    }

    # Known place names, one a line, for restoring marks OCR lost in issuing bodies.
    places_file: Path = PLACES_FILE

    def required_fields(self, document_type: str, found: Collection[str] = ()) -> list[str]:
        """`found`, the fields read: a document that names its holder (a decision issued to a
        person or company) needs the holder's number too."""
        if document_type in self.instead_of_core:
            return list(self.instead_of_core[document_type])
        required = [*self.core_fields, *self.type_fields.get(document_type, [])]
        if "holder_name" in found and "holder_id" not in required:
            required.append("holder_id")
        return required

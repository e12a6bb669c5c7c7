"""Settings of field extraction (environment variables prefixed `SOHOA_`)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

CORE_FIELDS = ["document_number", "issue_date", "issuer", "signer", "signer_title"]
_WITH_SUMMARY = ["quyet_dinh", "cong_van", "thong_bao", "ke_hoach", "bao_cao", "de_an"]
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
        **{code: ["summary"] for code in _WITH_SUMMARY},
        **{code: ["holder_name"] for code in _WITH_HOLDER},
        "giay_chung_nhan_qsdd": ["holder_name", "land_parcel", "map_sheet", "land_area"],
        "giay_chung_nhan_dkdn": ["holder_name", "holder_id"],
        "giay_khai_sinh": ["holder_name", "register_book"],
        "giay_chung_nhan_ket_hon": ["holder_name", "register_book"],
        "chung_thuc": ["register_book"],
    }

    # Known place names, one a line, for restoring marks OCR lost in issuing bodies.
    places_file: Path = Path(__file__).parent / "data" / "places.txt"

    def required_fields(self, document_type: str) -> list[str]:
        return [*self.core_fields, *self.type_fields.get(document_type, [])]

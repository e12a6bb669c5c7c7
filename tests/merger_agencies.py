"""A commune and its district that the July 2025 merger folded into a new commune, and a
department untouched by it: the agencies of the progress and API tests."""

from __future__ import annotations

from datetime import date

COMMUNE, DISTRICT, NEW_COMMUNE = "TK.26.248.08914", "TK.26.248", "TK2025.25.08911"
OTHER = "VP.SO.TP"

AGENCIES = [
    {"code": DISTRICT, "name": "Ủy ban nhân dân huyện Tam Đảo", "level": "district", "parent": None,
     "successor": NEW_COMMUNE, "valid_from": None, "valid_to": date(2025, 6, 30)},
    {"code": COMMUNE, "name": "Ủy ban nhân dân xã Hồ Sơn", "level": "commune", "parent": DISTRICT,
     "successor": NEW_COMMUNE, "valid_from": None, "valid_to": date(2025, 6, 30)},
    {"code": NEW_COMMUNE, "name": "Ủy ban nhân dân xã Tam Đảo", "level": "commune", "parent": None,
     "successor": None, "valid_from": date(2025, 7, 1), "valid_to": None},
    {"code": OTHER, "name": "Sở Tư pháp tỉnh Vĩnh Phúc", "level": "province", "parent": None,
     "successor": None, "valid_from": None, "valid_to": None},
]
